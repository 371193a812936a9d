"""慰问经费: per-head standards, the year's budget lines per unit, and spending.

Money is ``Decimal`` with two places (yuan and fen) everywhere; nothing is a float.

A budget line is the money of one unit, one year and one *line code*: the code of a
visit occasion (``spring_festival``, ``double_ninth``, ``hospital``… — holidays have
occasions of their own) for the money visits spend, or one of ``activity``,
``subscription``, ``assistance`` and ``other`` for the spending that is not a visit.
What a line has spent is always computed (from done visits and expenses), never copied.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from cadres.models import RetirementKind, VisitOccasion

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class ExpenseSource(models.TextChoices):
    """What an expense paid for. Each is also the line code of its budget line."""

    ACTIVITY = "activity", _("Collective activity")
    SUBSCRIPTION = "subscription", _("Subscription")
    ASSISTANCE = "assistance", _("Assistance payment")
    OTHER = "other", _("Other spending")


# The line codes of spending that is not a visit; every other line code is a
# ``VisitOccasion.code``.
OTHER_LINE_CODES = tuple(ExpenseSource.values)


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


class BudgetLine(models.Model):
    """预算: one unit's money for one line (an occasion, or other spending) in a year.

    ``amount`` is the budget: what the standards computed (``computed_amount``) plus
    every adjustment, kept equal to that sum by the services; the line's history and its
    adjustments keep how it came to be.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    code = models.SlugField(_("line code"), max_length=40)
    occasion = models.ForeignKey(
        VisitOccasion,
        verbose_name=_("occasion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    computed_amount = models.DecimalField(
        _("computed from the standards (yuan)"), max_digits=12, decimal_places=2, default=ZERO
    )
    amount = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=ZERO)
    heads = models.PositiveIntegerField(_("cadres counted"), default=0)
    calculation = models.CharField(_("calculation"), max_length=500, blank=True)
    register_date = models.DateField(_("register read on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "unit__sort_order", "unit__name", "code"]
        indexes = [models.Index(fields=["year", "code"], name="budgetline_year_code_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "code"],
                name="budgetline_unique_per_unit_year_code",
                violation_error_message=_("This unit already has this line for the year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budgetline_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(computed_amount__gte=0), name="budgetline_computed_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(occasion__isnull=True, code__in=OTHER_LINE_CODES)
                | (Q(occasion__isnull=False) & ~Q(code__in=OTHER_LINE_CODES)),
                name="budgetline_occasion_or_other_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.unit} · {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("funds:line_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return line_label(self.code, self.occasion)

    @property
    def adjusted_by(self) -> Decimal:
        return self.amount - self.computed_amount


def line_label(code: str, occasion: VisitOccasion | None = None) -> str:
    """A line's name: the occasion's, or the kind of other spending."""
    if occasion is not None:
        return occasion.name
    if code in OTHER_LINE_CODES:
        return str(ExpenseSource(code).label)
    return code


class BudgetAdjustment(models.Model):
    """调整: a change to a budget line by hand, with its reason. Never edited."""

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    amount = models.DecimalField(
        _("change (yuan)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Positive to add to the line, negative to take from it."),
    )
    reason = models.TextField(_("reason"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="budget_adjustments",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-made_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="budgetadjustment_amount_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="budgetadjustment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.line} · {self.amount:+}"


class Expense(models.Model):
    """开支: money spent that is not a visit's (a collective activity, a subscription,
    an assistance payment, anything else), against a unit's budget line.

    ``line_code`` and the year of ``spent_on`` name the line; ``line`` is that line when
    it exists (an expense recorded before its line was budgeted is linked when the line
    is created). Spending is counted by unit, code and year, so it is never lost.
    """

    spent_on = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="expenses"
    )
    line_code = models.SlugField(_("line code"), max_length=40)
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(FEN)],
    )
    payee = models.CharField(_("payee"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=ExpenseSource.choices, default=ExpenseSource.OTHER
    )
    overspend_reason = models.TextField(
        _("reason for overspending"),
        blank=True,
        help_text=_("Bureau staff only: why this expense may go over the line's budget."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses_recorded",
    )
    # A mistaken record is voided with a reason, never deleted.
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "spent_on"], name="expense_unit_date_idx"),
            models.Index(fields=["line_code", "spent_on"], name="expense_code_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="expense_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} · {self.unit} · {self.line_label} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("funds:expense_detail", args=[self.pk])

    @property
    def line_label(self) -> str:
        if self.line_id:
            return self.line.label
        return line_label(self.line_code)

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None
