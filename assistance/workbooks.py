"""The 帮扶 reports as .xlsx: the same rows as the page, amounts as numbers with two
decimals (never text), every text through the formula-safe cell helper."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ledger.workbooks import write_cell

from .reports import Table

FORMATS = {"money": "0.00", "days": "0.0", "share": "0.0%", "count": "0"}


def tables_workbook(*, tables: list[Table], year: int, scope: str) -> bytes:
    """One sheet per table: a heading, the header row, the rows and the total row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        title = str(table.title)
        sheet = workbook.create_sheet("".join(c for c in title if c not in "[]:*?/\\")[:31])
        heading = f"{title} · " + _("Year %(year)s") % {"year": year}
        write_cell(sheet, row=1, column=1, value=heading).font = Font(bold=True, size=13)
        if scope:
            write_cell(sheet, row=2, column=1, value=scope).font = Font(italic=True, size=10)
        header = 4
        for number, column in enumerate(table.columns, 1):
            cell = write_cell(sheet, row=header, column=number, value=str(column.label))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2E6E5")
            sheet.column_dimensions[cell.column_letter].width = 22 if number == 1 else 14
        body = list(table.rows) + ([table.total] if table.total else [])
        for offset, values in enumerate(body, 1):
            is_total = table.total is not None and offset == len(body)
            for number, (value, column) in enumerate(zip(values, table.columns, strict=True), 1):
                # openpyxl writes a Decimal as a number cell: no float on the way.
                if isinstance(value, Decimal) and column.kind == "money":
                    value = value.quantize(Decimal("0.01"))
                elif value is not None and column.kind == "text":
                    value = str(value)
                cell = write_cell(sheet, row=header + offset, column=number, value=value)
                if column.kind in FORMATS:
                    cell.number_format = FORMATS[column.kind]
                if is_total:
                    cell.font = Font(bold=True)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()
