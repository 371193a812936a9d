"""The dashboard's figures and charts, for the user's scope, in a fixed number of queries
(its lists are in ``dashboard_lists``).

Every figure and list reads the cadres ``accounts.scoping`` gives the user, as the
registry page does: unit staff their unit subtree, a branch secretary the members of the
branches they lead."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from accounts.models import Unit, User
from accounts.scoping import reads_by_branch, scope_filter
from cadres.age_bands import AgeBand
from cadres.models import (
    Cadre,
    Visit,
    VisitOccasion,
    occasion_colour,
)

from .charts import bar_chart, horizontal_bars, month_label
from .models import DashboardSnapshot, DashboardUnitFigures
from .services import chart_first_month, unit_figures


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
            if isinstance(value, int):
                total[name] = total.get(name, 0) + value
    return total


def age_band_chart(figures: dict) -> dict:
    labels = [str(band.label) for band in AgeBand]
    values = [figures[f"band_{band.name}"] for band in AgeBand]
    return bar_chart(labels, [("", values)], width=340, height=200)


def _chart_months(today: datetime.date) -> list[datetime.date]:
    """The first days of the current month and the eleven before it."""
    first = chart_first_month(today, 12)
    return [
        datetime.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        for n in range(12)
    ]


def _visits_by_day(*, user: User, since: datetime.date, today: datetime.date):
    """Done visits of the user's cadres from ``since`` to ``today``, counted by day and
    occasion: rows of (day, occasion id, count). Counted by day and added up into months
    by the caller: truncating to the month in SQL is a Python function call per visit on
    SQLite, and the day, occasion and cadre are all in the visit index."""
    return (
        Visit.objects.filter(_scope_by_cadre(user))
        .filter(status=Visit.Status.DONE, visited_on__gte=since, visited_on__lte=today)
        .values_list("visited_on", "occasion_id")
        .annotate(total=Count("*"))  # COUNT(*): from the visit index alone
        .order_by()
    )


def visits_by_month_chart(
    *,
    user: User,
    today: datetime.date,
    snapshot: DashboardSnapshot | None = None,
    by_unit: dict | None = None,
) -> dict:
    """Visits done in each of the last 12 months, stacked by occasion: the snapshot's
    monthly counts of the user's units (``by_unit``) and the visits made since its day,
    or (without a snapshot, or for a branch secretary's few branches) all counted live."""
    months = _chart_months(today)
    by_occasion: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    live_since = months[0]
    stored = [figures.get("visits_by_month") for figures in (by_unit or {}).values()]
    if snapshot is not None and by_unit and all(month is not None for month in stored):
        live_since = max(snapshot.day, months[0])
        shown = {month.strftime("%Y-%m"): month for month in months if month < live_since}
        for counts in stored:
            for key, occasions in counts.items():
                if key in shown:
                    for occasion_id, total in occasions.items():
                        by_occasion[int(occasion_id)][shown[key]] += total
    for day, occasion_id, total in _visits_by_day(user=user, since=live_since, today=today):
        by_occasion[occasion_id][day.replace(day=1)] += total
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
        if pk in occasions
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
