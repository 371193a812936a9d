"""慰问标准 and their application: the per-head or per-visit ``Standard`` of an occasion
in a year (for 离休/退休, an age band or hardship), and each ``BudgetComputation`` that
applied the year's standards to the register, which the budget lines' computed amounts
come from."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import RetirementKind, VisitOccasion

from .line_codes import FEN


class Standard(models.Model):
    """慰问标准: what one cadre (per head) or one visit (per time) is given on an
    occasion in a year, for 离休/退休 and optionally an age band or hardship.

    Where several standards of an occasion fit a cadre, the most specific one applies
    (the one with the most conditions), and among equally specific ones the higher.
    """

    class Basis(models.TextChoices):
        PER_HEAD = "per_head", _("Per head")
        PER_TIME = "per_time", _("Per visit")

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    occasion = models.ForeignKey(
        VisitOccasion,
        verbose_name=_("occasion"),
        on_delete=models.PROTECT,
        related_name="fund_standards",
    )
    retirement_kind = models.CharField(
        _("retirement kind"),
        max_length=10,
        choices=RetirementKind.choices,
        blank=True,
        help_text=_("Empty for both 离休 and 退休."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("from age"), null=True, blank=True, validators=[MaxValueValidator(130)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("to age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(130)],
        help_text=_("Inclusive; empty for no upper limit."),
    )
    hardship_only = models.BooleanField(
        _("hardship only"),
        default=False,
        help_text=_("Only for cadres with living difficulties or in extreme hardship."),
    )
    basis = models.CharField(
        _("basis"), max_length=10, choices=Basis.choices, default=Basis.PER_HEAD
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(FEN)],
    )
    times_per_hundred = models.DecimalField(
        _("expected visits per 100 cadres"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(FEN)],
        help_text=_(
            "For a per-visit standard: how many such visits a year to budget for every "
            "100 cadres (rounded up to whole visits per unit)."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding standard")
        verbose_name_plural = _("funding standards")
        ordering = ["-year", "occasion__sort_order", "occasion_id", "retirement_kind", "min_age"]
        indexes = [models.Index(fields=["year", "occasion"], name="standard_year_occasion_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="standard_amount_positive"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="standard_age_band_ordered",
                violation_error_message=_("The age band ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(basis="per_head", times_per_hundred__isnull=True)
                | Q(basis="per_time", times_per_hundred__isnull=False),
                name="standard_times_only_per_visit",
                violation_error_message=_(
                    "A per-visit standard needs the expected visits per 100 cadres; a "
                    "per-head standard has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.occasion} · {self.conditions_display} · {self.amount}"

    @property
    def specificity(self) -> int:
        return (
            bool(self.retirement_kind)
            + (self.min_age is not None or self.max_age is not None)
            + self.hardship_only
        )

    @property
    def conditions_display(self) -> str:
        parts = [self.get_retirement_kind_display() if self.retirement_kind else _("All cadres")]
        if self.min_age is not None and self.max_age is not None:
            parts.append(_("aged %(low)s–%(high)s") % {"low": self.min_age, "high": self.max_age})
        elif self.min_age is not None:
            parts.append(_("aged %(low)s and over") % {"low": self.min_age})
        elif self.max_age is not None:
            parts.append(_("aged up to %(high)s") % {"high": self.max_age})
        if self.hardship_only:
            parts.append(_("in hardship"))
        return " · ".join(str(part) for part in parts)

    def clean(self):
        errors: dict[str, list] = {}
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors.setdefault("max_age", []).append(_("The age band ends before it starts."))
        if self.basis == self.Basis.PER_TIME and self.times_per_hundred is None:
            errors.setdefault("times_per_hundred", []).append(
                _("Give the expected visits per 100 cadres for a per-visit standard.")
            )
        if self.basis == self.Basis.PER_HEAD:
            self.times_per_hundred = None
        if self.year and self.occasion_id:
            same = Standard.objects.filter(
                year=self.year,
                occasion_id=self.occasion_id,
                retirement_kind=self.retirement_kind,
                min_age=self.min_age,
                max_age=self.max_age,
                hardship_only=self.hardship_only,
            ).exclude(pk=self.pk)
            if same.exists():
                errors.setdefault("__all__", []).append(
                    _("This year already has a standard for this occasion and these cadres.")
                )
        if errors:
            raise ValidationError(errors)

    def fits(self, *, retirement_kind: str, age: int, in_hardship: bool) -> bool:
        """Whether this standard applies to a cadre of this kind, age and hardship."""
        if self.retirement_kind and self.retirement_kind != retirement_kind:
            return False
        if self.min_age is not None and age < self.min_age:
            return False
        if self.max_age is not None and age > self.max_age:
            return False
        return not (self.hardship_only and not in_hardship)


class BudgetComputation(models.Model):
    """One application of the year's standards to the register: on which day the
    heads were counted, by whom, and what it came to. The latest of a year is the
    budget's basis (and the day the per-head report reads the register on)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    register_date = models.DateField(_("register read on"))
    total = models.DecimalField(_("computed total (yuan)"), max_digits=14, decimal_places=2)
    lines_changed = models.PositiveIntegerField(_("lines changed"), default=0)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="budget_computations",
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget computation")
        verbose_name_plural = _("budget computations")
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} · {self.register_date} · {self.total}"
