"""Reading an uploaded ledger (.xlsx or .csv) into rows.

The rows are handed to django-import-export as a ``tablib.Dataset``, but the file is read
here rather than with ``Dataset.load``: a ledger has to be found on the right sheet (the
template also carries 说明 and 选项 sheets) and under its header row (bureaus often put a
title row above it), blank rows must be skipped while keeping the row numbers Excel
shows, headers may come in common variants (身份证号码 for 身份证号), and a .csv saved by
Chinese Excel is GBK rather than UTF-8. Both kinds of file are read within the upload
limits (:mod:`ledger.upload_limits`; an .xlsx through :mod:`ledger.xlsx_reader`), and
reading stops where the data ends.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .columns import (
    CHOICES_SHEET,
    COLUMNS_BY_KEY,
    DATA_SHEET,
    NOTES_SHEET,
    REQUIRED_COLUMNS,
    LedgerColumn,
    cell_text,
    column_for_header,
)
from .upload_limits import (
    UploadLimits,
    cell_too_long,
    check_csv_text,
    too_large,
    too_many_columns,
    too_many_rows,
)
from .xlsx_reader import xlsx_rows

# The column that carries each row's number in the sheet through the import.
ROW_NUMBER = "__row__"
# Rows above the header that may hold a title ("XX单位离退休干部台账").
HEADER_SEARCH_ROWS = 10


@dataclass
class LedgerSheet:
    """The cadre rows of a file: for each row its cells in the order of ``columns``,
    then its row number in the sheet."""

    columns: list[LedgerColumn]
    rows: list[tuple] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

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
    if suffix in ("xlsx", "xlsm"):
        rows = xlsx_rows(
            data, limits=limits, sheet_name=DATA_SHEET, skipped_sheets=(NOTES_SHEET, CHOICES_SHEET)
        )
    else:
        rows = _csv_rows(data, limits=limits)
    try:
        return _ledger(rows, limits=limits)
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


def _blank(values: Sequence[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def _ledger(rows: Iterator[tuple[int, Sequence[Any]]], *, limits: UploadLimits) -> LedgerSheet:
    """The header row among the first rows, then the cadre rows below it, until a run
    of ``limits.blank_rows`` blank rows ends the data (rows the file leaves out count
    as blank: a sheet may skip from row 20 to row 1,048,576)."""
    sheet = None
    for count, (number, values) in enumerate(rows, start=1):
        if len(values) > limits.columns:
            raise too_many_columns(limits)
        found = [column_for_header(value) for value in values]
        if sum(1 for column in found if column is not None) >= 3:
            sheet = _header(found, values)
            break
        if number >= HEADER_SEARCH_ROWS or count >= HEADER_SEARCH_ROWS:
            break
    if sheet is None:
        raise ValidationError(
            _(
                "No header row was found: the first rows must hold the template's column "
                "names (姓名, 身份证号 and so on)."
            ),
            code="no_header",
        )
    positions = sheet.positions
    previous = number
    blank_run = 0
    for count, (number, values) in enumerate(rows, start=1):
        blank_run += max(number - previous, 1) - 1
        previous = max(previous, number)
        if blank_run >= limits.blank_rows:
            break
        if count > limits.row_span or number > limits.row_span:
            raise too_many_rows(limits)
        if len(values) > limits.columns:
            raise too_many_columns(limits)
        if _blank(values):
            blank_run += 1
            if blank_run >= limits.blank_rows:
                break
            continue
        blank_run = 0
        if len(sheet.ledger) >= limits.rows:
            raise too_many_rows(limits)
        cells = [values[index] if index < len(values) else None for index in positions]
        sheet.ledger.rows.append((*cells, number))
    if not sheet.ledger.rows:
        raise ValidationError(_("The file has no rows of cadres below the header."), code="no_rows")
    return sheet.ledger


@dataclass
class _Header:
    ledger: LedgerSheet
    positions: list[int]


def _header(found: list[LedgerColumn | None], values: Sequence[Any]) -> _Header:
    columns: list[LedgerColumn] = []
    positions: list[int] = []
    ignored: list[str] = []
    for index, (column, value) in enumerate(zip(found, values, strict=True)):
        if column is None:
            if value is not None and str(value).strip():
                ignored.append(cell_text(value))
            continue
        if column in columns:
            raise ValidationError(
                _("The column “%(header)s” appears twice.") % {"header": column.header},
                code="duplicate_column",
            )
        if not column.imported:
            ignored.append(cell_text(value))
            continue
        columns.append(column)
        positions.append(index)
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
    return _Header(LedgerSheet(columns=columns, ignored=ignored), positions)
