"""Reads of the holiday campaign (节日慰问): which occurrences of a holiday can be read
(this year's and those of the years before), and, for one of them, the cadres of its
audience among the user's, who has been visited within its visit window and who is
still to visit, with progress per unit and per liaison.
"""

from __future__ import annotations

import datetime

from accounts.models import Unit, User
from accounts.scoping import scope_filter
from cadres.models import Cadre

from .cadre_rows import active_cadres, on_register
from .holiday_rules import (
    HOLIDAY_LATE_DAYS,
    holiday_occurrence,
    holiday_occurrences,
    holiday_visit_dates,
    holiday_visit_window,
    in_holiday_audience,
)
from .models import Holiday

# The campaign page offers the holiday of this year and of so many years before.
CAMPAIGN_YEARS = 5


def campaign_occurrences(*, holiday: Holiday, today: datetime.date) -> list[datetime.date]:
    """The dates of the holiday whose campaign can be read, latest first: the current
    one (the next, once the festival days after the last one are over) and those of the
    CAMPAIGN_YEARS years before."""
    current = holiday_occurrence(holiday, today - datetime.timedelta(days=HOLIDAY_LATE_DAYS))
    return holiday_occurrences(holiday, until=current or today, years=CAMPAIGN_YEARS)


def holiday_campaign(
    *, user: User, holiday: Holiday, occurrence: datetime.date, today: datetime.date
) -> dict:
    """For one occurrence of a holiday (春节 2026…): the cadres of its audience among the
    user's cadres (as on the registry page: a branch secretary's are their branches'
    members), who has been visited within its visit window and who is still to visit
    (each list in pinyin order), and progress per unit and per liaison. A holiday
    already past counts those on the register on its day, so deaths since do not
    change its figures. A fixed number of queries, however many cadres there are."""
    # Before the holiday, whoever is on the register now is to be visited.
    on = occurrence if occurrence < today else None
    cadre_filter = scope_filter(user=user, unit_path="unit", cadre_path="") or None
    rows = {
        cadre.id: cadre
        for cadre in active_cadres(cadre_filter, on=on)
        if in_holiday_audience(holiday, cadre, occurrence)
    }
    by_pinyin = Cadre.objects.filter(on_register(on))
    if cadre_filter is not None:
        by_pinyin = by_pinyin.filter(cadre_filter)
    ordered = [
        pk
        for pk in by_pinyin.order_by("name_pinyin", "id").values_list("id", flat=True)
        if pk in rows
    ]
    visit_dates = holiday_visit_dates(holiday, occurrence)
    unit_names = dict(Unit.objects.order_by().values_list("id", "name"))
    audience = list(rows.values())
    staff_names = {
        u.pk: u.display_name for u in User.objects.filter(pk__in={c.liaison_id for c in audience})
    }

    def progress(key, names):
        groups: dict = {}
        for cadre in audience:
            row = groups.setdefault(key(cadre), [0, 0])
            row[0] += 1
            row[1] += cadre.id in visit_dates
        rows = [
            {
                "name": names.get(k, "—"),
                "total": total,
                "visited": seen,
                "percent": round(seen / total * 100),
            }
            for k, (total, seen) in groups.items()
        ]
        return sorted(rows, key=lambda row: (row["percent"], row["name"]))

    def entry(pk: int) -> dict:
        cadre = rows[pk]
        return {
            "id": pk,
            "name": cadre.name,
            "unit": unit_names.get(cadre.unit_id, ""),
            "visited_on": visit_dates.get(pk),
        }

    remaining = [entry(pk) for pk in ordered if pk not in visit_dates]
    visited = [entry(pk) for pk in ordered if pk in visit_dates]
    first, last = holiday_visit_window(holiday, occurrence)
    return {
        "holiday": holiday,
        "occurrence": occurrence,
        "window_first": first,
        "window_last": last,
        "audience": len(audience),
        "visited": len(visited),
        "percent": round(len(visited) / len(audience) * 100) if audience else 100,
        "by_unit": progress(lambda c: c.unit_id, unit_names),
        "by_liaison": progress(lambda c: c.liaison_id, staff_names),
        "remaining": remaining,
        "visited_cadres": visited,
    }
