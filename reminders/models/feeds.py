"""The calendar feed (日历订阅): a staff member's iCalendar address, whose secret token
is the only key of calendar apps that cannot sign in, and ``new_feed_token``, which
makes a fresh one."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    """A fresh secret for a calendar feed's address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """日历订阅: a staff member's iCalendar feed, read by calendar apps that cannot sign
    in, so the secret token in its address is the only key. Resetting the token makes
    the old address stop working at once.

    No history is kept: an old token in a history table would be a key left lying about.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reset_at = models.DateTimeField(_("reset at"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["user_id"]
        constraints = [
            models.CheckConstraint(condition=~Q(token=""), name="calendar_feed_token_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def token_hint(self) -> str:
        """The first characters of the token, enough to tell two apart in admin."""
        return f"{self.token[:4]}…"
