"""The dashboard's figures and lists, for the user's scope, in a fixed number of queries.

Every figure and list reads the cadres ``accounts.scoping`` gives the user, as the
registry page does: unit staff their unit subtree, a branch secretary the members of the
branches they lead."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import formats

from accounts.models import Unit, User
from accounts.scoping import scope_filter
from cadres.age_bands import AgeBand, age_band_q
from cadres.models import (
    Cadre,
    CadreStatus,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    RetirementKind,
    Visit,
    VisitOccasion,
)
from cadres.pinyin import pinyin_sort_key
from reminders.models import Holiday, ReminderKind, ReminderRule
from reminders.rules import (
    active_cadres,
    birthday_items,
    care_need_items,
    holiday_occurrence,
    holiday_visited_cadre_ids,
    hospital_visit_items,
    in_holiday_audience,
    last_visit_dates,
    overdue_visit_items,
)

from .charts import bar_chart, horizontal_bars


def _scope(user: User) -> Q:
    """The user's cadres, as on the registry page (a branch secretary's are the members
    of the branches they lead, not their whole unit); empty when they see all."""
    return scope_filter(user=user, unit_path="unit", cadre_path="")


def _scope_by_cadre(user: User) -> Q:
    """Visits of the user's cadres, asked as "cadre in (the user's cadres)": SQLite then
    reads the cadre from the visit index instead of joining every visit to its cadre."""
    cadres = _scope(user)
    if not cadres:
        return Q()
    return Q(cadre__in=Cadre.objects.filter(cadres).values("pk"))


def headline_figures(*, user: User, today: datetime.date) -> dict:
    """On the register, 离休/退休, age bands, Party members, alone, hardship, hospital."""
    active = Q(status=CadreStatus.ON_REGISTER)
    counts = {
        "on_register": Count("id", filter=active),
        "lixiu": Count("id", filter=active & Q(retirement_kind=RetirementKind.LIXIU)),
        "tuixiu": Count("id", filter=active & Q(retirement_kind=RetirementKind.TUIXIU)),
        "party": Count("id", filter=active & Q(political_status=PoliticalStatus.CPC_MEMBER)),
        "alone": Count("id", filter=active & Q(living_situation=LivingSituation.ALONE)),
        "hardship": Count("id", filter=active & ~Q(hardship=Hardship.NONE)),
        "hospital": Count("id", filter=active & Q(health=Health.IN_HOSPITAL)),
    }
    for band in AgeBand:
        counts[f"band_{band.name}"] = Count("id", filter=active & age_band_q(band, today=today))
    return Cadre.objects.filter(_scope(user)).aggregate(**counts)


def age_band_chart(figures: dict) -> dict:
    labels = [str(band.label) for band in AgeBand]
    values = [figures[f"band_{band.name}"] for band in AgeBand]
    return bar_chart(labels, [("", values)], width=340, height=200)


def visits_by_month_chart(*, user: User, today: datetime.date) -> dict:
    """Visits done in each of the last 12 months, stacked by occasion."""
    # The current month and the eleven before it.
    first = datetime.date(today.year - 1, today.month % 12 + 1, 1)
    if today.month == 12:
        first = datetime.date(today.year, 1, 1)
    months = []
    current = first
    while current <= today:
        months.append(current)
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    # Counted by day and added up into months here: truncating to the month in SQL is a
    # Python function call per visit on SQLite, and the day, occasion and cadre are all
    # in the visit index, so the count reads no visit row.
    rows = (
        Visit.objects.filter(_scope_by_cadre(user))
        .filter(status=Visit.Status.DONE, visited_on__gte=first, visited_on__lte=today)
        .values("visited_on", "occasion_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    by_occasion: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        by_occasion[row["occasion_id"]][row["visited_on"].replace(day=1)] += row["total"]
    names = dict(VisitOccasion.objects.filter(pk__in=by_occasion).values_list("pk", "name"))
    series = [
        (names[pk], [values.get(month, 0) for month in months])
        for pk, values in sorted(
            by_occasion.items(), key=lambda item: (-sum(item[1].values()), item[0])
        )
    ]
    labels = [formats.date_format(month, "MONTH_ONLY_FORMAT") for month in months]
    return bar_chart(labels, series or [("", [0] * len(months))])


def coverage_by_unit_chart(*, user: User, today: datetime.date) -> dict:
    """Share of each top-level unit's cadres visited at least once in the last 12 months."""
    year_ago = today - datetime.timedelta(days=365)
    active = Cadre.objects.filter(_scope(user), status=CadreStatus.ON_REGISTER)
    totals = dict(active.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))
    # EXISTS, one index probe per cadre, rather than joining and de-duplicating a year
    # of visits.
    recent_visit = Visit.objects.filter(
        cadre=OuterRef("pk"), status=Visit.Status.DONE, visited_on__gte=year_ago
    )
    visited = dict(
        active.filter(Exists(recent_visit))
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    units = {u.pk: u for u in Unit.objects.only("id", "name", "parent_id")}

    # Roll sub-units up into the unit below the top of the tree (the employer).
    def head(unit_id):
        unit = units[unit_id]
        while unit.parent_id and units[unit.parent_id].parent_id:
            unit = units[unit.parent_id]
        return unit

    rolled: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, count in totals.items():
        rolled[head(unit_id).pk][0] += count
        rolled[head(unit_id).pk][1] += visited.get(unit_id, 0)
    rows = sorted(
        (
            (units[pk].name, seen / total * 100, f"{seen}/{total}")
            for pk, (total, seen) in rolled.items()
            if total
        ),
        key=lambda row: row[1],
    )
    return horizontal_bars(rows[:20])


BIRTHDAYS_SHOWN = 100


def _most_overdue_first(items, today: datetime.date) -> list:
    """Items by how long they have been due (``overdue_days``, added to their details),
    the longest first; then names in pinyin order."""
    for item in items:
        item.details["overdue_days"] = (today - item.occurrence).days
    return sorted(items, key=lambda item: (item.occurrence, pinyin_sort_key(item.details["name"])))


def dashboard_lists(*, user: User, today: datetime.date) -> dict:
    """Birthdays in the next 14 days (the soonest first), the next holiday and who is
    still to be visited, overdue visits and care needs past due (the most days overdue
    first) — from the reminder rules, in scope."""
    cadre_filter = _scope(user)
    cadres = active_cadres(cadre_filter or None)
    birthdays = sorted(
        birthday_items(cadres, today, 14),
        key=lambda item: (item.occurrence, pinyin_sort_key(item.details["name"])),
    )
    rules = {rule.kind: rule for rule in ReminderRule.objects.filter(is_active=True)}
    last_visits = _last_visit_dates(cadre_filter)
    overdue = []
    if ReminderKind.HOSPITAL_VISIT in rules:
        overdue += hospital_visit_items(
            cadres, today, rules[ReminderKind.HOSPITAL_VISIT], last_visits
        )
    if ReminderKind.OVERDUE_VISIT in rules:
        overdue += overdue_visit_items(
            cadres, today, rules[ReminderKind.OVERDUE_VISIT], last_visits
        )
    need_filter = scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")
    holiday = _next_holiday(cadres, today)
    return {
        # A county's fortnight of birthdays is a few dozen; a city's can be thousands.
        "birthdays": birthdays[:BIRTHDAYS_SHOWN],
        "birthdays_count": len(birthdays),
        "overdue": _most_overdue_first(overdue, today)[:30],
        "overdue_count": len(overdue),
        "needs": _most_overdue_first(care_need_items(today, need_filter or None), today)[:30],
        "holiday": holiday,
    }


def _last_visit_dates(cadre_filter: Q) -> dict[int, datetime.date]:
    """``last_visit_dates`` of the user's cadres only (all when the filter is empty): a
    unit's staff need not read the last visit of every cadre of the county."""
    if not cadre_filter:
        return last_visit_dates()
    cadres = Cadre.objects.filter(cadre_filter, status=CadreStatus.ON_REGISTER)
    return dict(
        Visit.objects.filter(status=Visit.Status.DONE, cadre__in=cadres.values("pk"))
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )


def _next_holiday(cadres, today):
    best = None
    for holiday in Holiday.objects.filter(is_active=True).select_related("occasion"):
        occurrence = holiday_occurrence(holiday, today)
        if occurrence and (best is None or occurrence < best[1]):
            best = (holiday, occurrence)
    if best is None:
        return None
    holiday, occurrence = best
    visited = holiday_visited_cadre_ids(holiday, occurrence)
    audience = [c for c in cadres if in_holiday_audience(holiday, c, occurrence)]
    remaining = sum(1 for c in audience if c.id not in visited)
    return {
        "holiday": holiday,
        "date": occurrence,
        "days": (occurrence - today).days,
        "audience": len(audience),
        "remaining": remaining,
        "done_percent": round((len(audience) - remaining) / len(audience) * 100)
        if audience
        else 100,
    }
