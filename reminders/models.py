"""Reminder rules, holidays, the daily plan, the outbox of digests and calendar feeds."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from branches.models import PartyBranch
from cadres.models import Cadre, VisitOccasion


class CalendarKind(models.TextChoices):
    SOLAR = "solar", _("Solar (Gregorian)")
    LUNAR = "lunar", _("Lunar")


class Holiday(models.Model):
    """A festival before which the retirees of its audience are visited (春节, 重阳…)."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone on the register")
        LIXIU = "lixiu", _("Lixiu cadres only")
        PARTY_MEMBERS = "party", _("Party members")
        AGED = "aged", _("Aged N and over")
        HARDSHIP = "hardship", _("Cadres with hardship")

    name = models.CharField(_("name"), max_length=30, unique=True)
    calendar = models.CharField(_("calendar"), max_length=5, choices=CalendarKind.choices)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    lead_days = models.PositiveSmallIntegerField(
        _("lead days"),
        default=14,
        validators=[MaxValueValidator(90)],
        help_text=_("Remind this many days before the holiday."),
    )
    audience = models.CharField(
        _("who is visited"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(120)],
        help_text=_("For the audience “aged N and over”."),
    )
    occasion = models.OneToOneField(
        VisitOccasion,
        verbose_name=_("visit occasion"),
        on_delete=models.PROTECT,
        related_name="holiday",
        help_text=_("A visit with this occasion in the weeks before counts as the holiday visit."),
    )
    visit_window_days = models.PositiveSmallIntegerField(
        _("visit window (days)"),
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("Visits this many days before the holiday (up to the day) count for it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="holiday_month_day_range",
            ),
            models.CheckConstraint(
                condition=~Q(calendar="lunar") | Q(day__lte=30), name="holiday_lunar_day_range"
            ),
            models.CheckConstraint(
                condition=~Q(audience="aged") | Q(min_age__isnull=False),
                name="holiday_aged_audience_has_age",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.calendar == CalendarKind.LUNAR and self.day and self.day > 30:
            errors["day"] = _("A lunar month has at most 30 days.")
        if self.calendar == CalendarKind.SOLAR and self.month and self.day:
            import calendar

            if self.day > calendar.monthrange(2024, self.month)[1]:
                errors["day"] = _("This month has no such day.")
        if self.audience == self.Audience.AGED and not self.min_age:
            errors["min_age"] = _("Give the minimum age for this audience.")
        if errors:
            raise ValidationError(errors)


class ReminderKind(models.TextChoices):
    # Planned visits (待办走访), as three kinds: the visits planned as such (the
    # condolence visit after a death, a campaign's), follow-ups of a visit (跟进) and
    # return visits after a need was answered (回访).
    PLANNED_VISIT = "planned_visit", _("Planned visit due")
    FOLLOW_UP_VISIT = "follow_up_visit", _("Follow-up due")
    RETURN_VISIT = "return_visit", _("Return visit due")
    BIRTHDAY = "birthday", _("Birthday")
    POLITICAL_BIRTHDAY = "political_birthday", _("Political birthday")
    HOLIDAY_VISIT = "holiday_visit", _("Holiday visit")
    OVERDUE_VISIT = "overdue_visit", _("Visit overdue")
    HOSPITAL_VISIT = "hospital_visit", _("In hospital, not visited")
    CARE_NEED_OVERDUE = "care_need_overdue", _("Care need past due")
    BRANCH_TERM_ENDING = "branch_term_ending", _("Branch term ending")
    # A 特困帮扶 case waiting for its next step (review, approval, payment), for
    # whoever must take it; cadres of a checkup campaign not yet checked as its window
    # closes, for their liaison.
    ASSISTANCE_STEP = "assistance_step", _("Assistance case awaiting action")
    CHECKUP_PENDING = "checkup_pending", _("Checkup not yet done")


class ReminderRule(models.Model):
    """The settings of one kind of reminder, editable in admin."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    lead_days = models.PositiveSmallIntegerField(
        _("lead days"),
        default=7,
        validators=[MaxValueValidator(120)],
        help_text=_("For birthdays and terms: remind this many days before the date."),
    )
    threshold_days = models.PositiveSmallIntegerField(
        _("days without a visit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("For hospital stays: remind when no visit for this many days."),
    )
    threshold_days_lixiu = models.PositiveSmallIntegerField(
        _("days without a visit (lixiu)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    threshold_days_tuixiu = models.PositiveSmallIntegerField(
        _("days without a visit (tuixiu)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


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
