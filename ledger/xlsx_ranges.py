"""Cell references and merged ranges of a sheet: the column of a reference (A1 → 1),
:class:`MergedRange`, and :func:`merged_ranges`, a scan of the sheet's bytes that finds
its ``mergeCell`` elements (listed after the rows, where a stream that stops at the
end of the data never gets) before the first row is read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import NamedTuple

from .upload_limits import UploadLimits, too_many_merged_ranges, unreadable_xlsx


def column_number(reference: str) -> int:
    """The column of a cell reference: A1 → 1, XFD7 → 16384."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
        if number > 1_000_000:
            break
    if number == 0:
        raise unreadable_xlsx()
    return number


class MergedRange(NamedTuple):
    """A range of merged cells, by row and column numbers from 1 (B2:C4 is 2, 2, 4, 3);
    its value is that of its first cell."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    def __contains__(self, cell) -> bool:
        row, column = cell
        return (
            self.first_row <= row <= self.last_row
            and self.first_column <= column <= self.last_column
        )


# A mergeCell element, with or without a namespace prefix. Its bytes cannot occur in a
# cell's text, where "<" is written "&lt;".
_MERGE_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']"
    rb"([A-Za-z]{1,3})([0-9]{1,7}):([A-Za-z]{1,3})([0-9]{1,7})[\"']"
)
_MERGE_SCAN_BYTES = 1024 * 1024
# Kept from one block of the scan to the next: longer than any mergeCell element.
_MERGE_SCAN_OVERLAP = 256


def merged_ranges(
    archive: zipfile.ZipFile, path: str, *, limits: UploadLimits
) -> list[MergedRange]:
    """The merged ranges of the sheet at ``path``, in a scan of its bytes (unpacked
    block by block; the part's size is bounded by ``check_archive``) that looks at
    nothing else. Ranges to the right of the columns a ledger may have are left out, and
    cut off there."""
    ranges: list[MergedRange] = []
    tail = b""
    try:
        with archive.open(path) as stream:
            while True:
                block = stream.read(_MERGE_SCAN_BYTES)
                text = tail + block
                if b"mergeCell" in text:
                    end = 0
                    for match in _MERGE_CELL.finditer(text):
                        end = match.end()
                        ranges.append(_merged_range(match.groups()))
                        if len(ranges) > 2 * limits.rows:
                            raise too_many_merged_ranges(limits)
                    tail = text[max(end, len(text) - _MERGE_SCAN_OVERLAP) :]
                else:
                    tail = text[-_MERGE_SCAN_OVERLAP:]
                if not block:
                    break
    except (
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        RuntimeError,  # an encrypted part
        NotImplementedError,  # a compression method zipfile lacks
    ):
        raise unreadable_xlsx() from None
    return [
        merged._replace(last_column=min(merged.last_column, limits.columns))
        for merged in ranges
        if merged.first_column <= limits.columns
        and (merged.last_row, merged.last_column) != (merged.first_row, merged.first_column)
    ]


def _merged_range(groups: tuple[bytes, ...]) -> MergedRange:
    first_column, first_row, last_column, last_row = (part.decode() for part in groups)
    rows = sorted((int(first_row), int(last_row)))
    columns = sorted((column_number(first_column), column_number(last_column)))
    return MergedRange(rows[0], columns[0], rows[1], columns[1])
