"""The dashboard's figures and lists, for the user's scope, in a fixed number of queries.

Every figure and list reads the cadres ``accounts.scoping`` gives the user, as the
registry page does: unit staff their unit subtree, a branch secretary the members of the
branches they lead."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import Unit, User
from accounts.scoping import reads_by_branch, scope_filter
from cadres.age_bands import AgeBand
from cadres.models import (
    Cadre,
    CadreStatus,
    Visit,
    VisitOccasion,
    occasion_colour,
)
from cadres.pinyin import pinyin_sort_key
from reminders.rules import care_need_items, holiday_visit_window

from .charts import bar_chart, horizontal_bars, month_label
from .models import DashboardEntry, DashboardSnapshot, DashboardUnitFigures
from .services import unit_figures


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


def dashboard_snapshot(*, today: datetime.date) -> DashboardSnapshot | None:
    """The latest snapshot of the dashboard's lists and figures (``dashboard_refresh``)."""
    return (
        DashboardSnapshot.objects.filter(day__lte=today)
        .select_related("holiday__occasion")
        .order_by("-day")
        .first()
    )


FIGURES = (
    "on_register",
    "lixiu",
    "tuixiu",
    "party",
    "alone",
    "hardship",
    "hospital",
    "visited",
    "holiday_audience",
    *(f"band_{band.name}" for band in AgeBand),
)


def figures_by_unit(*, user: User, snapshot: DashboardSnapshot) -> dict[int, dict]:
    """The snapshot's figures of each unit the user sees. A branch secretary's cadres
    are a few branches' members, not whole units: theirs are counted live."""
    if reads_by_branch(user=user):
        holiday = (snapshot.holiday, snapshot.holiday_date) if snapshot.holiday else None
        cadres = Cadre.objects.filter(_scope(user))
        return unit_figures(cadres, day=snapshot.day, holiday=holiday)
    rows = DashboardUnitFigures.objects.filter(snapshot=snapshot).filter(
        scope_filter(user=user, unit_path="unit")
    )
    return dict(rows.values_list("unit_id", "figures"))


def headline_figures(*, by_unit: dict[int, dict]) -> dict:
    """On the register, 离休/退休, age bands, Party members, alone, hardship, hospital."""
    total = dict.fromkeys(FIGURES, 0)
    for figures in by_unit.values():
        for name, value in figures.items():
            total[name] = total.get(name, 0) + value
    return total


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
    occasions = {
        pk: (name, occasion_colour(code))
        for pk, name, code in VisitOccasion.objects.filter(pk__in=by_occasion).values_list(
            "pk", "name", "code"
        )
    }
    series = [
        (occasions[pk][0], [values.get(month, 0) for month in months])
        for pk, values in sorted(
            by_occasion.items(), key=lambda item: (-sum(item[1].values()), item[0])
        )
    ]
    labels = [month_label(month) for month in months]
    return bar_chart(
        labels,
        series or [("", [0] * len(months))],
        colours=dict(occasions.values()),
    )


def coverage_by_unit_chart(*, by_unit: dict[int, dict]) -> dict:
    """Share of each top-level unit's cadres visited at least once in the last 12 months."""
    totals = {unit_id: figures["on_register"] for unit_id, figures in by_unit.items()}
    visited = {unit_id: figures["visited"] for unit_id, figures in by_unit.items()}
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


class DashboardItem:
    """One row of a dashboard list, as the template reads it."""

    __slots__ = ("cadre_id", "details", "kind", "occurrence")

    def __init__(self, kind, cadre_id, occurrence, details):
        self.kind = kind
        self.cadre_id = cadre_id
        self.occurrence = occurrence
        self.details = details


def _items(entries, today: datetime.date, *, overdue: bool = False) -> list[DashboardItem]:
    items = []
    for kind, cadre_id, occurrence, details in entries.values_list(
        "kind", "cadre_id", "occurrence", "details"
    ):
        if overdue:
            # The snapshot may be of an earlier day: days counted to today.
            since = details.get("since") or details.get("last_visit")
            if since:
                details["days"] = (today - datetime.date.fromisoformat(since)).days
            details["overdue_days"] = (today - occurrence).days
        items.append(DashboardItem(kind, cadre_id, occurrence, details))
    return items


def _not_visited_since(cleared_from: str = "cleared_from", **visit) -> Exists:
    """A done visit of the entry's cadre on or after the entry's ``cleared_from``:
    recorded since the snapshot, it takes the cadre off the list at once."""
    return Exists(
        Visit.objects.filter(
            cadre=OuterRef("cadre_id"),
            status=Visit.Status.DONE,
            visited_on__gte=OuterRef(cleared_from),
            **visit,
        )
    )


def dashboard_lists(
    *, user: User, today: datetime.date, snapshot: DashboardSnapshot, by_unit: dict
) -> dict:
    """Birthdays in the next 14 days (the soonest first), the next holiday and who is
    still to be visited, overdue visits and care needs past due (the most days overdue
    first): the snapshot's rows in the user's scope, less those a visit since has
    settled and those no longer on the register; a few indexed queries, whatever the
    size of the register."""
    entries = DashboardEntry.objects.filter(
        scope_filter(user=user, unit_path="unit", cadre_path="cadre"),
        snapshot=snapshot,
        cadre__status=CadreStatus.ON_REGISTER,
    )
    horizon = today + datetime.timedelta(days=14)
    birthdays = entries.filter(
        kind=DashboardEntry.Kind.BIRTHDAY, occurrence__gte=today, occurrence__lte=horizon
    )
    overdue = entries.filter(
        kind__in=[DashboardEntry.Kind.HOSPITAL_VISIT, DashboardEntry.Kind.OVERDUE_VISIT]
    ).exclude(_not_visited_since())
    need_filter = scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")
    return {
        # A county's fortnight of birthdays is a few dozen; a city's can be thousands.
        "birthdays": _items(birthdays.order_by("occurrence", "sort_name")[:BIRTHDAYS_SHOWN], today),
        "birthdays_count": birthdays.count(),
        "overdue": _items(overdue.order_by("occurrence", "sort_name")[:30], today, overdue=True),
        "overdue_count": overdue.count(),
        "needs": _most_overdue_first(care_need_items(today, need_filter or None), today)[:30],
        "holiday": _next_holiday(entries, snapshot, today, by_unit),
    }


def _next_holiday(entries, snapshot: DashboardSnapshot, today: datetime.date, by_unit: dict):
    holiday, occurrence = snapshot.holiday, snapshot.holiday_date
    if holiday is None or occurrence < today:
        return None
    _first, last = holiday_visit_window(holiday, occurrence)
    remaining = (
        entries.filter(kind=DashboardEntry.Kind.HOLIDAY_VISIT)
        .exclude(_not_visited_since(occasion_id=holiday.occasion_id, visited_on__lte=last))
        .count()
    )
    audience = sum(figures.get("holiday_audience", 0) for figures in by_unit.values())
    remaining = min(remaining, audience)
    return {
        "holiday": holiday,
        "date": occurrence,
        "days": (occurrence - today).days,
        "audience": audience,
        "remaining": remaining,
        "done_percent": round((audience - remaining) / audience * 100) if audience else 100,
    }
