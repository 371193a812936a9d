"""The coverage report as an .xlsx workbook: the units' figures, then who received
nothing, homebound cadres first. Counts are numbers, names are text (``write_cell``)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ledger.workbooks import write_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _write_rows(sheet, rows) -> None:
    bold = Font(bold=True)
    for row_index, values in enumerate(rows, 1):
        for column_index, value in enumerate(values, 1):
            if value is None or value == "":
                continue
            cell = write_cell(sheet, row=row_index, column=column_index, value=value)
            if row_index == 1:
                cell.font = bold


def coverage_workbook(*, report: dict, filters: dict) -> bytes:
    workbook = Workbook()
    units = workbook.active
    units.title = _("Coverage by unit")[:31]
    units_rows = [
        [
            _("unit"),
            _("In the audience"),
            _("Reached"),
            _("Reached by nothing"),
            _("Homebound, reached by nothing"),
            _("Coverage (%)"),
        ],
    ]
    for line in report["lines"]:
        units_rows.append(
            [
                line.unit_name,
                line.audience,
                line.reached,
                line.missed,
                line.homebound_missed,
                line.percent,
            ]
        )
    units_rows.append(
        [
            _("Total"),
            report["audience"],
            report["reached"],
            report["audience"] - report["reached"],
            None,
            report["percent"],
        ]
    )
    _write_rows(units, units_rows)
    units.column_dimensions["A"].width = 30
    missed = workbook.create_sheet(_("Reached by nothing")[:31])
    missed_rows = [
        [
            _("name"),
            _("unit"),
            _("health"),
            _("living situation"),
            _("Homebound"),
            _("liaison"),
            _("phone"),
        ]
    ]
    for cadre in report["missed"].iterator(chunk_size=2000):
        missed_rows.append(
            [
                cadre.name,
                cadre.unit.name,
                cadre.get_health_display(),
                cadre.get_living_situation_display(),
                _("yes") if cadre.homebound else "",
                cadre.liaison.display_name if cadre.liaison else "",
                cadre.phone,
            ]
        )
    _write_rows(missed, missed_rows)
    missed.column_dimensions["B"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
