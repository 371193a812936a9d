"""目标考核: the annual unit scorecard.

Each unit is assessed for a year on measures computed from the registry, each a share
from 0 to 1 — visits, the 春节 campaign, overdue visits, hospital stays, needs, checkups,
distributions and branch meetings — and ranked by the weighted mean of its shares, with
the weights administrators set (``ScorecardWeight``). A unit is assessed on its own
cadres (those whose unit it is), so that each figure is the list behind it on the
registry's pages filtered by that unit. A measure a unit has nothing to be assessed on
(no hospital stay, no need falling due, no branch) is left out of its mean.

The year is counted up to its last day, or up to today for the current year; a measure
whose day has not come yet (春节 still ahead) is not available.

Who sees which rows: bureau staff and administrators every unit; unit staff the units
of their own subtree (ranked among themselves); branch secretaries do not use it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Unit, User
from accounts.scoping import scope_filter
from cadres.models import CareNeed, Visit
from checkups.models import CheckupCampaign
from reminders.cadre_rows import active_cadres
from reminders.models import Holiday

from .models import ScorecardMeasure, ScorecardWeight
from .scorecard_measures import (
    Figure,
    Item,
    checkups,
    distributions,
    hospital_items,
    meetings,
    on_cadre,
    overdue_items,
    spring_festival,
    spring_items,
)

# The measures the drill-down page (reports:scorecard_list) lists cadre by cadre.
LISTED_MEASURES = (
    ScorecardMeasure.VISIT_COVERAGE,
    ScorecardMeasure.SPRING_FESTIVAL,
    ScorecardMeasure.OVERDUE_VISITS,
    ScorecardMeasure.HOSPITAL_STAYS,
    ScorecardMeasure.NEEDS_ON_TIME,
)


@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    figures: dict[str, Figure] = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None


@dataclass
class Measure:
    code: str
    label: str
    weight: int
    available: bool = True


@dataclass
class Scorecard:
    year: int
    day: datetime.date
    measures: list[Measure]
    rows: list[UnitRow]
    total: UnitRow
    spring_festival: tuple[Holiday, datetime.date] | None = None
    checkup_campaigns: list[CheckupCampaign] = field(default_factory=list)
    items: dict[str, list[Item]] = field(default_factory=dict)


def assessment_day(*, year: int, today: datetime.date) -> datetime.date:
    """The day the year is counted up to: its last day, or today."""
    return min(datetime.date(year, 12, 31), today)


# As seeded by the migration; a measure whose row is missing counts with its default.
DEFAULT_WEIGHTS = {
    ScorecardMeasure.VISIT_COVERAGE: 20,
    ScorecardMeasure.SPRING_FESTIVAL: 15,
    ScorecardMeasure.OVERDUE_VISITS: 10,
    ScorecardMeasure.HOSPITAL_STAYS: 10,
    ScorecardMeasure.NEEDS_ON_TIME: 15,
    ScorecardMeasure.CHECKUPS: 10,
    ScorecardMeasure.DISTRIBUTIONS: 10,
    ScorecardMeasure.BRANCH_MEETINGS: 10,
}


def scorecard_weights() -> dict[str, int]:
    """The weight of each measure, as administrators set it."""
    weights = {str(code): weight for code, weight in DEFAULT_WEIGHTS.items()}
    weights.update(ScorecardWeight.objects.values_list("measure", "weight"))
    return weights


def unit_scorecard(
    *, user: User, year: int, today: datetime.date | None = None, unit_id: int | None = None
) -> Scorecard:
    """The scorecard of the user's units for the year, ranked; with ``unit_id``, of that
    unit alone (the drill-down). A fixed number of queries, however many cadres."""
    today = today or timezone.localdate()
    day = assessment_day(year=year, today=today)
    start = datetime.date(year, 1, 1)
    cadre_filter = scope_filter(user=user, unit_path="unit", cadre_path="")
    if unit_id is not None:
        cadre_filter &= Q(unit_id=unit_id)
    base = active_cadres(cadre_filter or None, on=day)
    items: dict[str, list[Item]] = {}
    results: dict[str, dict[int, Figure] | None] = {}

    visited = dict(
        Visit.objects.filter(status=Visit.Status.DONE, visited_on__gte=start, visited_on__lte=day)
        .filter(on_cadre(cadre_filter))
        .order_by()
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )
    items[ScorecardMeasure.VISIT_COVERAGE] = [
        Item(c.id, c.unit_id, visited.get(c.id), c.id in visited) for c in base
    ]
    spring = spring_festival(year=year, today=today)
    items[ScorecardMeasure.SPRING_FESTIVAL] = (
        spring_items(cadre_filter, *spring) if spring else None
    )
    items[ScorecardMeasure.OVERDUE_VISITS] = overdue_items(base, cadre_filter, day)
    items[ScorecardMeasure.HOSPITAL_STAYS] = hospital_items(cadre_filter, start, day, today)
    items[ScorecardMeasure.NEEDS_ON_TIME] = [
        Item(cadre_id, unit, due, resolved is not None and resolved <= due, resolved)
        for cadre_id, unit, due, resolved in CareNeed.objects.filter(
            due_on__gte=start, due_on__lte=day
        )
        .filter(on_cadre(cadre_filter))
        .order_by("due_on", "id")
        .values_list("cadre_id", "cadre__unit_id", "due_on", "resolved_on")
    ]
    for code, listed in items.items():
        results[code] = None if listed is None else _tally(listed)
    for figures in (results[ScorecardMeasure.OVERDUE_VISITS] or {}).values():
        figures.shown = figures.total - figures.done
    campaigns = list(CheckupCampaign.objects.filter(year=year).order_by("id"))
    results[ScorecardMeasure.CHECKUPS] = checkups(campaigns, user, today, unit_id)
    results[ScorecardMeasure.DISTRIBUTIONS] = distributions(year, user, unit_id)
    results[ScorecardMeasure.BRANCH_MEETINGS] = meetings(user, start, day, today, unit_id)

    weights = scorecard_weights()
    measures = [
        Measure(code, str(label), weights[code], results[code] is not None)
        for code, label in ScorecardMeasure.choices
    ]
    unit_ids = {c.unit_id for c in base}
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("id", "name"))
    order = dict(Unit.objects.filter(pk__in=unit_ids).values_list("id", "sort_order"))
    rows = [UnitRow(pk, names[pk]) for pk in unit_ids]
    total = UnitRow(None, "")
    for measure in measures:
        by_unit = results[measure.code]
        overall = Figure(shown=0 if measure.code == ScorecardMeasure.OVERDUE_VISITS else None)
        for row in rows:
            figure = (by_unit or {}).get(row.unit_id, Figure()) if by_unit is not None else None
            row.figures[measure.code] = figure
            if figure is not None:
                overall.done += figure.done
                overall.total += figure.total
                if overall.shown is not None:
                    overall.shown += figure.figure
        total.figures[measure.code] = overall if by_unit is not None else None
    for row in [*rows, total]:
        row.score = _score(row, measures)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), order[r.unit_id], r.name))
    _rank(rows)
    return Scorecard(
        year=year,
        day=day,
        measures=measures,
        rows=rows,
        total=total,
        spring_festival=spring,
        checkup_campaigns=campaigns,
        items={code: listed for code, listed in items.items() if listed is not None},
    )


def _tally(listed: list[Item]) -> dict[int, Figure]:
    figures: dict[int, Figure] = defaultdict(Figure)
    for item in listed:
        figure = figures[item.unit_id]
        figure.total += 1
        figure.done += item.counted
    return dict(figures)


def _score(row: UnitRow, measures: list[Measure]) -> float | None:
    """The weighted mean of the row's shares, in points (0–100)."""
    weighted = weights = 0
    for measure in measures:
        figure = row.figures.get(measure.code)
        if figure is None or figure.share is None or not measure.weight:
            continue
        weighted += measure.weight * figure.share
        weights += measure.weight
    return round(weighted / weights * 100, 1) if weights else None


def _rank(rows: list[UnitRow]) -> None:
    """1, 2, 2, 4: units with the same score share a rank."""
    previous = None
    for position, row in enumerate(rows, 1):
        if row.score is None:
            continue
        row.rank = previous.rank if previous and previous.score == row.score else position
        previous = row
