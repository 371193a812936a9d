"""预算: a unit's ``BudgetLine`` for one line code in a year, its budget being what the
standards computed plus every ``BudgetAdjustment`` (调整) made by hand with a reason. What
a line has spent is computed from visits and expenses, never stored here."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from cadres.models import VisitOccasion

from .line_codes import OTHER_LINE_CODES, ZERO, line_label


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
