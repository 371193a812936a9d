"""开支: an ``Expense`` that is not a visit's (a collective activity, a subscription, an
assistance payment, anything else), recorded against a unit's budget line by its line
code and year, and voided with a reason rather than deleted."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit

from .budget import BudgetLine
from .line_codes import FEN, ExpenseSource, line_label


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
