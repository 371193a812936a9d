"""Visits (走访慰问) and why they are made: the visit occasions (走访事由, 五必访 among
them) with the one colour each has on every chart, and the visit itself, planned with a
due date and then done or cancelled, with its visitors, money and gifts, heart-to-heart
talk and follow-up."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cadre import Cadre
from .choices import ChoiceLabels

# One colour per visit occasion wherever visits are charted (dark enough for white text
# and distinct from their neighbours); an occasion added later gets one from the rest of
# the palette by its code, the same on every page.
OCCASION_COLOURS = {
    "spring_festival": "#b3261e",
    "lantern_festival": "#d9822b",
    "party_founding": "#8c1d18",
    "mid_autumn": "#c9a227",
    "national_day": "#e25b45",
    "double_ninth": "#8e6c8a",
    "holiday": "#a14b1f",
    "hospital": "#3d7ea6",
    "milestone_birthday": "#5b8c5a",
    "birthday": "#7aa874",
    "political_birthday": "#6b3fa0",
    "family_difficulty": "#4f6d7a",
    "condolence": "#555555",
    "routine": "#9aa5ad",
}
SPARE_COLOURS = ["#2f6f8f", "#8a5a44", "#58735b", "#7c4d7a", "#a07c2c", "#3f5f9f"]


def occasion_colour(code: str) -> str:
    if code in OCCASION_COLOURS:
        return OCCASION_COLOURS[code]
    return SPARE_COLOURS[sum(code.encode()) % len(SPARE_COLOURS)]


class VisitOccasion(models.Model):
    """走访事由: why a visit is made. 五必访 occasions are flagged as mandatory; the set
    is data so that each bureau can use its own wording."""

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Used by reminders and imports.")
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    is_mandatory = models.BooleanField(_("mandatory visit (五必访)"), default=False, db_index=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit occasion")
        verbose_name_plural = _("visit occasions")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def colour(self) -> str:
        """The occasion's one colour, on the dashboard and in every report's chart."""
        return occasion_colour(self.code)


class Visit(ChoiceLabels, models.Model):
    """走访慰问: a visit to a cadre, planned (with a due date) and then done or cancelled.

    Holiday campaigns and the condolence visit after a death create planned visits that
    staff tick off.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        HOME = "home", _("Home visit")
        HOSPITAL = "hospital", _("Hospital visit")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video or WeChat")
        GROUP = "group", _("Group event")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="visits"
    )
    occasion = models.ForeignKey(
        VisitOccasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="visits"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    visited_on = models.DateField(_("date visited"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, blank=True)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting staff"),
        blank=True,
        related_name="visits_made",
    )
    leaders = models.CharField(
        _("leaders taking part"),
        max_length=200,
        blank=True,
        help_text=_("Names and posts of leaders who took part."),
    )
    condolence_money = models.DecimalField(
        _("condolence money (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    gifts = models.CharField(_("gifts"), max_length=200, blank=True)
    # What the gifts cost: with the money, what the visit spends of its unit's budget
    # line for the occasion (慰问经费).
    gifts_value = models.DecimalField(
        _("value of gifts (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    heart_to_heart = models.BooleanField(
        _("heart-to-heart talk"),
        default=False,
        help_text=_("谈心谈话: a talk about the cadre's thinking and concerns."),
    )
    # 思想动态 of a heart-to-heart talk: read by bureau staff and the cadre's liaison
    # only, so it stays out of the history tables that other roles read.
    thoughts = models.TextField(_("thoughts and concerns"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_by = models.DateField(_("follow up by"), null=True, blank=True)
    # A visit that needs a follow-up by a date plans the follow-up as a visit of its
    # own, so that the to-do list and the reminders handle every planned visit alike.
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    care_need = models.ForeignKey(
        "CareNeed",
        verbose_name=_("return visit for the need"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_visits",
        help_text=_("A return visit (回访) to the cadre after their need was answered."),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits_recorded",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[visitors], excluded_fields=["thoughts"])

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-due_on", "-id"]
        indexes = [
            models.Index(fields=["cadre", "status", "visited_on"], name="visit_cadre_done_idx"),
            # Occasion and cadre ride along: the dashboard's counts by month, occasion
            # and unit then read this index alone, not 100,000s of visit rows.
            models.Index(
                fields=["status", "visited_on", "occasion", "cadre"],
                name="visit_status_visited_idx",
            ),
            models.Index(fields=["status", "due_on"], name="visit_status_due_idx"),
            # The visits to do of a unit, counted by due date from this index alone (the
            # cadre's key rides along to be joined to the unit's cadres, the visit's to
            # read the first few).
            models.Index(
                fields=["due_on", "cadre", "id"],
                condition=Q(status="planned"),
                name="visit_planned_due_idx",
            ),
            models.Index(fields=["occasion", "visited_on"], name="visit_occasion_idx"),
            # The dashboard: visits recorded or completed since its daily snapshot.
            models.Index(fields=["updated_at"], name="visit_updated_idx"),
            # The visit list's "follow-up pending" and "follow-up overdue" filters.
            models.Index(
                fields=["follow_up_by"],
                condition=Q(follow_up_needed=True),
                name="visit_follow_up_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(visited_on__isnull=False),
                name="visit_done_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(due_on__isnull=False),
                name="visit_planned_has_due_date",
            ),
            models.CheckConstraint(
                condition=Q(condolence_money__gte=0), name="visit_money_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_by__isnull=True) | Q(follow_up_needed=True),
                name="visit_follow_up_date_needs_flag",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="visit_cancelled_has_reason",
                violation_error_message=_("Give the reason for cancelling."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_of__isnull=True) | Q(care_need__isnull=True),
                name="visit_follow_up_or_return_visit",
            ),
        ]

    def __str__(self) -> str:
        when = self.visited_on or self.due_on
        return f"{self.cadre} · {self.occasion} · {when}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:visit_detail", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    def clean(self):
        errors: dict[str, list] = {}
        if self.status == self.Status.DONE and not self.visited_on:
            errors.setdefault("visited_on", []).append(_("Enter the date of the visit."))
        if self.status == self.Status.PLANNED and not self.due_on:
            errors.setdefault("due_on", []).append(_("A planned visit needs a due date."))
        if self.visited_on and self.visited_on > timezone.localdate():
            errors.setdefault("visited_on", []).append(
                _("A visit cannot have happened in the future; plan it instead.")
            )
        died_on = self.cadre.died_on if self.cadre_id else None
        is_condolence = self.occasion_id and self.occasion.code == "condolence"
        if died_on and self.visited_on and self.visited_on > died_on and not is_condolence:
            errors.setdefault("visited_on", []).append(
                _("The cadre had died by then; record a condolence visit to the family.")
            )
        if self.follow_up_by and not self.follow_up_needed:
            errors.setdefault("follow_up_needed", []).append(
                _("Tick follow-up needed when giving a follow-up date.")
            )
        if self.follow_up_by and self.visited_on and self.follow_up_by < self.visited_on:
            errors.setdefault("follow_up_by", []).append(
                _("The follow-up date is before the visit.")
            )
        if self.status == self.Status.CANCELLED and not self.cancellation_reason.strip():
            errors.setdefault("cancellation_reason", []).append(
                _("Give the reason for cancelling.")
            )
        if errors:
            raise ValidationError(errors)
