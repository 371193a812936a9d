"""Bounds on an uploaded ledger, checked before anything in it is parsed.

An .xlsx is a zip of XML parts, and a few hundred kilobytes of it can unpack to gigabytes
(one cell of 128 MB, three million blank rows, 16,384 columns): whatever reads it whole
exhausts the server. So the zip's directory is read first — no part is extracted — and a
file is refused whose parts unpack to too much in all or each, or at a ratio no
spreadsheet has (a zip bomb). The parts are then read as a stream
(:mod:`ledger.xlsx_reader`) that stops at the first cell, column or row past the
limits below, and where the data ends. A .csv is bounded the same way before the csv
module splits it.

Every refusal is a ``ValidationError`` with a code and a message in Chinese, raised
before an import job exists.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
# Parts the reader parses whole (the workbook, its relationships, the styles) are a
# few kilobytes in any real file; the rows live in the sheets and the shared strings.
SMALL_PART_BYTES = 10 * MB
# Parts smaller than this are not held to the compression ratio: a short, repetitive
# XML part (the styles) compresses well without being a bomb.
RATIO_FROM_BYTES = MB
# A real workbook has a few dozen parts; its directory is a few kilobytes.
MAX_ZIP_DIRECTORY_BYTES = MB
MAX_ZIP_PARTS = 1000
# The end-of-directory record: its signature, size and the largest comment after it.
_END_SIGNATURE = b"PK\x05\x06"
_END_RECORD_BYTES = 22
_MAX_COMMENT_BYTES = 0xFFFF


@dataclass(frozen=True)
class UploadLimits:
    """What an uploaded ledger may hold (``settings.IMPORT_*``)."""

    file_bytes: int
    unzipped_bytes: int
    part_bytes: int
    compression_ratio: int
    cell_chars: int
    columns: int
    rows: int
    blank_rows: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            file_bytes=settings.IMPORT_MAX_FILE_MB * MB,
            unzipped_bytes=settings.IMPORT_MAX_UNZIPPED_MB * MB,
            part_bytes=settings.IMPORT_MAX_UNZIPPED_PART_MB * MB,
            compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            columns=settings.IMPORT_MAX_COLUMNS,
            rows=settings.IMPORT_MAX_ROWS,
            blank_rows=settings.IMPORT_BLANK_ROWS_END,
        )

    @property
    def row_span(self) -> int:
        """The rows a file may run to, blank ones between the cadres included."""
        return 2 * self.rows + self.blank_rows

    @property
    def xml_elements(self) -> int:
        """XML elements the reader parses at most, shared strings and sheet together.
        A full ledger takes about 75 a row (a row of 36 cells, each a ``c`` and a
        ``v``, or ``c``, ``is`` and ``t``), and up to 135 when Excel has put every
        text in the shared strings and no two are alike; so this lets every ledger of
        ``rows`` rows through and bounds the work on any file to less than twice that
        of the largest one accepted."""
        return 200 * self.rows


def refusal(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message % params if params else message, code=code)


def too_large(limits: UploadLimits) -> ValidationError:
    return refusal(
        _("The file is larger than %(size)s MB; split it into smaller files."),
        "too_large",
        size=limits.file_bytes // MB,
    )


def unreadable_xlsx() -> ValidationError:
    return refusal(_("The file cannot be read as an Excel workbook (.xlsx)."), "unreadable")


def cell_too_long(limits: UploadLimits) -> ValidationError:
    return refusal(
        _(
            "A cell of the file holds more than %(count)s characters, more than any "
            "column of the ledger takes; the file is refused."
        ),
        "cell_too_long",
        count=f"{limits.cell_chars:,}",
    )


def too_many_columns(limits: UploadLimits) -> ValidationError:
    return refusal(
        _(
            "The sheet has cells in more than %(count)s columns; delete the columns to "
            "the right of the ledger's own and upload it again."
        ),
        "too_many_columns",
        count=limits.columns,
    )


def too_many_rows(limits: UploadLimits) -> ValidationError:
    return refusal(
        _("The file has more than %(count)s rows; split it into smaller files."),
        "too_many_rows",
        count=limits.rows,
    )


def too_many_merged_ranges(limits: UploadLimits) -> ValidationError:
    return refusal(
        _(
            "The sheet has more than %(count)s merged cells, more than a ledger of "
            "%(rows)s rows needs; unmerge them and upload it again."
        ),
        "too_many_merged_ranges",
        count=2 * limits.rows,
        rows=limits.rows,
    )


# The .xlsx as a zip ----------------------------------------------------------------------


def check_zip_directory(data: bytes) -> None:
    """Refuse a zip whose directory alone would take long to read: ``zipfile`` parses
    every entry of it, in Python, when the file is opened."""
    tail = data[-(_END_RECORD_BYTES + _MAX_COMMENT_BYTES) :]
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD_BYTES:
        raise unreadable_xlsx()
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory_bytes = int.from_bytes(tail[at + 12 : at + 16], "little")
    if entries > MAX_ZIP_PARTS or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise unreadable_xlsx()


def check_archive(archive: zipfile.ZipFile, *, limits: UploadLimits) -> None:
    """Refuse a workbook whose parts unpack to more than the limits, in all or each, or
    at a ratio no spreadsheet has.

    The sizes are those the zip's directory declares: ``zipfile`` never unpacks more
    than a part declares (more fails its check), so they bound what is read."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_PARTS:
        raise unreadable_xlsx()
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if total > limits.unzipped_bytes or size > limits.part_bytes:
            raise refusal(
                _(
                    "The workbook unpacks to more than %(size)s MB. Copy the rows of "
                    "cadres into a new workbook and upload that."
                ),
                "unzipped_too_large",
                size=(limits.part_bytes if size > limits.part_bytes else limits.unzipped_bytes)
                // MB,
            )
        if size >= RATIO_FROM_BYTES and size > limits.compression_ratio * max(
            info.compress_size, 1
        ):
            raise refusal(
                _(
                    "A part of the workbook unpacks to more than %(ratio)s times its "
                    "packed size, which no ledger does (a “zip bomb”); the file is refused."
                ),
                "zip_bomb",
                ratio=limits.compression_ratio,
            )


def check_small_part(info: zipfile.ZipInfo) -> None:
    """A part that is parsed whole (the workbook, its relationships, the styles) must be
    as small as such parts are in any real file."""
    if info.file_size > SMALL_PART_BYTES:
        raise refusal(
            _(
                "A part of the workbook (%(part)s) is far larger than in any ledger. Copy "
                "the rows of cadres into a new workbook and upload that."
            ),
            "part_too_large",
            part=info.filename,
        )


def too_much_xml(limits: UploadLimits) -> ValidationError:
    return refusal(
        _(
            "The workbook holds more than a ledger of %(count)s rows can; split it into "
            "smaller files."
        ),
        "too_much_xml",
        count=limits.rows,
    )


# The .csv --------------------------------------------------------------------------------


def check_csv_text(text: str, *, limits: UploadLimits) -> None:
    """Refuse a .csv with a line longer than the csv module's own field limit (a line
    of a ledger is a few hundred characters; a line of millions of commas would be
    split into millions of fields before any could be counted)."""
    longest = csv.field_size_limit()
    if _has_line_longer_than(text, longest):
        raise refusal(
            _(
                "A line of the file is longer than %(count)s characters; it is not a "
                "ledger saved as CSV."
            ),
            "line_too_long",
            count=f"{longest:,}",
        )


def _has_line_longer_than(text: str, limit: int) -> bool:
    """Whether a line (ended as the csv module ends rows: \\r or \\n) is longer than
    ``limit``: each window of ``limit`` + 1 characters must hold a line break. Jumping
    to the last break of each window takes a few hundred searches for any file, where
    splitting it into lines would take one step per line (millions of blank ones)."""
    start, end = 0, len(text)
    while end - start > limit:
        stop = start + limit + 1
        last = max(text.rfind("\n", start, stop), text.rfind("\r", start, stop))
        if last < 0:
            return True
        start = last + 1
    return False
