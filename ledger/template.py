"""The blank ledger to fill in (台账导入模板): the 干部台账 sheet with the headers and
drop-down lists, a 说明 sheet explaining every column, a 选项 sheet with the allowed
values, the user's units and the branches. Every cell goes through
:func:`ledger.workbooks.write_cell`, so a unit or branch name that begins with "=" stays
text."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import IdNumberCell
from .columns import CHOICES_SHEET, DATA_SHEET, LEDGER_COLUMNS, NOTES_SHEET, LedgerColumn
from .date_cells import DateCell
from .workbooks import write_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "干部台账导入模板.xlsx"
TEMPLATE_ROWS = 2000

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
        write_cell(choices, row=1, column=list_column, value=header).font = bold
        for offset, value in enumerate(values, start=2):
            write_cell(choices, row=offset, column=list_column, value=value)
        choices.column_dimensions[letter].width = max(12, 2 * len(header) + 2)
        lists[key] = f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${len(values) + 1}"

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = write_cell(data, row=1, column=index, value=column.header)
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
        cell = write_cell(notes, row=row, column=1, value=line)
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
        write_cell(notes, row=table_top, column=index, value=heading).font = bold
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
            write_cell(notes, row=table_top + offset, column=index, value=value).alignment = wrap
    for letter, width in zip("ABCDE", (16, 8, 60, 40, 24), strict=True):
        notes.column_dimensions[letter].width = width
