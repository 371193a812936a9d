"""Reading the rows of an uploaded .xlsx as a stream, within bounds.

openpyxl reads what a ledger holds correctly, but not within bounds: it loads every
shared string whatever its length, parses each whole sheet to find its size when the
file does not state it, and builds a whole row before one of its cells can be looked at,
so a crafted file of a few hundred kilobytes keeps it busy for minutes. This reader
parses the parts of the zip with expat, 64 KB at a time, and stops at the first cell
longer than ``IMPORT_MAX_CELL_CHARS`` (shared or in the sheet), the first cell beyond
``IMPORT_MAX_COLUMNS``, or when the XML it has parsed exceeds what the largest ledger
accepted needs; it reads one sheet only, and only as far as the caller takes rows (the
caller stops where the data ends). Nothing else of the workbook is parsed.

Cell values come out as openpyxl gives them with ``data_only=True``: text, ``int`` or
``float``, ``bool``, ``datetime`` for numbers formatted as dates, the cached result of a
formula, an error as its text (``#N/A``).

Merged cells (a group header over its sub-headers, a unit's name merged down over its
cadres) are listed in the sheet after its rows, where a stream that stops at the end of
the data never gets: they are found first by a scan of the sheet's bytes that parses
nothing but the ``mergeCell`` elements (:func:`merged_ranges`), and handed to the caller
before the first row.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any, NamedTuple
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from .upload_limits import (
    UploadLimits,
    cell_too_long,
    check_archive,
    check_small_part,
    check_zip_directory,
    too_many_columns,
    too_many_merged_ranges,
    too_much_xml,
    unreadable_xlsx,
)

CHUNK_BYTES = 64 * 1024
# Transitional and strict OOXML.
SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
RELATIONSHIP_ID_ATTRIBUTES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships id",
)
# Date formats built into Excel by number (the 27–36 and 50–58 ones in Chinese Excel:
# 2024年3月15日 and the like), besides those whose format code says so.
CJK_DATE_FORMAT_IDS = frozenset([*range(27, 37), *range(50, 59)])


class _Budget:
    """The XML elements left to parse for the whole file."""

    def __init__(self, limits: UploadLimits):
        self.left = limits.xml_elements
        self.limits = limits

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise too_much_xml(self.limits)


class _Part:
    """One XML part parsed with expat: subclasses get ``start(name, attrs)``,
    ``end(name)`` and ``text(data)`` with the local name of elements in the
    spreadsheet namespace (other elements arrive as ``None``, and are counted all the
    same). No text node may be longer than a cell, and no DTD is accepted (OOXML never
    has one, and entities are how XML is made to expand)."""

    def __init__(self, *, limits: UploadLimits, budget: _Budget):
        self.limits = limits
        self.budget = budget
        self.run = 0  # characters of the current text node
        self.done = False
        self._names: dict[str, str | None] = {}
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.buffer_size = CHUNK_BYTES
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _local(self, name: str) -> str | None:
        local = self._names.get(name, "")
        if local == "":
            namespace, _space, local = name.rpartition(" ")
            local = local if namespace in SHEET_NAMESPACES or not namespace else None
            self._names[name] = local
        return local

    def _start(self, name, attrs):
        self.budget.spend()
        self.run = 0
        self.start(self._local(name), attrs)

    def _end(self, name):
        self.run = 0
        self.end(self._local(name))

    def _text(self, data):
        self.run += len(data)
        if self.run > self.limits.cell_chars:
            raise cell_too_long(self.limits)
        self.text(data)

    def _doctype(self, *args):
        raise unreadable_xlsx()

    def start(self, name, attrs) -> None:
        pass

    def end(self, name) -> None:
        pass

    def text(self, data) -> None:
        pass

    def feed(self, archive: zipfile.ZipFile, path: str) -> Iterator[None]:
        """Parse the part chunk by chunk, yielding after each, until it ends or
        ``done`` is set."""
        try:
            with archive.open(path) as stream:
                while not self.done:
                    chunk = stream.read(CHUNK_BYTES)
                    self.parser.Parse(chunk, not chunk)
                    yield
                    if not chunk:
                        break
        except (
            KeyError,
            expat.ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            RuntimeError,  # an encrypted part
            NotImplementedError,  # a compression method zipfile lacks
        ):
            raise unreadable_xlsx() from None

    def parse(self, archive: zipfile.ZipFile, path: str):
        """Parse a small part whole."""
        try:
            info = archive.getinfo(path)
        except KeyError:
            raise unreadable_xlsx() from None
        check_small_part(info)
        for _step in self.feed(archive, path):
            pass
        return self


class _Relationships(_Part):
    """A ``.rels`` part: relationship id → (type, path in the zip)."""

    def __init__(self, *, source: str, **kwargs):
        super().__init__(**kwargs)
        self.folder = posixpath.dirname(source)
        self.targets: dict[str, tuple[str, str]] = {}

    def _local(self, name: str) -> str | None:
        return name.rpartition(" ")[2]  # the package namespace

    def start(self, name, attrs):
        if name != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(self.folder, target))
        )
        self.targets[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    def of_type(self, kind: str) -> list[tuple[str, str]]:
        """(id, path) of the relationships whose type ends with ``/kind``."""
        return [
            (rid, path) for rid, (type_, path) in self.targets.items() if type_.endswith(f"/{kind}")
        ]


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class _Workbook(_Part):
    """workbook.xml: the sheets in order (name, relationship id) and the date system."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sheets: list[tuple[str, str]] = []
        self.epoch = WINDOWS_EPOCH

    def start(self, name, attrs):
        if name == "sheet":
            rid = next((attrs[key] for key in RELATIONSHIP_ID_ATTRIBUTES if key in attrs), "")
            self.sheets.append((attrs.get("name", ""), rid))
        elif name == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            self.epoch = MAC_EPOCH


class _Styles(_Part):
    """styles.xml: which cell formats (``s`` of a cell) show a number as a date."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codes: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_formats = False

    def start(self, name, attrs):
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                self.codes[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            try:
                self.cell_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                self.cell_formats.append(0)

    def end(self, name):
        if name == "cellXfs":
            self.in_cell_formats = False

    def date_styles(self) -> frozenset[int]:
        dates = set()
        for index, format_id in enumerate(self.cell_formats):
            code = self.codes.get(format_id, BUILTIN_FORMATS.get(format_id))
            if code is None:
                is_date = format_id in CJK_DATE_FORMAT_IDS
            else:
                is_date = is_date_format(code) and not is_timedelta_format(code)
            if is_date:
                dates.add(index)
        return frozenset(dates)


class _SharedStrings(_Part):
    """sharedStrings.xml: the text of each ``si`` (its runs joined, without the
    phonetic guide), none longer than a cell may be."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.length = 0
        self.phonetic = 0
        self.in_text = False

    def start(self, name, attrs):
        if name == "si":
            self.parts, self.length, self.phonetic = [], 0, 0
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and not self.phonetic:
            self.in_text = True

    def end(self, name):
        if name == "si":
            self.strings.append("".join(self.parts))
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "t":
            self.in_text = False

    def text(self, data):
        if self.in_text:
            self.length += len(data)
            if self.length > self.limits.cell_chars:
                raise cell_too_long(self.limits)
            self.parts.append(data)


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


def _number(text: str) -> int | float:
    text = text.strip()
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Sheet(_Part):
    """A worksheet's rows: (row number, values by column from A), blank rows too."""

    def __init__(self, *, shared: list[str], dates: frozenset[int], epoch, **kwargs):
        super().__init__(**kwargs)
        self.shared = shared
        self.dates = dates
        self.epoch = epoch
        self.pending: list[tuple[int, list[Any]]] = []
        self.row_number = 0
        self.cells: dict[int, Any] = {}
        self.in_row = False
        self.column = 0
        self.cell_count = 0
        self.in_cell = False
        self.cell_type = "n"
        self.cell_style = 0
        self.cell_chars = 0
        self.parts: list[str] = []
        self.capture = False
        self.in_inline = False
        self.phonetic = 0

    def start(self, name, attrs):
        if name == "c" and self.in_row:
            reference = attrs.get("r")
            self.column = column_number(reference) if reference else self.column + 1
            self.cell_count += 1
            if self.column > self.limits.columns or self.cell_count > self.limits.columns:
                raise too_many_columns(self.limits)
            self.in_cell = True
            self.cell_type = attrs.get("t", "n")
            try:
                self.cell_style = int(attrs.get("s", 0))
            except ValueError:
                self.cell_style = 0
            self.cell_chars = 0
            self.parts = []
        elif not self.in_cell:
            if name == "row":
                number = attrs.get("r")
                try:
                    self.row_number = int(number) if number else self.row_number + 1
                except ValueError:
                    raise unreadable_xlsx() from None
                self.in_row, self.cells, self.column, self.cell_count = True, {}, 0, 0
        elif name == "v":
            self.capture = self.cell_type != "inlineStr"
        elif name == "is":
            self.in_inline = True
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t":
            self.capture = self.in_inline and not self.phonetic and self.cell_type == "inlineStr"

    def end(self, name):
        if name == "c" and self.in_cell:
            self.in_cell = self.capture = self.in_inline = False
            self.phonetic = 0
            value = self._value()
            if value is not None and value != "":
                self.cells[self.column] = value
        elif name in ("v", "t"):
            self.capture = False
        elif name == "row" and self.in_row:
            self.in_row = False
            values: list[Any] = [None] * (max(self.cells) if self.cells else 0)
            for column, value in self.cells.items():
                values[column - 1] = value
            self.pending.append((self.row_number, values))
        elif name == "sheetData":
            self.done = True

    def text(self, data):
        if self.in_cell:
            self.cell_chars += len(data)
            if self.cell_chars > self.limits.cell_chars:
                raise cell_too_long(self.limits)
            if self.capture:
                self.parts.append(data)

    def _value(self) -> Any:
        text = "".join(self.parts)
        kind = self.cell_type
        if kind == "inlineStr":
            return text
        if not text:
            return None
        try:
            if kind == "n":
                number = _number(text)
                if self.cell_style in self.dates:
                    try:
                        return from_excel(number, self.epoch)
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return number
            if kind == "s":
                return self.shared[int(text)]
            if kind == "b":
                return bool(int(text))
            if kind == "d":
                return from_ISO8601(text)
        except (ValueError, IndexError):
            raise unreadable_xlsx() from None
        return text  # "str" (a formula's text), "e" (an error such as #N/A)

    def rows(self, archive: zipfile.ZipFile, path: str) -> Iterator[tuple[int, list[Any]]]:
        for _step in self.feed(archive, path):
            yield from self.pending
            self.pending.clear()
        yield from self.pending


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


def xlsx_rows(
    data: bytes,
    *,
    limits: UploadLimits,
    sheet_name: str,
    skipped_sheets: tuple[str, ...] = (),
    merged: list[MergedRange] | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the workbook in ``data``, as (row number, values): of the sheet
    called ``sheet_name`` if there is one, else of the first sheet not in
    ``skipped_sheets``, else of the first sheet. Raises ``ValidationError`` for a file
    that is not a workbook or goes past ``limits``; stops reading when the caller
    stops taking rows. ``merged``, if given, receives the sheet's merged ranges before
    the first row comes."""
    check_zip_directory(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise unreadable_xlsx() from None
    with archive:
        check_archive(archive, limits=limits)
        budget = _Budget(limits)
        context = {"limits": limits, "budget": budget}
        package = _Relationships(source="", **context).parse(archive, "_rels/.rels")
        documents = package.of_type("officeDocument")
        workbook_path = documents[0][1] if documents else "xl/workbook.xml"
        workbook = _Workbook(**context).parse(archive, workbook_path)
        relationships = _Relationships(source=workbook_path, **context)
        relationships.parse(archive, _rels_path(workbook_path))
        worksheets = dict(relationships.of_type("worksheet"))
        sheets = [(name, worksheets[rid]) for name, rid in workbook.sheets if rid in worksheets]
        if not sheets:
            raise unreadable_xlsx()
        path = next(
            (path for name, path in sheets if name == sheet_name),
            next((path for name, path in sheets if name not in skipped_sheets), sheets[0][1]),
        )
        shared: list[str] = []
        for _rid, strings_path in relationships.of_type("sharedStrings")[:1]:
            reader = _SharedStrings(**context)
            for _step in reader.feed(archive, strings_path):
                pass
            shared = reader.strings
        dates: frozenset[int] = frozenset()
        for _rid, styles_path in relationships.of_type("styles")[:1]:
            dates = _Styles(**context).parse(archive, styles_path).date_styles()
        if merged is not None:
            merged.extend(merged_ranges(archive, path, limits=limits))
        sheet = _Sheet(shared=shared, dates=dates, epoch=workbook.epoch, **context)
        yield from sheet.rows(archive, path)
