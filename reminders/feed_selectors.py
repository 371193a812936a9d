"""Reads of the calendar feed (日历订阅): a user's feed and the one behind a secret
address, its absolute address, and the events it shows — the birthdays and political
birthdays of the cadres the user may see, the active holidays and the activities of
their units — as ``FeedEvent``s, which ``ical`` writes out as iCalendar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from activities.models import Activity
from activities.selectors import activities_visible_to
from cadres.selectors import cadres_visible_to

from .birthday_rules import MILESTONE_AGES, birthday_items, political_birthday_items
from .cadre_rows import active_cadres
from .calendar import LunarMonthDay, lunar_date_label, lunar_occurrences, solar_occurrences
from .due_items import DueItem
from .models import CalendarFeed, CalendarKind, Holiday, ReminderKind

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
