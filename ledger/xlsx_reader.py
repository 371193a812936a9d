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

The zip's small parts and the bounded parsing of any part are in :mod:`ledger.xlsx_parts`,
cell references and merged ranges in :mod:`ledger.xlsx_ranges`; this module streams the
sheet's rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl.utils.datetime import from_excel, from_ISO8601

from .upload_limits import (
    UploadLimits,
    cell_too_long,
    check_archive,
    check_zip_directory,
    too_many_columns,
    unreadable_xlsx,
)
from .xlsx_parts import (
    Relationships,
    SharedStringsPart,
    StylesPart,
    WorkbookPart,
    XmlBudget,
    XmlPart,
    rels_path,
)
from .xlsx_ranges import MergedRange, column_number, merged_ranges


def _number(text: str) -> int | float:
    text = text.strip()
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class SheetPart(XmlPart):
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
        budget = XmlBudget(limits)
        context = {"limits": limits, "budget": budget}
        package = Relationships(source="", **context).parse(archive, "_rels/.rels")
        documents = package.of_type("officeDocument")
        workbook_path = documents[0][1] if documents else "xl/workbook.xml"
        workbook = WorkbookPart(**context).parse(archive, workbook_path)
        relationships = Relationships(source=workbook_path, **context)
        relationships.parse(archive, rels_path(workbook_path))
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
            reader = SharedStringsPart(**context)
            for _step in reader.feed(archive, strings_path):
                pass
            shared = reader.strings
        dates: frozenset[int] = frozenset()
        for _rid, styles_path in relationships.of_type("styles")[:1]:
            dates = StylesPart(**context).parse(archive, styles_path).date_styles()
        if merged is not None:
            merged.extend(merged_ranges(archive, path, limits=limits))
        sheet = SheetPart(shared=shared, dates=dates, epoch=workbook.epoch, **context)
        yield from sheet.rows(archive, path)
