"""Reading an uploaded ledger (.xlsx or .csv) into rows.

The rows are handed to django-import-export as a ``tablib.Dataset``, but the file is read
here rather than with ``Dataset.load``: a ledger has to be found on the right sheet (the
template also carries 说明 and 选项 sheets) and under its header row (bureaus often put a
title row above it), blank rows must be skipped while keeping the row numbers Excel
shows, headers may come in common variants (身份证号码 for 身份证号), and a .csv saved by
Chinese Excel is GBK rather than UTF-8. Both kinds of file are read within the upload
limits (:mod:`ledger.upload_limits`; an .xlsx through :mod:`ledger.xlsx_reader`), and
reading stops where the data ends.

Sheets as bureaus keep them are read too (:mod:`ledger.layout`): a header of two rows
(group headers merged over sub-headers), a unit's name merged down over its cadres, rows
with nothing but a pre-filled 序号 and a footer (填表人…) are skipped and counted. No data
is left out unsaid: a column whose header is not understood is listed with the number of
its filled cells (``LedgerSheet.unknown``), and the import asks to confirm leaving it out.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .columns import (
    CHOICES_SHEET,
    COLUMNS_BY_KEY,
    DATA_SHEET,
    NOTES_SHEET,
    REQUIRED_COLUMNS,
    LedgerColumn,
    column_for_header,
    is_serial_header,
)
from .layout import FillDown, HeaderLayout, header_layout, is_footer
from .upload_limits import (
    UploadLimits,
    cell_too_long,
    check_csv_text,
    too_large,
    too_many_columns,
    too_many_rows,
)
from .xlsx_ranges import MergedRange
from .xlsx_reader import xlsx_rows

# The column that carries each row's number in the sheet through the import.
ROW_NUMBER = "__row__"
# Rows above the header that may hold a title ("XX单位离退休干部台账").
HEADER_SEARCH_ROWS = 10


@dataclass
class LedgerSheet:
    """The cadre rows of a file: for each row its cells in the order of ``columns``,
    then its row number in the sheet. ``ignored`` names the columns left out that hold
    nothing to import (a column the import does not take, or one without data);
    ``unknown`` the columns with data under a header that is not understood, each as
    {"header", "column" (its letter), "cells" (how many are filled)}; ``skipped``
    counts the rows that are not cadres (only 序号, or the footer)."""

    columns: list[LedgerColumn]
    rows: list[tuple] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unknown: list[dict] = field(default_factory=list)
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns] + [ROW_NUMBER]

    def dataset(self, start: int = 0, stop: int | None = None) -> tablib.Dataset:
        return tablib.Dataset(*self.rows[start:stop], headers=self.headers)

    def to_json(self) -> bytes:
        """The rows as read, to be checked again and imported without parsing the
        workbook each time. Dates become ISO text, which the date columns read back."""
        return json.dumps(
            {
                "columns": [column.key for column in self.columns],
                "ignored": self.ignored,
                "unknown": self.unknown,
                "skipped": self.skipped,
                "rows": self.rows,
            },
            ensure_ascii=False,
            default=_json_cell,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> LedgerSheet:
        content = json.loads(data)
        return cls(
            columns=[COLUMNS_BY_KEY[key] for key in content["columns"]],
            rows=[tuple(row) for row in content["rows"]],
            ignored=content["ignored"],
            unknown=content.get("unknown", []),
            skipped=content.get("skipped", 0),
        )


def _json_cell(value: Any) -> str:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def read_ledger(data: bytes, *, name: str) -> LedgerSheet:
    """The ledger in ``data`` (the bytes of a file called ``name``). Raises
    ``ValidationError`` for a file that cannot be read as a ledger at all, or that goes
    past the upload limits (:mod:`ledger.upload_limits`): both before any of it is
    kept."""
    limits = UploadLimits.from_settings()
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xls":
        raise ValidationError(
            _("This is the old Excel format (.xls): save it as .xlsx and upload it again."),
            code="xls",
        )
    if suffix not in ("xlsx", "xlsm", "csv", "txt"):
        raise ValidationError(_("Upload an .xlsx or a .csv file."), code="file_type")
    if len(data) > limits.file_bytes:
        raise too_large(limits)
    merged: list[MergedRange] = []
    if suffix in ("xlsx", "xlsm"):
        rows = xlsx_rows(
            data,
            limits=limits,
            sheet_name=DATA_SHEET,
            skipped_sheets=(NOTES_SHEET, CHOICES_SHEET),
            merged=merged,
        )
    else:
        rows = _csv_rows(data, limits=limits)
    try:
        return _ledger(rows, limits=limits, merged=merged)
    finally:
        rows.close()  # stop reading the file where the data ended


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), UTF-16 (Excel's "Unicode text"),
    or GBK as Chinese Excel saves a plain .csv (read as GB 18030, its superset)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file's text encoding is not UTF-8 or GBK; save it again as CSV UTF-8."),
            code="encoding",
        ) from None


def _csv_rows(data: bytes, *, limits: UploadLimits) -> Iterator[tuple[int, Sequence[Any]]]:
    text = _decode(data)
    check_csv_text(text, limits=limits)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        for number, values in enumerate(
            csv.reader(io.StringIO(text), delimiter=delimiter), start=1
        ):
            if values and max(map(len, values)) > limits.cell_chars:
                raise cell_too_long(limits)
            yield number, values
    except csv.Error:
        raise ValidationError(
            _("The file cannot be read as CSV; save it again from Excel as CSV."),
            code="unreadable",
        ) from None


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _is_number(value: Any) -> bool:
    """Whether a 序号 cell holds a number (1, 1.0, "1", "01")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and value.strip().isascii() and value.strip().isdigit()


def _ledger(
    rows: Iterator[tuple[int, Sequence[Any]]],
    *,
    limits: UploadLimits,
    merged: Sequence[MergedRange] = (),
) -> LedgerSheet:
    """The header among the first rows, then the cadre rows below it, until a run
    of ``limits.blank_rows`` blank rows ends the data (rows the file leaves out count
    as blank: a sheet may skip from row 20 to row 1,048,576; so do rows with nothing
    but 序号, which a form may number far below its last cadre)."""
    seen: list[tuple[int, Sequence[Any]]] = []
    found = None
    for count, (number, values) in enumerate(rows, start=1):
        if len(values) > limits.columns:
            raise too_many_columns(limits)
        seen.append((number, values))
        if sum(1 for value in values if column_for_header(value) is not None) >= 3:
            found = len(seen) - 1
            break
        if number >= HEADER_SEARCH_ROWS or count >= HEADER_SEARCH_ROWS:
            break
    if found is None:
        raise ValidationError(
            _(
                "No header row was found: the first rows must hold the template's column "
                "names (姓名, 身份证号 and so on)."
            ),
            code="no_header",
        )
    below = next(rows, None)
    if below is not None and len(below[1]) > limits.columns:
        raise too_many_columns(limits)
    layout = header_layout(
        header=seen[found],
        above=seen[found - 1] if found else None,
        below=below,
        merged=merged,
    )
    if below is not None and below[0] > layout.last_row:
        rows = itertools.chain([below], rows)
    sheet = _header(layout)
    fill = FillDown(merged, first_row=layout.last_row + 1)
    filled_cells: dict[int, int] = {}
    previous = layout.last_row
    blank_run = 0
    numbered_only = 0  # rows with only 序号 since the last cadre
    for count, (number, values) in enumerate(rows, start=1):
        blank_run += max(number - previous, 1) - 1
        previous = max(previous, number)
        if blank_run >= limits.blank_rows:
            break
        if count > limits.row_span or number > limits.row_span:
            raise too_many_rows(limits)
        if len(values) > limits.columns:
            raise too_many_columns(limits)
        row = fill(number, values)
        filled = [index for index, value in enumerate(values) if _filled(value)]
        serial = [index for index in filled if index in sheet.serial and _is_number(values[index])]
        if len(serial) == len(filled):
            numbered_only += 1 if filled else 0
            blank_run += 1
            if blank_run >= limits.blank_rows:
                break
            continue
        blank_run = 0
        if is_footer([value for index, value in enumerate(values) if index not in serial]):
            sheet.ledger.skipped += numbered_only + 1
            numbered_only = 0
            continue
        sheet.ledger.skipped += numbered_only
        numbered_only = 0
        if len(sheet.ledger) >= limits.rows:
            raise too_many_rows(limits)
        cells = [row[index] if index < len(row) else None for index in sheet.positions]
        sheet.ledger.rows.append((*cells, number))
        for index in filled:
            if index not in sheet.understood:
                filled_cells[index] = filled_cells.get(index, 0) + 1
    if not sheet.ledger.rows:
        raise ValidationError(_("The file has no rows of cadres below the header."), code="no_rows")
    _left_out(sheet, filled_cells)
    return sheet.ledger


@dataclass
class _Header:
    ledger: LedgerSheet
    positions: list[int]
    names: dict[int, str]  # the header's names by position
    under: dict[int, str]  # for columns without a name, that of a merged cell over them
    understood: set[int]  # positions of columns imported, of 序号, of columns not imported
    serial: set[int]  # positions of 序号
    not_imported: set[int]


def _header(layout: HeaderLayout) -> _Header:
    columns: list[LedgerColumn] = []
    header = _Header(LedgerSheet(columns=columns), [], {}, {}, set(), set(), set())
    # A column named by its own header wins over one only a sub-header matched, and
    # the group of such a sub-header is about someone else than the cadre.
    named = {cell.column for cell in layout.cells if cell.column is not None and cell.exact}
    others = {cell.group for cell in layout.cells if not cell.exact and cell.column in named}
    for cell in layout.cells:
        header.names[cell.position] = cell.name
        if cell.under:
            header.under[cell.position] = cell.under
        column = cell.column
        if column is not None and not cell.exact and cell.group in others:
            column = None
        if column is None:
            if is_serial_header(cell.name):
                header.serial.add(cell.position)
                header.understood.add(cell.position)
            continue
        header.understood.add(cell.position)
        if column in columns:
            raise ValidationError(
                _("The column “%(header)s” appears twice.") % {"header": column.header},
                code="duplicate_column",
            )
        if not column.imported:
            header.not_imported.add(cell.position)
            continue
        columns.append(column)
        header.positions.append(cell.position)
    missing = [column.header for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ValidationError(
            _(
                "The file lacks these required columns: %(headers)s. Download the template "
                "and keep its column names."
            )
            % {"headers": "、".join(missing)},
            code="missing_columns",
        )
    return header


def _left_out(header: _Header, filled_cells: dict[int, int]) -> None:
    """List the columns that are not imported: those with data under a header that is
    not understood (``unknown``, with how many cells are filled), and the others."""
    ledger = header.ledger
    for position in sorted(set(header.names) | set(filled_cells)):
        name = header.names.get(position, "")
        cells = filled_cells.get(position, 0)
        if position in header.not_imported or (
            name and not cells and position not in header.understood
        ):
            ledger.ignored.append(name)
        elif cells:
            ledger.unknown.append(
                {
                    "header": name or header.under.get(position, ""),
                    "column": get_column_letter(position + 1),
                    "cells": cells,
                }
            )
