"""Reads of the reminders app: digest contents, the staff member's reminders page, the
delivery log and the calendar feed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.scoping import scope_filter, scope_queryset
from activities.models import Activity
from activities.selectors import activities_visible_to
from cadres.models import Cadre
from cadres.pinyin import pinyin_sort_key
from cadres.selectors import cadres_visible_to

from .birthday_rules import MILESTONE_AGES, birthday_items, political_birthday_items
from .cadre_rows import active_cadres, on_register
from .calendar import (
    LunarMonthDay,
    lunar_date_label,
    lunar_occurrences,
    solar_occurrences,
)
from .due_items import DueItem
from .holiday_rules import (
    HOLIDAY_LATE_DAYS,
    holiday_occurrence,
    holiday_occurrences,
    holiday_visit_dates,
    holiday_visit_window,
    in_holiday_audience,
)
from .models import CalendarFeed, CalendarKind, Digest, Holiday, ReminderItem, ReminderKind
from .rules import due_items_by_recipient
from .visit_rules import VISIT_KINDS

KIND_ORDER = [
    # Work already planned comes first, the condolence visit at its head.
    ReminderKind.PLANNED_VISIT,
    ReminderKind.HOSPITAL_VISIT,
    ReminderKind.FOLLOW_UP_VISIT,
    ReminderKind.RETURN_VISIT,
    ReminderKind.HOLIDAY_VISIT,
    ReminderKind.BIRTHDAY,
    ReminderKind.POLITICAL_BIRTHDAY,
    ReminderKind.OVERDUE_VISIT,
    ReminderKind.CARE_NEED_OVERDUE,
    ReminderKind.BRANCH_TERM_ENDING,
    ReminderKind.ASSISTANCE_STEP,
    ReminderKind.CHECKUP_PENDING,
]


def item_text(kind: str, details: dict, occurrence: datetime.date) -> str:
    """One line of a digest or page, in the active language."""
    name = details.get("name", "")
    when = formats.date_format(occurrence, "MONTH_DAY_FORMAT")  # 6月15日 / June 15
    if kind == ReminderKind.BIRTHDAY:
        calendar = _("lunar") if details.get("lunar") else _("solar")
        text = _("%(name)s turns %(age)s on %(date)s (%(calendar)s birthday)") % {
            "name": name,
            "age": details.get("age"),
            "date": when,
            "calendar": calendar,
        }
        return text + (_(" — milestone birthday") if details.get("milestone") else "")
    if kind == ReminderKind.POLITICAL_BIRTHDAY:
        text = _("%(name)s: %(years)s years in the Party on %(date)s") % {
            "name": name,
            "years": details.get("years"),
            "date": when,
        }
        return text + (_(" — honoured milestone") if details.get("milestone") else "")
    if kind == ReminderKind.HOLIDAY_VISIT:
        return _("%(name)s: not yet visited for %(holiday)s (%(date)s)") % {
            "name": name,
            "holiday": details.get("holiday"),
            "date": when,
        }
    if kind == ReminderKind.OVERDUE_VISIT:
        return _("%(name)s: no visit for %(days)s days") % {
            "name": name,
            "days": details.get("days"),
        }
    if kind == ReminderKind.HOSPITAL_VISIT:
        return _("%(name)s: in hospital, no visit for %(days)s days") % {
            "name": name,
            "days": details.get("days"),
        }
    if kind == ReminderKind.CARE_NEED_OVERDUE:
        return _("%(name)s: %(category)s need past its due date (%(date)s): %(text)s") % {
            "name": name,
            "category": details.get("category"),
            "date": when,
            "text": details.get("description", ""),
        }
    if kind == ReminderKind.BRANCH_TERM_ENDING:
        return _("%(branch)s: committee term ends on %(date)s, re-election due") % {
            "branch": details.get("branch"),
            "date": when,
        }
    if kind in VISIT_KINDS:
        return _planned_visit_text(kind, details, when)
    if kind == ReminderKind.ASSISTANCE_STEP:
        return _assistance_step_text(details, when)
    if kind == ReminderKind.CHECKUP_PENDING:
        return _("%(name)s: not yet checked in %(campaign)s, which closes on %(date)s") % {
            "name": name,
            "campaign": details.get("campaign", ""),
            "date": when,
        }
    return name


def _planned_visit_text(kind: str, details: dict, when: str) -> str:
    values = {
        "name": details.get("name", ""),
        "occasion": details.get("occasion", ""),
        "category": details.get("category", ""),
        "date": when,
    }
    followed = details.get("followed_visit_on")
    if kind == ReminderKind.FOLLOW_UP_VISIT and followed:
        day = datetime.date.fromisoformat(followed)
        values["visited"] = formats.date_format(day, "MONTH_DAY_FORMAT")
        text = _("%(name)s: follow-up of the visit on %(visited)s, due %(date)s") % values
    elif kind == ReminderKind.FOLLOW_UP_VISIT:
        text = _("%(name)s: follow-up visit (%(occasion)s), due %(date)s") % values
    elif kind == ReminderKind.RETURN_VISIT:
        text = _("%(name)s: return visit on the %(category)s need, due %(date)s") % values
    else:
        text = _("%(name)s: planned %(occasion)s visit, due %(date)s") % values
    if (details.get("days") or 0) > 0:
        text += _(" (%(days)s days overdue)") % {"days": details["days"]}
    return text


def _assistance_step_text(details: dict, when: str) -> str:
    from assistance.models import Category
    from assistance.steps import STEP_LABELS

    step = STEP_LABELS.get(details.get("step"), details.get("step", ""))
    category = dict(Category.choices).get(details.get("category"), "")
    text = _(
        "%(name)s (%(unit)s): hardship assistance, %(category)s — %(step)s, due since %(date)s"
    ) % {
        "name": details.get("name", ""),
        "unit": details.get("unit", ""),
        "category": category,
        "step": step,
        "date": when,
    }
    if (details.get("days") or 0) > 0:
        text += _(" (waiting %(days)s days)") % {"days": details["days"]}
    return text


def item_url(kind: str, details: dict, cadre_id: int | None) -> str:
    """Where an item's link leads (a path): a planned visit's completion form, else the
    cadre's page."""
    if kind in VISIT_KINDS and details.get("visit_id"):
        return reverse("cadres:visit_complete", args=[details["visit_id"]])
    if kind == ReminderKind.ASSISTANCE_STEP and details.get("case_id"):
        return reverse("assistance:detail", args=[details["case_id"]])
    if kind == ReminderKind.CHECKUP_PENDING and details.get("campaign_id") and cadre_id:
        return reverse("checkups:record", args=[details["campaign_id"], cadre_id])
    if cadre_id:
        return reverse("cadres:detail", args=[cadre_id])
    return ""


def _sections(entries: list[tuple[str, dict, datetime.date, object]]) -> list[dict]:
    labels = dict(ReminderKind.choices)
    grouped: dict[str, list[dict]] = {}
    for kind, details, occurrence, link in entries:
        grouped.setdefault(kind, []).append(
            {
                "text": item_text(kind, details, occurrence),
                "occurrence": occurrence,
                "milestone": bool(details.get("milestone")),
                "cadre_id": link,
                "name_order": pinyin_sort_key(details.get("name", "")),
                "url": item_url(kind, details, link),
                # The condolence visit heads its section.
                "first": bool(details.get("condolence")),
            }
        )
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "items": sorted(grouped[kind], key=_by_date),
            # Planned visits are worked through on the to-do list (待办走访).
            "list_url": reverse("cadres:visit_todo") if kind in VISIT_KINDS else "",
        }
        for kind in KIND_ORDER
        if kind in grouped
    ]


def _by_date(entry: dict):
    """The condolence visit first, then by date; on one day, names in pinyin order."""
    return (not entry["first"], entry["occurrence"], entry["name_order"], entry["text"])


def digest_sections(*, digest: Digest) -> list[dict]:
    """The digest's items grouped by kind, in a fixed order."""
    items = digest.items.values_list("kind", "details", "occurrence", "cadre_id")
    return _sections(list(items))


def upcoming_sections(*, user: User, today: datetime.date) -> list[dict]:
    """What is due for the user today and in the coming days, worked out live from the
    registry (so it includes what the morning digest could not yet know)."""
    plan = due_items_by_recipient(today, only_for=user)
    return _sections(
        [
            (item.kind, item.details, item.occurrence, item.cadre_id)
            for item in plan.get(user.pk, [])
        ]
    )


def digests_for(*, user: User) -> QuerySet[Digest]:
    """The delivery log: digests the user may see (their own; all of their scope's for
    bureau staff and administrators)."""
    queryset = Digest.objects.select_related("recipient", "recipient__unit")
    if user.role == User.Role.BRANCH_SECRETARY:
        return queryset.filter(recipient=user)
    # Unit staff see their colleagues' digests too, to cover for one another.
    return scope_queryset(queryset, user=user, unit_path="recipient__unit")


def items_for_cadre(*, cadre_id: int) -> QuerySet[ReminderItem]:
    """Was this cadre's reminder sent, and when?"""
    return (
        ReminderItem.objects.filter(cadre_id=cadre_id)
        .select_related("recipient", "digest")
        .order_by("-occurrence", "kind")
    )


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


# Calendar feed (日历订阅) --------------------------------------------------------------------

FEED_DAYS = 60
FEED_UID_DOMAIN = "yinling"


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One event of a calendar feed: all day when ``start`` is a date, timed when it is a
    datetime (then ``end`` may be unknown)."""

    uid: str
    kind: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)

    @property
    def sort_key(self) -> tuple:
        if self.all_day:
            return (self.start, 0, datetime.time.min, self.summary)
        return (self.start.date(), 1, self.start.timetz().replace(tzinfo=None), self.summary)


def calendar_feed_for(*, user: User) -> CalendarFeed | None:
    """The user's calendar feed, if they have made one."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The feed behind a secret address, with its user; none for an unknown (or reset)
    token or a user who may no longer sign in."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


def feed_url(*, feed: CalendarFeed) -> str:
    """The feed's absolute address, for pasting into a calendar app."""
    return _absolute(reverse("reminders:feed", kwargs={"token": feed.token}))


def feed_events(*, user: User, today: datetime.date, days: int = FEED_DAYS) -> list[FeedEvent]:
    """What the user's calendar shows from ``today`` to ``days`` days ahead: the
    birthdays and political birthdays of the cadres they may see (lunar birthdays on
    this year's solar date), the active holidays, and the activities of their units — in
    a fixed number of queries, however many cadres there are."""
    end = today + datetime.timedelta(days=days)
    cadres = active_cadres(Q(pk__in=cadres_visible_to(user=user).values("pk")))
    birthdays = birthday_items(cadres, today, days)
    party = political_birthday_items(cadres, today, days)
    unit_names = dict(
        Unit.objects.filter(id__in={item.unit_id for item in [*birthdays, *party]})
        .order_by()
        .values_list("id", "name")
    )
    events = [
        *(_birthday_event(item, unit_names) for item in birthdays),
        *(_political_birthday_event(item, unit_names) for item in party),
        *_holiday_events(today, end),
        *_activity_events(user, today, end),
    ]
    return sorted(events, key=lambda event: event.sort_key)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _cadre_url(cadre_id: int) -> str:
    return _absolute(reverse("cadres:detail", args=[cadre_id]))


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _birthday_event(item: DueItem, unit_names: dict[int, str]) -> FeedEvent:
    details = item.details
    age = details["age"]
    values = {"name": details["name"], "age": age}
    if details.get("lunar"):
        values["lunar_date"] = lunar_date_label(item.occurrence)
        summary = _("%(name)s: %(age)s birthday (lunar %(lunar_date)s)") % values
    else:
        summary = _("%(name)s: %(age)s birthday") % values
    if age in MILESTONE_AGES:
        summary = "★ " + summary + _(" — decade birthday")
    elif details.get("milestone"):
        summary = "★ " + summary + _(" — long-life birthday")
    return FeedEvent(
        uid=f"birthday-{item.cadre_id}-{item.occurrence:%Y%m%d}@{FEED_UID_DOMAIN}",
        kind=ReminderKind.BIRTHDAY,
        summary=summary,
        start=item.occurrence,
        end=item.occurrence + datetime.timedelta(days=1),
        description=_lines(
            _("Lunar birthday") if details.get("lunar") else "",
            _("Unit: %(unit)s") % {"unit": unit_names.get(item.unit_id, "")},
        ),
        url=_cadre_url(item.cadre_id),
    )


def _political_birthday_event(item: DueItem, unit_names: dict[int, str]) -> FeedEvent:
    details = item.details
    summary = _("%(name)s: %(years)s years in the Party") % {
        "name": details["name"],
        "years": details["years"],
    }
    if details.get("milestone"):
        summary = "★ " + summary + _(" — honoured milestone")
    return FeedEvent(
        uid=f"political-birthday-{item.cadre_id}-{item.occurrence:%Y%m%d}@{FEED_UID_DOMAIN}",
        kind=ReminderKind.POLITICAL_BIRTHDAY,
        summary=summary,
        start=item.occurrence,
        end=item.occurrence + datetime.timedelta(days=1),
        description=_("Unit: %(unit)s") % {"unit": unit_names.get(item.unit_id, "")},
        url=_cadre_url(item.cadre_id),
    )


def _holiday_events(start: datetime.date, end: datetime.date) -> list[FeedEvent]:
    events = []
    for holiday in Holiday.objects.filter(is_active=True):
        if holiday.calendar == CalendarKind.LUNAR:
            dates = lunar_occurrences(LunarMonthDay(holiday.month, holiday.day), start, end)
        else:
            # A leap year, so that a 29 February holiday exists as a date.
            dates = solar_occurrences(datetime.date(2000, holiday.month, holiday.day), start, end)
        for day in dates:
            events.append(
                FeedEvent(
                    uid=f"holiday-{holiday.pk}-{day:%Y%m%d}@{FEED_UID_DOMAIN}",
                    kind="holiday",
                    summary=holiday.name,
                    start=day,
                    end=day + datetime.timedelta(days=1),
                    description=_lines(
                        _("Lunar %(date)s") % {"date": lunar_date_label(day)}
                        if holiday.calendar == CalendarKind.LUNAR
                        else "",
                        _("Visits before the holiday: %(audience)s")
                        % {"audience": _holiday_audience(holiday)},
                    ),
                )
            )
    return events


def _holiday_audience(holiday: Holiday) -> str:
    if holiday.audience == Holiday.Audience.AGED and holiday.min_age:
        return _("aged %(age)s and over") % {"age": holiday.min_age}
    return str(holiday.get_audience_display())


def _activity_events(user: User, start: datetime.date, end: datetime.date) -> list[FeedEvent]:
    zone = ZoneInfo(settings.TIME_ZONE)
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    activities = (
        activities_visible_to(user=user)
        .filter(starts_at__lt=until)
        .filter(Q(starts_at__gte=since) | Q(ends_at__gte=since))
        .select_related("unit", "team")
        .order_by("starts_at", "id")
    )
    kinds = dict(Activity.Kind.choices)
    return [
        FeedEvent(
            uid=f"activity-{activity.pk}@{FEED_UID_DOMAIN}",
            kind="activity",
            summary=activity.title,
            start=timezone.localtime(activity.starts_at, zone),
            end=timezone.localtime(activity.ends_at, zone) if activity.ends_at else None,
            location=activity.place,
            description=_lines(
                str(kinds.get(activity.kind, activity.kind)),
                _("Organised by %(unit)s") % {"unit": activity.organiser or activity.unit.name},
                _("Team: %(team)s") % {"team": activity.team.name} if activity.team else "",
                activity.description,
            ),
            url=_absolute(activity.get_absolute_url()),
        )
        for activity in activities
    ]
