"""What is due on a day: the reminder rules, computed in a few queries for the whole
registry (100,000 cadres plan in seconds), and who should hear of each item.

Nothing here writes; ``services.reminders_plan_day`` stores the result in the outbox.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Unit, User
from accounts.scoping import scope_filter, unit_subtree_ids
from branches.models import BranchRole
from cadres.models import (
    Cadre,
    CadreStatus,
    CareNeed,
    Hardship,
    Health,
    PoliticalStatus,
    RetirementKind,
    Visit,
)

from .calendar import (
    LunarMonthDay,
    age_at,
    lunar_month_day,
    lunar_month_days_matching,
    lunar_occurrences,
    solar_anniversary,
    solar_occurrences,
)
from .models import CalendarKind, Holiday, ReminderKind, ReminderRule
from .problems import isolated_rule, skip_record

MILESTONE_AGES = (70, 80, 90, 100)
PARTY_MILESTONE_YEARS = 50  # 光荣在党50年; every ten years after is marked too


class CadreRow(NamedTuple):
    id: int
    name: str
    birth_date: datetime.date
    lunar: bool
    unit_id: int
    liaison_id: int | None
    political_status: str
    party_joined_on: datetime.date | None
    retirement_kind: str
    hardship: str
    health: str
    health_changed_on: datetime.date | None
    created_on: datetime.date


@dataclass(frozen=True, slots=True)
class DueItem:
    kind: str
    subject_key: str
    occurrence: datetime.date
    unit_id: int
    cadre_id: int | None = None
    branch_id: int | None = None
    liaison_id: int | None = None
    assignee_id: int | None = None
    # For birthdays: how many days ahead the date is, so each recipient's own lead time
    # decides whether it is due for them yet.
    days_ahead: int | None = None
    details: dict = field(default_factory=dict, compare=False, hash=False)


def is_birthday_milestone(age: int) -> bool:
    """Decade birthdays from 70, and every birthday from 90."""
    return age in MILESTONE_AGES or age >= 90


def is_party_milestone(years: int) -> bool:
    return years >= PARTY_MILESTONE_YEARS and years % 10 == 0


@lru_cache(maxsize=100_000)
def _lunar_birthday(birth_date: datetime.date) -> LunarMonthDay:
    return lunar_month_day(birth_date)


def active_cadres(
    cadre_filter: Q | None = None, *, on: datetime.date | None = None
) -> list[CadreRow]:
    """Every cadre on the register (or, given ``on``, on the register that day), as
    light tuples. Read with a plain cursor: the ORM's per-value converters would cost
    more than the rest of the plan at 100,000 rows."""
    queryset = Cadre.objects.filter(on_register(on))
    if cadre_filter is not None:
        queryset = queryset.filter(cadre_filter)
    queryset = queryset.order_by().values_list(
        "id",
        "name",
        "birth_date",
        "celebrates_lunar_birthday",
        "unit_id",
        "liaison_id",
        "political_status",
        "party_joined_on",
        "retirement_kind",
        "hardship",
        "health",
        "health_changed_on",
        "created_at",
    )
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter on no ids at all (a secretary who leads no branch)
        return []
    zone = timezone.get_current_timezone()
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for row in chunk:
                (pk, name, birth, lunar, unit, liaison, political, joined, kind, hardship,
                 health, health_since, created) = row  # fmt: skip
                rows.append(
                    CadreRow(
                        pk,
                        name,
                        _as_date(birth),
                        bool(lunar),
                        unit,
                        liaison,
                        political,
                        _as_date(joined),
                        kind,
                        hardship,
                        health,
                        _as_date(health_since),
                        _created_on(created, zone),
                    )
                )
    return rows


def on_register(day: datetime.date | None = None) -> Q:
    """Cadres on the register now, or, given ``day``, on it that day: retired by then,
    and neither dead nor transferred out before it (so a past holiday's audience is not
    changed by deaths since)."""
    if day is None:
        return Q(status=CadreStatus.ON_REGISTER)
    return (
        Q(status=CadreStatus.ON_REGISTER)
        | Q(status=CadreStatus.DECEASED, died_on__gte=day)
        | Q(status=CadreStatus.TRANSFERRED, transferred_on__gte=day)
    ) & (Q(retirement_date__isnull=True) | Q(retirement_date__lte=day))


def _as_date(value) -> datetime.date | None:
    """SQLite hands dates back as ISO strings, PostgreSQL as dates."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def _created_on(value, zone) -> datetime.date:
    if isinstance(value, str):  # SQLite: naive UTC
        value = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value.astimezone(zone).date()


def _cadre_item(kind: str, cadre: CadreRow, occurrence, key: str, **details) -> DueItem:
    details.setdefault("name", cadre.name)
    return DueItem(
        kind=kind,
        subject_key=key,
        occurrence=occurrence,
        unit_id=cadre.unit_id,
        cadre_id=cadre.id,
        liaison_id=cadre.liaison_id,
        days_ahead=details.pop("days_ahead", None),
        details=details,
    )


class AnniversaryIndex:
    """Which solar and lunar month/days have their anniversary on each day of a window,
    so that every cadre is matched with one dictionary look-up instead of a calendar
    computation (100,000 cadres a day)."""

    def __init__(self, start: datetime.date, horizon: int):
        self.solar: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
        self.lunar: dict[LunarMonthDay, list[datetime.date]] = defaultdict(list)
        for offset in range(horizon + 1):
            target = start + datetime.timedelta(days=offset)
            self.solar[(target.month, target.day)].append(target)
            for month_day in lunar_month_days_matching(target):
                self.lunar[month_day].append(target)
        # 29 February anniversaries in common years fall on the day the rule says.
        for offset in range(horizon + 1):
            target = start + datetime.timedelta(days=offset)
            try:
                datetime.date(target.year, 2, 29)
            except ValueError:
                if solar_anniversary(datetime.date(2000, 2, 29), target.year) == target:
                    self.solar[(2, 29)].append(target)

    def solar_dates(self, original: datetime.date) -> list[datetime.date]:
        return self.solar.get((original.month, original.day), [])

    def lunar_dates(self, original: datetime.date) -> list[datetime.date]:
        return self.lunar.get(_lunar_birthday(original), [])


def birthday_items(cadres: Iterable[CadreRow], day, horizon: int) -> list[DueItem]:
    """Birthdays (solar or lunar, as each cadre celebrates) from ``day`` to ``day +
    horizon``."""
    index = AnniversaryIndex(day, horizon)
    items = []
    for cadre in cadres:
        try:
            if cadre.lunar:
                dates = index.lunar_dates(cadre.birth_date)
            else:
                dates = index.solar_dates(cadre.birth_date)
            for occurrence in dates:
                age = age_at(cadre.birth_date, occurrence, lunar=cadre.lunar)
                items.append(
                    _cadre_item(
                        ReminderKind.BIRTHDAY,
                        cadre,
                        occurrence,
                        f"cadre:{cadre.id}",
                        age=age,
                        lunar=cadre.lunar,
                        milestone=is_birthday_milestone(age),
                        days_ahead=(occurrence - day).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.BIRTHDAY, cadre.id, error)
    return items


def political_birthday_items(cadres: Iterable[CadreRow], day, horizon: int) -> list[DueItem]:
    index = AnniversaryIndex(day, horizon)
    items = []
    for cadre in cadres:
        try:
            joined = cadre.party_joined_on
            if cadre.political_status != PoliticalStatus.CPC_MEMBER or joined is None:
                continue
            for occurrence in index.solar_dates(joined):
                years = occurrence.year - joined.year
                if years < 1:
                    continue
                items.append(
                    _cadre_item(
                        ReminderKind.POLITICAL_BIRTHDAY,
                        cadre,
                        occurrence,
                        f"cadre:{cadre.id}",
                        years=years,
                        milestone=is_party_milestone(years),
                        days_ahead=(occurrence - day).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.POLITICAL_BIRTHDAY, cadre.id, error)
    return items


# A lunar year with a leap month runs to 385 days, so the next 春节 can be more than a
# year away (29 January 2025 → 17 February 2026); two years always hold the next date.
HOLIDAY_SEARCH_DAYS = 2 * 366


def _holiday_dates(holiday: Holiday, start: datetime.date, end: datetime.date):
    if holiday.calendar == CalendarKind.LUNAR:
        return lunar_occurrences(LunarMonthDay(holiday.month, holiday.day), start, end)
    # A leap year, so that a 29 February holiday exists as a date.
    return solar_occurrences(datetime.date(2000, holiday.month, holiday.day), start, end)


def holiday_occurrence(holiday: Holiday, day: datetime.date) -> datetime.date | None:
    """The holiday's next date on or after ``day``, however far (None only beyond the
    lunar calendar's years)."""
    end = day + datetime.timedelta(days=HOLIDAY_SEARCH_DAYS)
    return min(_holiday_dates(holiday, day, end), default=None)


def holiday_occurrences(
    holiday: Holiday, *, until: datetime.date, years: int
) -> list[datetime.date]:
    """The holiday's dates from ``years`` years before ``until`` up to ``until``, latest
    first (the campaign's choice of this year's or an earlier year's holiday)."""
    start = until.replace(month=1, day=1, year=until.year - years)
    return sorted(set(_holiday_dates(holiday, start, until)), reverse=True)


def in_holiday_audience(holiday: Holiday, cadre: CadreRow, occurrence) -> bool:
    audience = holiday.audience
    if audience == Holiday.Audience.EVERYONE:
        return True
    if audience == Holiday.Audience.LIXIU:
        return cadre.retirement_kind == RetirementKind.LIXIU
    if audience == Holiday.Audience.PARTY_MEMBERS:
        return cadre.political_status == PoliticalStatus.CPC_MEMBER
    if audience == Holiday.Audience.HARDSHIP:
        return cadre.hardship != Hardship.NONE
    if audience == Holiday.Audience.AGED:
        born = cadre.birth_date
        age = (
            occurrence.year
            - born.year
            - ((occurrence.month, occurrence.day) < (born.month, born.day))
        )
        return age >= (holiday.min_age or 0)
    return False


# Visits in the festival days just after the holiday (春节 until 元宵) still count for it.
HOLIDAY_LATE_DAYS = 15


def holiday_visit_window(
    holiday: Holiday, occurrence: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the visits that count for this occurrence of the
    holiday: ``visit_window_days`` before it until HOLIDAY_LATE_DAYS after."""
    return (
        occurrence - datetime.timedelta(days=holiday.visit_window_days),
        occurrence + datetime.timedelta(days=HOLIDAY_LATE_DAYS),
    )


def holiday_visit_dates(holiday: Holiday, occurrence: datetime.date) -> dict[int, datetime.date]:
    """The cadres visited for this occurrence of the holiday (a done visit with the
    holiday's own occasion within its visit window), each with the last such visit."""
    first, last = holiday_visit_window(holiday, occurrence)
    return dict(
        Visit.objects.filter(
            occasion_id=holiday.occasion_id,
            status=Visit.Status.DONE,
            visited_on__gte=first,
            visited_on__lte=last,
        )
        .order_by()
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )


def holiday_visited_cadre_ids(holiday: Holiday, occurrence: datetime.date) -> set[int]:
    """Cadres visited for this occurrence of the holiday: a done visit with the
    holiday's own occasion within its visit window."""
    first, last = holiday_visit_window(holiday, occurrence)
    return set(
        Visit.objects.filter(
            occasion_id=holiday.occasion_id,
            status=Visit.Status.DONE,
            visited_on__gte=first,
            visited_on__lte=last,
        ).values_list("cadre_id", flat=True)
    )


def holiday_visit_items(cadres: list[CadreRow], day) -> list[DueItem]:
    """Before each active holiday (within its lead days): the cadres of its audience not
    yet visited for it."""
    items = []
    for holiday in Holiday.objects.filter(is_active=True).select_related("occasion"):
        occurrence = holiday_occurrence(holiday, day)
        if occurrence is None or (occurrence - day).days > holiday.lead_days:
            continue
        visited = holiday_visited_cadre_ids(holiday, occurrence)
        for cadre in cadres:
            try:
                if cadre.id in visited or not in_holiday_audience(holiday, cadre, occurrence):
                    continue
                items.append(
                    _cadre_item(
                        ReminderKind.HOLIDAY_VISIT,
                        cadre,
                        occurrence,
                        f"cadre:{cadre.id}/holiday:{holiday.pk}",
                        holiday=holiday.name,
                        holiday_id=holiday.pk,
                    )
                )
            except Exception as error:  # one bad record never stops the rule
                skip_record(ReminderKind.HOLIDAY_VISIT, cadre.id, error)
    return items


def last_visit_dates() -> dict[int, datetime.date]:
    rows = (
        Visit.objects.filter(status=Visit.Status.DONE, cadre__status=CadreStatus.ON_REGISTER)
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )
    return dict(rows.iterator(chunk_size=5000))


def overdue_visit_items(
    cadres: list[CadreRow], day, rule: ReminderRule, last_visits: dict
) -> list[DueItem]:
    """Cadres with no visit for the set number of days (per retirement kind). The
    occurrence is the day the visit became overdue, so one overdue spell is reminded
    once."""
    items = []
    limits = {
        RetirementKind.LIXIU: rule.threshold_days_lixiu,
        RetirementKind.TUIXIU: rule.threshold_days_tuixiu,
    }
    for cadre in cadres:
        try:
            limit = limits.get(cadre.retirement_kind)
            if not limit:
                continue
            last = last_visits.get(cadre.id)
            anchor = last or cadre.created_on
            overdue_from = anchor + datetime.timedelta(days=limit)
            if overdue_from <= day:
                items.append(
                    _cadre_item(
                        ReminderKind.OVERDUE_VISIT,
                        cadre,
                        overdue_from,
                        f"cadre:{cadre.id}",
                        last_visit=last.isoformat() if last else None,
                        days=(day - anchor).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.OVERDUE_VISIT, cadre.id, error)
    return items


def hospital_visit_items(
    cadres: list[CadreRow], day, rule: ReminderRule, last_visits: dict
) -> list[DueItem]:
    """In hospital, and no visit for ``threshold_days`` since admission or the last
    visit, whichever is later."""
    limit = rule.threshold_days or 3
    items = []
    for cadre in cadres:
        try:
            if cadre.health != Health.IN_HOSPITAL:
                continue
            anchors = [d for d in (last_visits.get(cadre.id), cadre.health_changed_on) if d]
            anchor = max(anchors) if anchors else cadre.created_on
            due_from = anchor + datetime.timedelta(days=limit)
            if due_from <= day:
                items.append(
                    _cadre_item(
                        ReminderKind.HOSPITAL_VISIT,
                        cadre,
                        due_from,
                        f"cadre:{cadre.id}",
                        since=anchor.isoformat(),
                        days=(day - anchor).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.HOSPITAL_VISIT, cadre.id, error)
    return items


def care_need_items(day, need_filter: Q | None = None) -> list[DueItem]:
    needs = (
        CareNeed.objects.filter(
            status__in=[CareNeed.Status.OPEN, CareNeed.Status.IN_PROGRESS],
            due_on__lt=day,
            cadre__status=CadreStatus.ON_REGISTER,
        )
        .filter(need_filter or Q())
        .values_list(
            "id",
            "due_on",
            "category",
            "description",
            "assignee_id",
            "cadre_id",
            "cadre__name",
            "cadre__unit_id",
            "cadre__liaison_id",
        )
        .order_by("due_on")
    )
    labels = dict(CareNeed.Category.choices)
    return [
        DueItem(
            kind=ReminderKind.CARE_NEED_OVERDUE,
            subject_key=f"need:{pk}",
            occurrence=due_on,
            unit_id=unit_id,
            cadre_id=cadre_id,
            liaison_id=liaison_id,
            assignee_id=assignee_id,
            details={
                "name": name,
                "category": str(labels.get(category, category)),
                "description": description[:80],
                "days": (day - due_on).days,
            },
        )
        for (
            pk,
            due_on,
            category,
            description,
            assignee_id,
            cadre_id,
            name,
            unit_id,
            liaison_id,
        ) in needs
    ]


VISIT_KINDS = (
    ReminderKind.PLANNED_VISIT,
    ReminderKind.FOLLOW_UP_VISIT,
    ReminderKind.RETURN_VISIT,
)
# A planned visit left undone for longer than this is no longer reminded (the to-do list
# still shows it).
PLANNED_VISIT_MAX_OVERDUE_DAYS = 365


def planned_visit_kind(*, follow_up_of_id: int | None, care_need_id: int | None) -> str:
    if follow_up_of_id is not None:
        return ReminderKind.FOLLOW_UP_VISIT
    if care_need_id is not None:
        return ReminderKind.RETURN_VISIT
    return ReminderKind.PLANNED_VISIT


def planned_visit_items(
    day, rules: dict[str, ReminderRule], visit_filter: Q | None = None
) -> list[DueItem]:
    """Planned visits falling due within their kind's lead days, or overdue: the
    condolence visit (also of a cadre who has died: it is for the family), follow-ups
    by their 跟进 date, and return visits after an answered need, which go to the need's
    assignee. Keyed by the visit and its due date, so a rescheduled visit is reminded
    again; a visit done or cancelled is no longer planned and drops out."""
    leads = {kind: rules[kind].lead_days for kind in VISIT_KINDS if kind in rules}
    if not leads:
        return []
    visits = (
        Visit.objects.filter(
            status=Visit.Status.PLANNED,
            due_on__lte=day + datetime.timedelta(days=max(leads.values())),
            due_on__gte=day - datetime.timedelta(days=PLANNED_VISIT_MAX_OVERDUE_DAYS),
        )
        .filter(visit_filter or Q())
        .values_list(
            "id",
            "due_on",
            "occasion__code",
            "occasion__name",
            "cadre_id",
            "cadre__name",
            "cadre__unit_id",
            "cadre__liaison_id",
            "follow_up_of_id",
            "follow_up_of__visited_on",
            "care_need_id",
            "care_need__category",
            "care_need__assignee_id",
        )
        .order_by("due_on", "id")
    )
    categories = dict(CareNeed.Category.choices)
    items = []
    for (
        pk,
        due_on,
        code,
        occasion,
        cadre_id,
        name,
        unit_id,
        liaison_id,
        follow_up_of_id,
        followed_visit_on,
        need_id,
        category,
        need_assignee_id,
    ) in visits:
        kind = planned_visit_kind(follow_up_of_id=follow_up_of_id, care_need_id=need_id)
        if kind not in leads or (due_on - day).days > leads[kind]:
            continue
        details = {
            "name": name,
            "visit_id": pk,
            "occasion": occasion,
            "days": (day - due_on).days,
            # The condolence visit comes first in a digest (五必访: death).
            "condolence": code == "condolence",
        }
        if followed_visit_on:
            details["followed_visit_on"] = followed_visit_on.isoformat()
        if need_id:
            details["category"] = str(categories.get(category, category))
        items.append(
            DueItem(
                kind=kind,
                subject_key=f"visit:{pk}",
                occurrence=due_on,
                unit_id=unit_id,
                cadre_id=cadre_id,
                liaison_id=liaison_id,
                assignee_id=need_assignee_id,
                details=details,
            )
        )
    return items


def branch_term_items(day, rule: ReminderRule, branch_filter: Q | None = None) -> list[DueItem]:
    """Branches whose committee term ends within the lead days (换届)."""
    end = day + datetime.timedelta(days=rule.lead_days)
    terms = (
        BranchRole.objects.filter(
            ended_on__isnull=True,
            role__in=BranchRole.COMMITTEE_ROLES,
            term_ends_on__gte=day,
            term_ends_on__lte=end,
            branch__is_active=True,
        )
        .filter(branch_filter or Q())
        .values("branch_id", "branch__name", "branch__unit_id")
        .annotate(ends=Max("term_ends_on"))
    )
    return [
        DueItem(
            kind=ReminderKind.BRANCH_TERM_ENDING,
            subject_key=f"branch:{row['branch_id']}",
            occurrence=row["ends"],
            unit_id=row["branch__unit_id"],
            branch_id=row["branch_id"],
            details={"branch": row["branch__name"], "days": (row["ends"] - day).days},
        )
        for row in terms
    ]


class Recipients:
    """Who hears of an item: the cadre's liaison, or, without one (or when the liaison
    does not take reminders), the staff of the cadre's unit who receive reminders —
    looking up the unit tree until someone is found."""

    def __init__(self):
        users = User.objects.filter(is_active=True).values_list(
            "id", "unit_id", "role", "receives_reminders", "reminder_lead_days"
        )
        self.lead_days: dict[int, int | None] = {}
        self.by_unit: dict[int, list[int]] = defaultdict(list)
        for pk, unit_id, role, receives, lead in users:
            if not receives:
                continue
            self.lead_days[pk] = lead
            if unit_id and role in (User.Role.UNIT_STAFF, User.Role.BUREAU_STAFF):
                self.by_unit[unit_id].append(pk)
        self.parent = dict(Unit.objects.values_list("id", "parent_id"))
        self._unit_cache: dict[int, list[int]] = {}

    def unit_staff(self, unit_id: int | None) -> list[int]:
        if unit_id in self._unit_cache:
            return self._unit_cache[unit_id]
        found: list[int] = []
        current = unit_id
        seen = set()
        while current is not None and current not in seen and not found:
            seen.add(current)
            found = sorted(self.by_unit.get(current, []))
            current = self.parent.get(current)
        self._unit_cache[unit_id] = found
        return found

    def for_item(self, item: DueItem) -> list[int]:
        for person in (item.assignee_id, item.liaison_id):
            if person and person in self.lead_days:
                return [person]
        return self.unit_staff(item.unit_id)

    def lead_for(self, user_id: int, default: int) -> int:
        lead = self.lead_days.get(user_id)
        return default if lead is None else lead


def rules_by_kind() -> dict[str, ReminderRule]:
    return {rule.kind: rule for rule in ReminderRule.objects.filter(is_active=True)}


def _filters_for(user: User) -> tuple[Q, Q, Q]:
    """Narrow the rules to the records ``user`` can be a recipient for: cadres they are
    liaison of, and the records of their unit subtree (where they may stand in) — of
    those, only what their scope lets them see (their reminders page lists nothing the
    registry would hide from them: a branch secretary's are their branches' members)."""
    units = unit_subtree_ids(unit_id=user.unit_id) if user.unit_id else set()
    cadres = (Q(liaison=user) | Q(unit__in=units)) & scope_filter(
        user=user, unit_path="unit", cadre_path=""
    )
    needs = (Q(assignee=user) | Q(cadre__liaison=user) | Q(cadre__unit__in=units)) & scope_filter(
        user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    branches = Q(branch__unit__in=units) & scope_filter(
        user=user, unit_path="branch__unit", branch_path="branch"
    )
    return cadres, needs, branches


def _visit_filter_for(user: User) -> Q:
    """The planned visits ``user`` can be a recipient for (as ``_filters_for``): of the
    cadres they are liaison of, of the needs assigned to them, and of their unit subtree,
    within their scope."""
    units = unit_subtree_ids(unit_id=user.unit_id) if user.unit_id else set()
    return (
        Q(cadre__liaison=user) | Q(care_need__assignee=user) | Q(cadre__unit__in=units)
    ) & scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")


def due_items_by_recipient(
    day: datetime.date, *, only_for: User | None = None
) -> dict[int, list[DueItem]]:
    """Everything due on ``day``, for each recipient (user id). With ``only_for``, only
    what may concern that user is computed (for their reminders page)."""
    rules = rules_by_kind()
    recipients = Recipients()
    cadre_filter = need_filter = branch_filter = None
    if only_for is not None:
        cadre_filter, need_filter, branch_filter = _filters_for(only_for)
    cadres = active_cadres(cadre_filter)
    last_visits = None
    items: list[DueItem] = []
    leads = {kind: rules[kind].lead_days for kind in rules}
    user_leads = [lead for lead in recipients.lead_days.values() if lead is not None]
    if ReminderKind.BIRTHDAY in rules:
        horizon = max([leads[ReminderKind.BIRTHDAY], *user_leads])
        items += isolated_rule(ReminderKind.BIRTHDAY, birthday_items, cadres, day, horizon)
    if ReminderKind.POLITICAL_BIRTHDAY in rules:
        horizon = max([leads[ReminderKind.POLITICAL_BIRTHDAY], *user_leads])
        items += isolated_rule(
            ReminderKind.POLITICAL_BIRTHDAY, political_birthday_items, cadres, day, horizon
        )
    if ReminderKind.HOLIDAY_VISIT in rules:
        items += isolated_rule(ReminderKind.HOLIDAY_VISIT, holiday_visit_items, cadres, day)
    if ReminderKind.OVERDUE_VISIT in rules or ReminderKind.HOSPITAL_VISIT in rules:
        last_visits = last_visit_dates()
    if ReminderKind.OVERDUE_VISIT in rules:
        items += isolated_rule(
            ReminderKind.OVERDUE_VISIT,
            overdue_visit_items,
            cadres,
            day,
            rules[ReminderKind.OVERDUE_VISIT],
            last_visits,
        )
    if ReminderKind.HOSPITAL_VISIT in rules:
        items += isolated_rule(
            ReminderKind.HOSPITAL_VISIT,
            hospital_visit_items,
            cadres,
            day,
            rules[ReminderKind.HOSPITAL_VISIT],
            last_visits,
        )
    if ReminderKind.CARE_NEED_OVERDUE in rules:
        items += isolated_rule(ReminderKind.CARE_NEED_OVERDUE, care_need_items, day, need_filter)
    if ReminderKind.BRANCH_TERM_ENDING in rules:
        items += isolated_rule(
            ReminderKind.BRANCH_TERM_ENDING,
            branch_term_items,
            day,
            rules[ReminderKind.BRANCH_TERM_ENDING],
            branch_filter,
        )
    items += isolated_rule(
        ReminderKind.PLANNED_VISIT,
        planned_visit_items,
        day,
        rules,
        _visit_filter_for(only_for) if only_for is not None else None,
    )
    if ReminderKind.ASSISTANCE_STEP in rules:
        # Imported here: the assistance rule builds on this module's DueItem.
        from .assistance_rules import assistance_step_items

        items += isolated_rule(
            ReminderKind.ASSISTANCE_STEP,
            assistance_step_items,
            day,
            (scope_filter(user=only_for, unit_path="unit", cadre_path="cadre") or None)
            if only_for is not None
            else None,
        )
    if ReminderKind.CHECKUP_PENDING in rules:
        # Imported here: the checkup rule builds on this module's DueItem.
        from .checkup_rules import checkup_pending_items

        items += isolated_rule(
            ReminderKind.CHECKUP_PENDING,
            checkup_pending_items,
            day,
            rules[ReminderKind.CHECKUP_PENDING],
            cadre_filter,
        )

    plan: dict[int, list[DueItem]] = defaultdict(list)
    for item in items:
        for user_id in recipients.for_item(item):
            ahead = item.days_ahead
            if ahead is not None and ahead > recipients.lead_for(user_id, leads[item.kind]):
                continue
            plan[user_id].append(item)
    return dict(plan)
