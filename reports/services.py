"""Writes of the reports app: the dashboard's daily snapshot.

The reminder rules run over the whole register once a day here, beside the reminder
plan, instead of on every request of the dashboard: who has a birthday in the next
fortnight, who is overdue a visit or in hospital unvisited, who is still to be visited
before the next holiday, and each unit's headline figures. The dashboard then reads
small indexed slices of these rows for the user's scope."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cadres.age_bands import AgeBand, age_band_q
from cadres.audiences import shared_audience_q
from cadres.bulk import analyze_tables
from cadres.models import (
    Cadre,
    CadreStatus,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    RetirementKind,
    Visit,
)
from cadres.pinyin import pinyin_sort_key
from reminders.birthday_rules import birthday_items
from reminders.cadre_rows import active_cadres
from reminders.holiday_rules import (
    holiday_occurrence,
    holiday_visit_window,
    holiday_visited_cadre_ids,
    in_holiday_audience,
)
from reminders.models import Holiday, ReminderKind, ReminderRule
from reminders.visit_rules import hospital_visit_items, last_visit_dates, overdue_visit_items

from .models import DashboardEntry, DashboardSnapshot, DashboardUnitFigures

BIRTHDAY_DAYS = 14
COVERAGE_DAYS = 365
# Snapshots of the days before are kept this long (a day's rows are the register's size).
SNAPSHOTS_KEPT_DAYS = 2


def next_holiday(day: datetime.date) -> tuple[Holiday, datetime.date] | None:
    """The active holiday whose next date is the soonest, with that date."""
    best = None
    for holiday in Holiday.objects.filter(is_active=True).select_related("occasion"):
        occurrence = holiday_occurrence(holiday, day)
        if occurrence and (best is None or occurrence < best[1]):
            best = (holiday, occurrence)
    return best


def holiday_audience_q(holiday: Holiday, occurrence: datetime.date) -> Q:
    """``in_holiday_audience`` as a filter on cadres."""
    condition = shared_audience_q(holiday.audience, min_age=holiday.min_age, on=occurrence)
    return Q(pk__in=[]) if condition is None else condition


def unit_figures(
    cadres: QuerySet, *, day: datetime.date, holiday: tuple[Holiday, datetime.date] | None
) -> dict[int, dict]:
    """Headline figures, age bands, visit coverage of the last year and the next
    holiday's audience of ``cadres``, by unit: three grouped queries."""
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
        counts[f"band_{band.name}"] = Count("id", filter=active & age_band_q(band, today=day))
    if holiday is not None:
        counts["holiday_audience"] = Count("id", filter=active & holiday_audience_q(*holiday))
    by_unit: dict[int, dict] = {}
    for row in cadres.order_by().values("unit_id").annotate(**counts):
        unit_id = row.pop("unit_id")
        row["visited"] = 0
        by_unit[unit_id] = row
    year_ago = day - datetime.timedelta(days=COVERAGE_DAYS)
    recent_visit = Visit.objects.filter(
        cadre=OuterRef("pk"), status=Visit.Status.DONE, visited_on__gte=year_ago
    )
    visited = (
        cadres.filter(active, Exists(recent_visit))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    for unit_id, total in visited:
        by_unit[unit_id]["visited"] = total
    return by_unit


# The lists whose length the dashboard shows, by the figure that keeps it per unit.
PENDING_FIGURES = {
    "pending_holiday": (DashboardEntry.Kind.HOLIDAY_VISIT,),
    "pending_overdue": (DashboardEntry.Kind.HOSPITAL_VISIT, DashboardEntry.Kind.OVERDUE_VISIT),
}
# Months of visits kept per unit for the chart of the last twelve (one more, so that a
# snapshot a day old still covers the chart's first month).
CHART_MONTHS = 13


def _add_pending_counts(by_unit: dict[int, dict], entries: list[DashboardEntry]) -> None:
    """Each unit's number of overdue and holiday entries, and of birthdays by day: the
    dashboard shows these less what has been settled since, instead of counting the
    entries (100,000 before a holiday, thousands of birthdays in a fortnight)."""
    for figures in by_unit.values():
        figures.update(dict.fromkeys(PENDING_FIGURES, 0))
        figures["birthdays_by_day"] = {}
    for entry in entries:
        figures = by_unit[entry.unit_id]
        if entry.kind == DashboardEntry.Kind.BIRTHDAY:
            day = entry.occurrence.isoformat()
            figures["birthdays_by_day"][day] = figures["birthdays_by_day"].get(day, 0) + 1
        for name, kinds in PENDING_FIGURES.items():
            if entry.kind in kinds:
                figures[name] += 1


def chart_first_month(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months - 1`` months before that of ``day``."""
    index = day.year * 12 + day.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _add_visits_by_month(by_unit: dict[int, dict], *, day: datetime.date) -> None:
    """Each unit's done visits by month and occasion before ``day`` (the chart adds
    the visits made since live): ``{"2026-05": {"<occasion id>": n}}``."""
    for figures in by_unit.values():
        figures["visits_by_month"] = {}
    rows = (
        Visit.objects.filter(
            status=Visit.Status.DONE,
            visited_on__gte=chart_first_month(day, CHART_MONTHS),
            visited_on__lt=day,
        )
        .values("cadre__unit_id", "visited_on", "occasion_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    for row in rows:
        months = by_unit.setdefault(row["cadre__unit_id"], {"visits_by_month": {}})
        month = months["visits_by_month"].setdefault(row["visited_on"].strftime("%Y-%m"), {})
        occasion = str(row["occasion_id"])
        month[occasion] = month.get(occasion, 0) + row["total"]


def _entry(snapshot, kind, item, *, cleared_from=None, **details) -> DashboardEntry:
    return DashboardEntry(
        snapshot=snapshot,
        kind=kind,
        cadre_id=item.cadre_id,
        unit_id=item.unit_id,
        occurrence=item.occurrence,
        cleared_from=cleared_from,
        sort_name=pinyin_sort_key(item.details["name"])[0][:200],
        details={**item.details, **details},
    )


@transaction.atomic
def dashboard_refresh(*, day: datetime.date) -> DashboardSnapshot:
    """Work out the dashboard's lists and figures of ``day`` and replace that day's
    snapshot (older ones are dropped). Run by the daily task after the reminder plan;
    the dashboard reads the latest snapshot, minus what visits since have settled."""
    DashboardSnapshot.objects.filter(day=day).delete()
    DashboardSnapshot.objects.filter(
        day__lt=day - datetime.timedelta(days=SNAPSHOTS_KEPT_DAYS)
    ).delete()
    holiday = next_holiday(day)
    snapshot = DashboardSnapshot.objects.create(
        day=day,
        computed_at=timezone.now(),
        holiday=holiday[0] if holiday else None,
        holiday_date=holiday[1] if holiday else None,
    )
    cadres = active_cadres()
    entries = [
        _entry(snapshot, DashboardEntry.Kind.BIRTHDAY, item)
        for item in birthday_items(cadres, day, BIRTHDAY_DAYS)
    ]
    rules = {rule.kind: rule for rule in ReminderRule.objects.filter(is_active=True)}
    last_visits = last_visit_dates()
    if ReminderKind.HOSPITAL_VISIT in rules:
        rule = rules[ReminderKind.HOSPITAL_VISIT]
        # Off the list with a visit that moves the next one due past the day.
        cleared = day - datetime.timedelta(days=(rule.threshold_days or 3) - 1)
        entries += [
            _entry(snapshot, DashboardEntry.Kind.HOSPITAL_VISIT, item, cleared_from=cleared)
            for item in hospital_visit_items(cadres, day, rule, last_visits)
        ]
    if ReminderKind.OVERDUE_VISIT in rules:
        rule = rules[ReminderKind.OVERDUE_VISIT]
        limits = {
            RetirementKind.LIXIU: rule.threshold_days_lixiu,
            RetirementKind.TUIXIU: rule.threshold_days_tuixiu,
        }
        kinds = {cadre.id: cadre.retirement_kind for cadre in cadres}
        for item in overdue_visit_items(cadres, day, rule, last_visits):
            limit = limits[kinds[item.cadre_id]]
            cleared = day - datetime.timedelta(days=limit - 1)
            entries.append(
                _entry(snapshot, DashboardEntry.Kind.OVERDUE_VISIT, item, cleared_from=cleared)
            )
    figures_by_unit = unit_figures(Cadre.objects.all(), day=day, holiday=holiday)
    if holiday is not None:
        chosen, occurrence = holiday
        visited = holiday_visited_cadre_ids(chosen, occurrence)
        first, _last = holiday_visit_window(chosen, occurrence)
        for cadre in cadres:
            if cadre.id in visited or not in_holiday_audience(chosen, cadre, occurrence):
                continue
            entries.append(
                DashboardEntry(
                    snapshot=snapshot,
                    kind=DashboardEntry.Kind.HOLIDAY_VISIT,
                    cadre_id=cadre.id,
                    unit_id=cadre.unit_id,
                    occurrence=occurrence,
                    cleared_from=first,
                )
            )
    DashboardEntry.objects.bulk_create(entries, batch_size=5000)
    _add_pending_counts(figures_by_unit, entries)
    _add_visits_by_month(figures_by_unit, day=day)
    DashboardUnitFigures.objects.bulk_create(
        [
            DashboardUnitFigures(snapshot=snapshot, unit_id=unit_id, figures=figures)
            for unit_id, figures in figures_by_unit.items()
        ],
        batch_size=2000,
    )
    # A day's rows replace the last: without fresh statistics the planner would take
    # 100,000 new entries for the few it last saw.
    analyze_tables([DashboardEntry, DashboardUnitFigures])
    return snapshot
