"""A standard table as an .xlsx download (openpyxl): the year's theme and the title on
top, then the same headers, rows and total row as the page, with number formats,
column widths and print settings.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ledger.workbooks import write_cell

from ..models import YearTheme
from .display import format_cell
from .report import Format, Report, StandardTable

_XLSX_FORMATS = {
    Format.COUNT: "0",
    Format.MONEY: "#,##0.00",
    Format.DECIMAL: "0.0",
    Format.SHARE: "0.0%",
}


def report_workbook(
    *,
    table: StandardTable,
    report: Report,
    year: int,
    theme: YearTheme | None,
    scope: str,
) -> bytes:
    """The table as an .xlsx file: the year's theme and the title on top, then the same
    headers, rows and total row as the page."""
    workbook = Workbook()
    sheet = workbook.active
    title = str(table.title)
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    width = len(report.columns)
    heading = gettext("Year %(year)s") % {"year": year}
    if theme:
        heading = f"{heading} · {theme.theme}"
    lines = [
        (heading, Font(bold=True, size=14, color="8C1D18")),
        (title, Font(bold=True, size=13)),
        (" · ".join(part for part in (scope, report.note) if part), Font(size=10, italic=True)),
    ]
    for row_number, (text, font) in enumerate(lines, 1):
        write_cell(sheet, row=row_number, column=1, value=text).font = font
        if width > 1:
            sheet.merge_cells(
                start_row=row_number, start_column=1, end_row=row_number, end_column=width
            )
    header_row = len(lines) + 2
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column_number, column in enumerate(report.columns, 1):
        cell = write_cell(sheet, row=header_row, column=column_number, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2E6E5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    body = [(row, index in report.emphasis) for index, row in enumerate(report.rows)]
    if report.total:
        body.append((report.total, True))
    for offset, (row, bold) in enumerate(body, 1):
        for column_number, (value, column) in enumerate(zip(row, report.columns, strict=True), 1):
            cell = write_cell(sheet, row=header_row + offset, column=column_number, value=value)
            cell.border = border
            if bold:
                cell.font = Font(bold=True)
            if column.numeric and not isinstance(value, str):
                cell.number_format = _XLSX_FORMATS[column.format]
    for column_number, column in enumerate(report.columns, 1):
        longest = max(
            [len(str(column.label))]
            + [len(format_cell(row[column_number - 1], column.format)) for row, _bold in body]
        )
        sheet.column_dimensions[get_column_letter(column_number)].width = min(
            max(longest * 2 if not column.numeric else longest + 4, 8), 40
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
