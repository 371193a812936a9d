"""Care needs (来信来访): a cadre's request, by letter, in person or raised during a
visit, tracked from raised to resolved so that every request gets an answer (有访必复)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .cadre import Cadre
from .choices import ChoiceLabels


class CareNeed(ChoiceLabels, models.Model):
    """来信来访 and needs: every request gets an answer (有访必复), tracked from raised
    to resolved."""

    class Category(models.TextChoices):
        MEDICAL = "medical", _("Medical care")
        LIVING = "living", _("Daily living")
        HOUSING = "housing", _("Housing")
        BENEFITS = "benefits", _("Pension and benefits")
        FAMILY = "family", _("Family matters")
        ACTIVITIES = "activities", _("Study and activities")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Raised during a visit")
        ONLINE = "online", _("Online or WeChat")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="care_needs"
    )
    raised_on = models.DateField(_("raised on"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.VISIT
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    due_on = models.DateField(pgettext_lazy("need", "due date"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_care_needs",
    )
    resolution = models.TextField(_("resolution and reply"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("care need")
        verbose_name_plural = _("care needs")
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="careneed_status_due_idx"),
            models.Index(fields=["cadre", "status"], name="careneed_cadre_status_idx"),
            # The dashboard's needs past due, the longest first: open needs in date order
            # (the cadre's and the need's keys ride along: a unit's are found from the
            # index alone).
            models.Index(
                fields=["due_on", "cadre", "id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="careneed_open_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="resolved") & Q(resolved_on__isnull=False) & ~Q(resolution=""))
                | (~Q(status="resolved") & Q(resolved_on__isnull=True)),
                name="careneed_resolved_has_date_and_reply",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("raised_on")),
                name="careneed_due_after_raised",
                violation_error_message=_("The due date is before the date raised."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                name="careneed_resolved_after_raised",
                violation_error_message=_("This is before the date raised."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_category_display()} · {self.raised_on}"

    def clean(self):
        errors: dict[str, list] = {}
        if self.status == self.Status.RESOLVED:
            if not self.resolved_on:
                errors.setdefault("resolved_on", []).append(_("Enter the date it was resolved."))
            if not self.resolution:
                errors.setdefault("resolution", []).append(
                    _("Every request gets an answer: record the reply.")
                )
        elif self.resolved_on:
            errors.setdefault("status", []).append(
                _("A resolution date is given: set the status to resolved.")
            )
        if self.resolved_on and self.raised_on and self.resolved_on < self.raised_on:
            errors.setdefault("resolved_on", []).append(_("This is before the date raised."))
        if self.due_on and self.raised_on and self.due_on < self.raised_on:
            errors.setdefault("due_on", []).append(_("The due date is before the date raised."))
        if errors:
            raise ValidationError(errors)
