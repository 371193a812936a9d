"""The 慰问经费 report as .xlsx: the page's tables, one sheet each, amounts as numbers
with two decimals (never text), every text through the formula-safe cell helper."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ledger.workbooks import write_cell

from .report import Table

FORMATS = {"money": "#,##0.00", "count": "0", "share": "0.0%"}


def _sheet_title(title: str, taken: set[str]) -> str:
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    base, number = name, 2
    while name in taken:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def report_workbook(*, tables: list[Table], year: int, scope: str) -> bytes:
    """One sheet per table: its title and scope, the header row, the rows and the total."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for table in tables:
        title = str(table.title)
        sheet = workbook.create_sheet(_sheet_title(title, taken))
        heading = f"{title} · " + _("Year %(year)s") % {"year": year}
        write_cell(sheet, row=1, column=1, value=heading).font = Font(bold=True, size=13)
        write_cell(
            sheet, row=2, column=1, value=" · ".join(p for p in (scope, table.note) if p)
        ).font = Font(italic=True, size=10)
        header = 4
        for number, column in enumerate(table.columns, 1):
            cell = write_cell(sheet, row=header, column=number, value=str(column.label))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2E6E5")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
            sheet.column_dimensions[get_column_letter(number)].width = 14 if column.numeric else 20
        body = [(row, index in table.emphasis) for index, row in enumerate(table.rows)]
        if table.total:
            body.append((table.total, True))
        for offset, (values, bold) in enumerate(body, 1):
            for number, (value, column) in enumerate(zip(values, table.columns, strict=True), 1):
                cell = write_cell(sheet, row=header + offset, column=number, value=value)
                cell.border = border
                if bold:
                    cell.font = Font(bold=True)
                if column.numeric and value is not None and not isinstance(value, str):
                    cell.number_format = FORMATS[column.kind]
        sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
        sheet.print_title_rows = f"{header}:{header}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
