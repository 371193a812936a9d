"""What administrators are told of when reminders go wrong: the alert mail of a day's
digests that failed for good (``DeliveryAlert``, itself an outbox row sent once the
mail server is back) and the records the daily plan had to skip (``PlanProblem``),
both shown on the dashboard and in admin."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre

from .outbox import Digest
from .rules import ReminderKind


class DeliveryAlert(models.Model):
    """告警邮件: one email to the administrators for each day on which digests failed
    for good. It is itself an outbox row, unique by its key, claimed and retried like a
    digest — without a deadline, so it goes out once the mail server is back."""

    Status = Digest.Status

    key = models.CharField(_("key"), max_length=60, unique=True)
    day = models.DateField(_("day of the failed digests"))
    status = models.CharField(
        _("status"), max_length=10, choices=Digest.Status.choices, default=Digest.Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.TextField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery alert")
        verbose_name_plural = _("delivery alerts")
        ordering = ["-day"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="alert_queued_due_idx",
                condition=Q(status="queued"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="delivery_alert_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def message_id(self) -> str:
        return f"<yinling-alert-{self.pk}@{settings.REMINDER_MESSAGE_ID_DOMAIN}>"


class PlanProblem(models.Model):
    """A record the daily plan skipped because a rule raised on it (or, with no cadre, a
    rule that failed as a whole): everyone else's reminders went; this one's did not
    until the record is put right. Listed for administrators on the dashboard and in
    admin; one row per day, kind and record."""

    day = models.DateField(_("day planned"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    subject_key = models.CharField(_("subject"), max_length=60)
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_problems",
    )
    error = models.TextField(_("error"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("skipped record")
        verbose_name_plural = _("skipped records")
        ordering = ["-day", "kind", "id"]
        constraints = [
            # Its index serves the day's list too.
            models.UniqueConstraint(
                fields=["day", "kind", "subject_key"], name="plan_problem_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.get_kind_display()} · {self.subject_key}"
