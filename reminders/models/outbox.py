"""The outbox of the daily plan: the days planned (``PlanRun``, so a day is planned once
and missed days are caught up), the digests — one email a day to one staff member, sent
exactly once, with its attempts, next attempt and deadline — and the items each carries,
each reminded once under a key unique in the database."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import PartyBranch
from cadres.models import Cadre

from .rules import ReminderKind


class PlanRun(models.Model):
    """One row per day the reminders were planned for: the planner's memory, so a day is
    planned once even when the scheduler fires twice, and missed days are caught up."""

    day = models.DateField(_("day"), unique=True)
    planned_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    item_count = models.PositiveIntegerField(_("new items"), default=0)

    class Meta:
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class Digest(models.Model):
    """The outbox: one email a day to one staff member, sent exactly once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("email", "recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_digests",
    )
    send_on = models.DateField(_("send on"))
    part = models.PositiveSmallIntegerField(
        _("part"), default=1, help_text=_("A second digest the same day carries late items.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Delivery until delivered: a claim takes the digest only once this time has come
    # (so a second plan run or a duplicate task never spends an attempt early), and an
    # SMTP failure puts it off with capped backoff until its deadline.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    deadline = models.DateTimeField(
        _("deliver by"), help_text=_("After this time the next failure is final.")
    )
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        ordering = ["-send_on", "recipient_id", "part"]
        indexes = [
            models.Index(fields=["status", "send_on"], name="digest_status_idx"),
            # The sweep's "what is due": queued rows by their next attempt, and
            # "sending" rows by their claim (a worker that died).
            models.Index(
                fields=["next_attempt_at"],
                name="digest_queued_due_idx",
                condition=Q(status="queued"),
            ),
            models.Index(
                fields=["claimed_at"], name="digest_sending_idx", condition=Q(status="sending")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "send_on", "part"], name="digest_once_per_day_part"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="digest_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.send_on}"

    @property
    def message_id(self) -> str:
        return f"<yinling-digest-{self.pk}@{settings.REMINDER_MESSAGE_ID_DOMAIN}>"


class ReminderItem(models.Model):
    """One thing a staff member is reminded of, once: the key (recipient, kind, subject,
    occurrence) is unique in the database."""

    # The foreign keys below need no index of their own: the composite indexes in Meta
    # lead with them (fewer indexes keep a 100,000-item holiday round quick to write).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("email", "recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_items",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    subject_key = models.CharField(_("subject"), max_length=60)
    occurrence = models.DateField(_("date"))
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_items",
        db_index=False,
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_items",
        db_index=False,
    )
    planned_for = models.DateField(_("planned for"))
    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="items"
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder item")
        verbose_name_plural = _("reminder items")
        ordering = ["kind", "occurrence", "id"]
        indexes = [
            models.Index(fields=["cadre", "occurrence"], name="item_cadre_idx"),
            models.Index(fields=["recipient", "planned_for"], name="item_recipient_idx"),
            models.Index(
                fields=["branch"], name="item_branch_idx", condition=Q(branch__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "occurrence"],
                name="reminder_item_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject_key} · {self.occurrence}"
