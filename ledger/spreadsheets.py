"""Reading an uploaded ledger (.xlsx or .csv) into rows, and writing the blank template.

The rows are handed to django-import-export as a ``tablib.Dataset``, but the file is read
here with openpyxl and the csv module rather than with ``Dataset.load``: a ledger has to
be found on the right sheet (the template also carries 说明 and 选项 sheets) and under
its header row (bureaus often put a title row above it), blank rows must be skipped
while keeping the row numbers Excel shows, headers may come in common variants
(身份证号码 for 身份证号), and a .csv saved by Chinese Excel is GBK rather than UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import (
    CHOICES_SHEET,
    COLUMNS_BY_KEY,
    DATA_SHEET,
    LEDGER_COLUMNS,
    NOTES_SHEET,
    REQUIRED_COLUMNS,
    DateCell,
    IdNumberCell,
    LedgerColumn,
    column_for_header,
)

# The column that carries each row's number in the sheet through the import.
ROW_NUMBER = "__row__"
MAX_ROWS = 50_000
# Rows above the header that may hold a title ("XX单位离退休干部台账").
HEADER_SEARCH_ROWS = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "干部台账导入模板.xlsx"
TEMPLATE_ROWS = 2000


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
    ``ValidationError`` for a file that cannot be read as a ledger at all."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xls":
        raise ValidationError(
            _("This is the old Excel format (.xls): save it as .xlsx and upload it again."),
            code="xls",
        )
    if suffix in ("xlsx", "xlsm"):
        rows = _xlsx_rows(data)
    elif suffix in ("csv", "txt"):
        rows = _csv_rows(data)
    else:
        raise ValidationError(_("Upload an .xlsx or a .csv file."), code="file_type")
    return _ledger(rows)


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, Sequence[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError(
            _("The file cannot be read as an Excel workbook (.xlsx)."), code="unreadable"
        ) from None
    if DATA_SHEET in workbook.sheetnames:
        sheet = workbook[DATA_SHEET]
    else:
        names = [n for n in workbook.sheetnames if n not in (NOTES_SHEET, CHOICES_SHEET)]
        sheet = workbook[names[0]] if names else workbook.worksheets[0]
    # Some programs write a wrong sheet size into the file; read to the real end.
    sheet.reset_dimensions()
    try:
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


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


def _csv_rows(data: bytes) -> Iterable[tuple[int, Sequence[Any]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        yield from enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
    except csv.Error:
        raise ValidationError(
            _("The file cannot be read as CSV; save it again from Excel as CSV."),
            code="unreadable",
        ) from None


def _blank(values: Sequence[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def _ledger(rows: Iterable[tuple[int, Sequence[Any]]]) -> LedgerSheet:
    rows = iter(rows)
    sheet = None
    for number, values in rows:
        found = [column_for_header(value) for value in values]
        if sum(1 for column in found if column is not None) >= 3:
            sheet = _header(found, values)
            break
        if number >= HEADER_SEARCH_ROWS:
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
    for number, values in rows:
        if _blank(values):
            continue
        if len(sheet.ledger) >= MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(count)s rows; split it into smaller files.")
                % {"count": MAX_ROWS},
                code="too_many_rows",
            )
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
                ignored.append(str(value).strip())
            continue
        if column in columns:
            raise ValidationError(
                _("The column “%(header)s” appears twice.") % {"header": column.header},
                code="duplicate_column",
            )
        if not column.imported:
            ignored.append(str(value).strip())
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


# The template ----------------------------------------------------------------------------

EXAMPLES = {
    "name": "张三",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1950-03-15",
    "celebrates_lunar_birthday": "否",
    "id_number": "110101195003150013",
    "retirement_kind": "退休",
    "retirement_date": "2010-03-15",
    "former_employer": "县教育局",
    "former_post": "科长",
    "rank": "乡科级正职",
    "political_status": "中共党员",
    "party_joined_on": "1975-07-01",
    "phone": "13800000000",
    "address": "城关镇东关社区3号楼1单元201室",
    "residential_community": "城关镇东关社区",
    "health": "良好",
    "living_situation": "空巢",
    "hardship": "无",
    "hobbies": "书法、太极拳",
    "contact_name": "张明",
    "contact_relation": "子女",
    "contact_phone": "13900000000",
    "status": "在册",
}


def template_workbook(*, unit_names: Sequence[str], branch_names: Sequence[str]) -> bytes:
    """The blank ledger to fill in: the 干部台账 sheet with the headers (required ones
    in red), text and date formats and drop-down lists; a 说明 sheet explaining every
    column; a 选项 sheet with the allowed values, the user's units and the branches."""
    columns = [column for column in LEDGER_COLUMNS if column.imported]
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    notes = workbook.create_sheet(NOTES_SHEET)
    choices = workbook.create_sheet(CHOICES_SHEET)

    bold = Font(bold=True)
    required_font = Font(bold=True, color="C00000")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    lists: dict[str, str] = {}
    list_values = [
        *((column.key, column.header, column.choice_labels) for column in columns),
        ("unit", "所在单位", list(dict.fromkeys(unit_names))),
        ("branch", "党支部", list(dict.fromkeys(branch_names))),
    ]
    list_column = 0
    for key, header, values in list_values:
        if not values:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        choices.cell(row=1, column=list_column, value=header).font = bold
        for offset, value in enumerate(values, start=2):
            choices.cell(row=offset, column=list_column, value=value)
        choices.column_dimensions[letter].width = max(12, 2 * len(header) + 2)
        lists[key] = f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${len(values) + 1}"

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font = required_font if column.required else bold
        cell.fill = header_fill
        data.column_dimensions[letter].width = max(column.width, 2 * len(column.header) + 2)
        number_format = (
            "@"
            if isinstance(column.widget, IdNumberCell)
            else "yyyy-mm-dd"
            if isinstance(column.widget, DateCell)
            else None
        )
        if number_format:
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row=row, column=index).number_format = number_format
        if column.key in lists:
            validation = DataValidation(
                type="list",
                formula1=lists[column.key],
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            data.add_data_validation(validation)
    data.freeze_panes = "B2"

    _write_notes(notes, columns, bold)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_notes(notes, columns: list[LedgerColumn], bold: Font) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        _("How to fill in the ledger"),
        _(
            "Fill in one row per cadre on the sheet “%(sheet)s”, below its header row; "
            "do not change the column names. Columns in red must be filled in."
        )
        % {"sheet": DATA_SHEET},
        _(
            "Family: the emergency contact goes in the three 紧急联系人 columns of the "
            "cadre's own row (name, relation, phone)."
        ),
        _(
            "A .csv file is accepted too, with the same column names, saved as UTF-8 or "
            "as the GBK that Chinese Excel uses."
        ),
        _(
            "The whole file is checked first and every problem is listed by row and "
            "column. Nothing is imported until every row is correct; then all rows are "
            "imported together, or none."
        ),
        _(
            "A cadre whose resident ID number, or whose name and date of birth, is "
            "already on the register is refused, as are duplicates within the file."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        cell = notes.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=False)
    notes.cell(row=1, column=1).font = Font(bold=True, size=14)
    table_top = len(lines) + 2
    headings = [
        _("Column"),
        _("Required"),
        _("How to fill it in"),
        _("Allowed values"),
        _("Example"),
    ]
    for index, heading in enumerate(headings, start=1):
        notes.cell(row=table_top, column=index, value=heading).font = bold
    for offset, column in enumerate(columns, start=1):
        values = [
            column.header,
            _("Yes") if column.required else "",
            str(column.help),
            "、".join(column.choice_labels[:60])
            if column.key != "ethnicity"
            else "汉族、回族、满族……",
            EXAMPLES.get(column.key, ""),
        ]
        for index, value in enumerate(values, start=1):
            notes.cell(row=table_top + offset, column=index, value=value).alignment = wrap
    for letter, width in zip("ABCDE", (16, 8, 60, 40, 24), strict=True):
        notes.column_dimensions[letter].width = width
