"""The measures of the annual unit scorecard (目标考核, ``reports.scorecard``): for each,
the records behind a unit's figure, or the figures per unit where another app counts
them (checkups, distributions, branch meetings)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import User
from accounts.scoping import scope_filter
from branches.models import BranchMeeting, PartyBranch
from cadres.models import Cadre, Health, Visit
from checkups.selectors import CHECKED, campaign_rows
from distributions.selectors import coverage_by_unit
from reminders.cadre_rows import active_cadres
from reminders.holiday_rules import holiday_occurrences, holiday_visit_window, in_holiday_audience
from reminders.models import Holiday, ReminderKind, ReminderRule

SPRING_FESTIVAL_OCCASION = "spring_festival"
# 三会一课 and 主题党日: a branch is expected to meet about once a month.
MEETINGS_PER_BRANCH_YEAR = 12
HOSPITAL_VISIT_DAYS = 3


@dataclass
class Item:
    """One record behind a figure: a cadre (a stay, a need) and whether it counts."""

    cadre_id: int
    unit_id: int
    day: datetime.date | None
    counted: bool
    detail: datetime.date | None = None


@dataclass
class Figure:
    """A unit's result on one measure: ``done`` of ``total``; ``shown`` is the number the
    page prints (the overdue count for overdue visits); no total: nothing to assess."""

    done: int = 0
    total: int = 0
    shown: int | None = None

    @property
    def share(self) -> float | None:
        if not self.total:
            return None
        return min(self.done / self.total, 1.0)

    @property
    def figure(self) -> int:
        return self.done if self.shown is None else self.shown


def on_cadre(condition: Q) -> Q:
    """A condition on cadres, for a model with a ``cadre`` foreign key."""
    if not condition:
        return Q()
    return Q(cadre__in=Cadre.objects.filter(condition).values("pk"))


def spring_festival(*, year: int, today: datetime.date):
    """春节 of the year, once it has come: (holiday, date), else None."""
    holiday = (
        Holiday.objects.filter(occasion__code=SPRING_FESTIVAL_OCCASION)
        .select_related("occasion")
        .first()
    )
    if holiday is None:
        return None
    dates = [
        d
        for d in holiday_occurrences(holiday, until=datetime.date(year, 12, 31), years=0)
        if d.year == year and d <= today
    ]
    return (holiday, dates[0]) if dates else None


def spring_items(cadre_filter: Q, holiday: Holiday, occurrence: datetime.date) -> list[Item]:
    """The holiday's audience on its day, each counted when visited for it within its
    visit window and before the day itself (by 除夕)."""
    first, _last = holiday_visit_window(holiday, occurrence)
    before = dict(
        Visit.objects.filter(
            occasion_id=holiday.occasion_id,
            status=Visit.Status.DONE,
            visited_on__gte=first,
            visited_on__lt=occurrence,
        )
        .filter(on_cadre(cadre_filter))
        .order_by()
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )
    return [
        Item(c.id, c.unit_id, before.get(c.id), c.id in before)
        for c in active_cadres(cadre_filter or None, on=occurrence)
        if in_holiday_audience(holiday, c, occurrence)
    ]


def overdue_items(base, cadre_filter: Q, day: datetime.date) -> list[Item]:
    """Each cadre on the register at ``day``, counted when no visit was overdue then
    (the reminder rule's days per 离休/退休, from the last visit or from entry)."""
    rule = ReminderRule.objects.filter(kind=ReminderKind.OVERDUE_VISIT).first()
    limits = {
        "lixiu": rule.threshold_days_lixiu if rule else None,
        "tuixiu": rule.threshold_days_tuixiu if rule else None,
    }
    last_visits = dict(
        Visit.objects.filter(status=Visit.Status.DONE, visited_on__lte=day)
        .filter(on_cadre(cadre_filter))
        .order_by()
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )
    listed = []
    for cadre in base:
        last = last_visits.get(cadre.id)
        limit = limits.get(cadre.retirement_kind)
        anchor = last or cadre.created_on
        overdue = bool(limit) and anchor + datetime.timedelta(days=limit) <= day
        listed.append(Item(cadre.id, cadre.unit_id, last, not overdue))
    return listed


def hospital_items(
    cadre_filter: Q, start: datetime.date, day: datetime.date, today: datetime.date
) -> list[Item]:
    """Hospital stays that began in the year (the cadre's health became "in hospital",
    from its history or its present record), each counted when a visit was done within
    the reminder rule's days (3) of admission. A stay whose days are still running and
    not visited yet is not counted either way."""
    rule = ReminderRule.objects.filter(kind=ReminderKind.HOSPITAL_VISIT).first()
    limit = datetime.timedelta(days=(rule.threshold_days if rule else None) or HOSPITAL_VISIT_DAYS)
    zone = timezone.get_current_timezone()
    starts: set[tuple[int, datetime.date]] = set()
    rows = Cadre.history.model.objects
    # Only the records of cadres who have ever been in hospital are walked.
    history = rows.filter(id__in=rows.filter(health=Health.IN_HOSPITAL).values("id")).order_by(
        "id", "history_date", "history_id"
    )
    if cadre_filter:
        history = history.filter(id__in=Cadre.objects.filter(cadre_filter).values("pk"))
    previous: tuple[int, str] | None = None
    for pk, health, since, stamp in history.values_list(
        "id", "health", "health_changed_on", "history_date"
    ).iterator(chunk_size=5000):
        entered = health == Health.IN_HOSPITAL and previous != (pk, Health.IN_HOSPITAL)
        if entered:
            starts.add((pk, since or timezone.localtime(stamp, zone).date()))
        previous = (pk, health)
    current = Cadre.objects.filter(
        health=Health.IN_HOSPITAL, health_changed_on__gte=start, health_changed_on__lte=day
    )
    if cadre_filter:
        current = current.filter(cadre_filter)
    starts |= set(current.values_list("id", "health_changed_on"))
    starts = {(pk, since) for pk, since in starts if start <= since <= day}
    if not starts:
        return []
    cadre_ids = {pk for pk, _since in starts}
    units = dict(Cadre.objects.filter(pk__in=cadre_ids).values_list("id", "unit_id"))
    visits = defaultdict(list)
    for pk, visited_on in Visit.objects.filter(
        cadre_id__in=cadre_ids,
        status=Visit.Status.DONE,
        visited_on__gte=start,
        visited_on__lte=day + limit,
    ).values_list("cadre_id", "visited_on"):
        visits[pk].append(visited_on)
    listed = []
    for pk, since in sorted(starts, key=lambda stay: (stay[1], stay[0])):
        seen = min((d for d in visits[pk] if since <= d <= since + limit), default=None)
        if seen is None and since + limit >= today:
            continue  # its days are still running
        listed.append(Item(pk, units[pk], since, seen is not None, seen))
    return listed


def checkups(campaigns, user: User, today: datetime.date, unit_id: int | None):
    """Checked of the audience, over the year's checkup campaigns (体检)."""
    if not campaigns:
        return None
    figures: dict[int, Figure] = defaultdict(Figure)
    for campaign in campaigns:
        rows = campaign_rows(
            campaign=campaign,
            today=today,
            user=user,
            unit_ids=[unit_id] if unit_id is not None else None,
        )
        for row in rows:
            figure = figures[row["unit_id"]]
            figure.total += 1
            figure.done += row["state"] == CHECKED
    return dict(figures)


def distributions(year: int, user: User, unit_id: int | None):
    """Reached of the audience of the year's distributions (阅文、通报、学习资料)."""
    lines = coverage_by_unit(year=year, user=user)
    if not lines:
        return None
    return {
        line.unit_id: Figure(done=line.reached, total=line.audience)
        for line in lines
        if unit_id is None or line.unit_id == unit_id
    }


def meetings(user: User, start, day, today, unit_id: int | None):
    """Meetings held by the unit's active branches against one a month per branch (for
    the current year, the months so far)."""
    months = 12 if day.year < today.year else day.month
    branch_filter = scope_filter(user=user, unit_path="unit")
    branches = PartyBranch.objects.filter(is_active=True).exclude(kind=PartyBranch.Kind.GENERAL)
    meetings = BranchMeeting.objects.filter(held_on__gte=start, held_on__lte=day)
    if branch_filter:
        branches = branches.filter(branch_filter)
        meetings = meetings.filter(branch__in=PartyBranch.objects.filter(branch_filter))
    if unit_id is not None:
        branches = branches.filter(unit_id=unit_id)
        meetings = meetings.filter(branch__unit_id=unit_id)
    held = dict(
        meetings.order_by()
        .values("branch__unit_id")
        .annotate(n=Count("id"))
        .values_list("branch__unit_id", "n")
    )
    counts = (
        branches.order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    return {
        unit: Figure(done=held.get(unit, 0), total=n * MEETINGS_PER_BRANCH_YEAR * months // 12)
        for unit, n in counts
    }
