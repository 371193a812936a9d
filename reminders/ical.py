"""The calendar feed as iCalendar (RFC 5545), written with the icalendar package."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from accounts.models import User

from .feed_selectors import FEED_UID_DOMAIN, FeedEvent
from .models import ReminderKind

PRODID = "-//Yinling//Calendar feed//ZH"
# Calendar apps poll at their own pace; this asks them for about once an hour.
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def _category(kind: str) -> str:
    labels = {
        ReminderKind.BIRTHDAY: _("Birthday"),
        ReminderKind.POLITICAL_BIRTHDAY: _("Political birthday"),
        "holiday": _("Holiday"),
        "activity": _("Activity"),
    }
    return str(labels.get(kind, kind))


def feed_calendar(*, user: User, events: list[FeedEvent], stamp: datetime.datetime) -> bytes:
    """The user's feed as an iCalendar document. ``stamp`` (DTSTAMP) is the time the
    feed was made; each event's UID stays the same from one fetch to the next, so a
    calendar app updates its copy instead of adding duplicates."""
    calendar = Calendar.new(
        name=f"{_('Yinling')} · {user.display_name}",
        prodid=PRODID,
        uid=f"feed-{user.pk}@{FEED_UID_DOMAIN}",
        refresh_interval=REFRESH_INTERVAL,
    )
    calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL).to_ical().decode())
    for item in events:
        event = Event.new(
            uid=item.uid,
            summary=item.summary,
            start=item.start,
            end=item.end,
            stamp=stamp,
            description=item.description or None,
            location=item.location or None,
            url=item.url or None,
            categories=[_category(item.kind)],
            # Birthdays and holidays are dates to know, not time blocked in the diary.
            transparency="TRANSPARENT" if item.all_day else "OPAQUE",
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
