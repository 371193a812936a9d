"""The campaign's list (by default who is not yet checked) as an .xlsx workbook."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import Unit, User
from ledger.workbooks import write_cell

from .models import CheckupCampaign


def pending_workbook(*, campaign: CheckupCampaign, rows: list[dict]) -> bytes:
    """One sheet: name, unit, liaison, state, reason, date checked, hospital, result.
    User text is written as text, never as a formula."""
    units = dict(Unit.objects.filter(id__in={r["unit_id"] for r in rows}).values_list("id", "name"))
    staff = User.objects.filter(id__in={r["liaison_id"] for r in rows if r["liaison_id"]})
    liaisons = {person.pk: person.display_name for person in staff}
    book = Workbook()
    sheet = book.active
    sheet.title = str(campaign.year)
    headers = [
        _("Name"),
        _("unit"),
        _("liaison"),
        _("status"),
        _("reason not checked"),
        _("checked on"),
        _("hospital"),
        _("result"),
    ]
    for column, header in enumerate(headers, 1):
        write_cell(sheet, row=1, column=column, value=header)
    for index, row in enumerate(rows, 2):
        values = [
            row["name"],
            units.get(row["unit_id"], ""),
            liaisons.get(row["liaison_id"], ""),
            _("Checked") if row["checked_on"] else _("Not yet checked"),
            row["reason_label"],
            row["checked_on"],
            row["hospital"],
            row["result_label"],
        ]
        for column, value in enumerate(values, 1):
            write_cell(sheet, row=index, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
