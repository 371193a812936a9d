"""The annual unit scorecard as an .xlsx file: the same ranking as the page, every
figure a number (counts, shares formatted as percentages, the score in points)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ledger.workbooks import write_cell

from .scorecard import Scorecard, UnitRow


def scorecard_workbook(*, card: Scorecard, scope: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Unit scorecard")[:31]
    title = _("Unit scorecard %(year)s") % {"year": card.year}
    write_cell(sheet, row=1, column=1, value=title).font = Font(bold=True, size=14)
    note = _("Counted up to %(day)s") % {"day": card.day.isoformat()}
    write_cell(sheet, row=2, column=1, value=" · ".join(p for p in (scope, note) if p))
    weights = " · ".join(
        f"{m.label} {m.weight}" + ("" if m.available else f" ({_('not available')})")
        for m in card.measures
    )
    write_cell(sheet, row=3, column=1, value=_("Weights") + ": " + weights)
    headers = [_("Rank"), _("unit")]
    for measure in card.measures:
        headers += [
            f"{measure.label}: {_('figure')}",
            f"{measure.label}: {_('of')}",
            f"{measure.label}: {_('share')}",
        ]
    headers.append(_("Score"))
    header_row = 5
    for number, text in enumerate(headers, 1):
        cell = write_cell(sheet, row=header_row, column=number, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2E6E5")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    body = [(row, False) for row in card.rows] + [(card.total, True)]
    for offset, (row, is_total) in enumerate(body, 1):
        values = _values(card, row, total=is_total)
        for number, value in enumerate(values, 1):
            cell = write_cell(sheet, row=header_row + offset, column=number, value=value)
            if is_total:
                cell.font = Font(bold=True)
            if isinstance(value, float) and number != len(values):
                cell.number_format = "0.0%"
            elif isinstance(value, float):
                cell.number_format = "0.0"
    sheet.column_dimensions["B"].width = 24
    for number in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = 12
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _values(card: Scorecard, row: UnitRow, *, total: bool) -> list:
    values: list = [None if total else row.rank, _("All units shown") if total else row.name]
    for measure in card.measures:
        figure = row.figures.get(measure.code)
        if figure is None:
            values += [None, None, None]
            continue
        values += [figure.figure, figure.total, figure.share]
    values.append(row.score)
    return values
