"""Writes of the calendar feed (日历订阅): giving a user a feed address with a new secret
token (the old address stops answering at once), and noting when a calendar app
fetched it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import CalendarFeed, new_feed_token


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the user a calendar feed address with a new secret token. A feed they had
    already answers 404 at its old address from this moment on; calendar apps must be
    given the new one."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.reset_at = timezone.now()
        # Fetches of the old address say nothing about the new one.
        feed.last_fetched_at = None
    feed.full_clean()
    feed.save()
    return feed


def calendar_feed_record_fetch(*, feed: CalendarFeed) -> None:
    """Note that a calendar app fetched the feed (shown to the user, so they can tell
    whether their subscription works). One UPDATE, without touching the token."""
    feed.last_fetched_at = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=feed.last_fetched_at)
