"""Writes of the money: spending, and the year's budget (see ``budget.py``).

Other apps record their payments here: an assistance case's payment
(``source="assistance"``, line ``"assistance"``), a subscription (``"subscription"``), a
collective activity (``"activity"``)::

    from funds.services import expense_record

    expense = expense_record(
        user=request.user, unit=case.cadre.unit, line_code="assistance",
        spent_on=paid_on, amount=amount, payee=case.cadre.name,
        note=f"特困帮扶 #{case.pk}", source="assistance",
    )

and keep the ``Expense`` it returns (a ``ForeignKey``/``OneToOneField`` to
``funds.Expense``), all in their own transaction: a refused expense raises
``ValidationError`` and nothing is written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.scoping import visible_unit_ids
from cadres.models import VisitOccasion

from .budget import budget_compute
from .models import (
    FEN,
    OTHER_LINE_CODES,
    BudgetAdjustment,
    BudgetComputation,
    BudgetLine,
    Expense,
    ExpenseSource,
    Standard,
)
from .roles import (
    can_adjust_budget,
    can_manage_standards,
    can_override_budget,
    can_record_expenses,
)
from .selectors import is_line_code, line_remaining


def yuan(amount: Decimal) -> str:
    """An amount as the pages write it: 1,234.50."""
    return number_format(amount, decimal_pos=2, use_l10n=False, force_grouping=True)


def overspend_message(*, line: BudgetLine, remaining: Decimal, amount: Decimal) -> str:
    return _(
        "This would overspend the budget line %(line)s of %(unit)s for %(year)s: "
        "%(remaining)s yuan remain, and this is %(amount)s yuan."
    ) % {
        "line": line.label,
        "unit": line.unit.name,
        "year": line.year,
        "remaining": yuan(remaining),
        "amount": yuan(amount),
    }


@transaction.atomic
def expense_record(
    *,
    user: User,
    unit: Unit,
    line_code: str,
    spent_on: datetime.date,
    amount: Decimal,
    payee: str,
    note: str = "",
    source: str = ExpenseSource.OTHER,
    overspend_reason: str = "",
) -> Expense:
    """Record money spent (not a visit's) against ``unit``'s budget line ``line_code``
    for the year of ``spent_on``.

    An expense that would spend more than the line has left is refused with a
    ``ValidationError`` on ``amount`` naming what remains — unless ``overspend_reason``
    is given and the user is bureau staff or an administrator, who may record it with
    the reason. A unit with no budget line for that code and year still records the
    expense (``line`` is ``None``): nothing was budgeted, so nothing can be overspent;
    it is reported as unbudgeted spending and linked to the line if one is created
    later. Unit staff record only for their own units (``PermissionDenied``).
    """
    if not can_record_expenses(user=user):
        raise PermissionDenied
    visible = visible_unit_ids(user=user)
    if visible is not None and unit.pk not in visible:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not is_line_code(line_code):
        errors.setdefault("line_code", []).append(_("Unknown budget line."))
    if source not in ExpenseSource.values:
        errors.setdefault("source", []).append(_("Unknown kind of spending."))
    if amount is None or Decimal(amount) <= 0:
        errors.setdefault("amount", []).append(_("The amount must be more than zero."))
    elif Decimal(amount) != Decimal(amount).quantize(FEN):
        errors.setdefault("amount", []).append(_("Give the amount in yuan and fen."))
    if spent_on and spent_on > timezone.localdate():
        errors.setdefault("spent_on", []).append(_("The date is in the future."))
    if errors:
        raise ValidationError(errors)
    amount = Decimal(amount).quantize(FEN)
    overspend_reason = (overspend_reason or "").strip()

    # Lock the line while its remaining money is read and spent, so that two records at
    # once cannot both fit into the same remainder (a no-op on SQLite, which writes
    # one at a time anyway).
    line = (
        BudgetLine.objects.select_for_update()
        .filter(unit=unit, code=line_code, year=spent_on.year)
        .first()
    )
    if line is not None:
        line = BudgetLine.objects.select_related("unit", "occasion").get(pk=line.pk)
        remaining = line_remaining(line=line)
        if amount > remaining:
            message = overspend_message(line=line, remaining=remaining, amount=amount)
            if not overspend_reason:
                if can_override_budget(user=user):
                    message = "{} {}".format(
                        message, _("Give the reason for overspending to record it anyway.")
                    )
                raise ValidationError({"amount": [message]})
            if not can_override_budget(user=user):
                raise ValidationError(
                    {
                        "amount": [message],
                        "overspend_reason": [
                            _("Only the bureau may record spending past a line's budget.")
                        ],
                    }
                )
        else:
            # The reason is for overspending only; kept off an expense within budget.
            overspend_reason = ""
    else:
        overspend_reason = ""
    expense = Expense(
        spent_on=spent_on,
        unit=unit,
        line_code=line_code,
        line=line,
        amount=amount,
        payee=(payee or "").strip(),
        note=(note or "").strip(),
        source=source,
        overspend_reason=overspend_reason,
        recorded_by=user,
    )
    expense.full_clean()
    expense._history_user = user
    expense.save()
    return expense


@transaction.atomic
def expense_void(*, expense: Expense, user: User, reason: str) -> Expense:
    """Void a mistaken expense with a reason: it stays on record and no longer counts."""
    if not can_record_expenses(user=user):
        raise PermissionDenied
    visible = visible_unit_ids(user=user)
    if visible is not None and expense.unit_id not in visible:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"void_reason": [_("Give the reason for voiding.")]})
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.is_void:
        raise ValidationError(_("This expense is already void."))
    expense.voided_at = timezone.now()
    expense.void_reason = reason
    expense.full_clean()
    expense._history_user = user
    expense.save()
    return expense


# --- Standards --------------------------------------------------------------------------


def _require_standards_manager(user: User) -> None:
    if not can_manage_standards(user=user):
        raise PermissionDenied


@transaction.atomic
def standard_save(*, user: User, standard: Standard) -> Standard:
    """Add or change a standard (administrators only)."""
    _require_standards_manager(user)
    standard.full_clean()
    standard._history_user = user
    standard.save()
    return standard


@transaction.atomic
def standard_delete(*, user: User, standard: Standard) -> None:
    """Remove a standard (its history keeps it); the budget changes only when it is
    computed again."""
    _require_standards_manager(user)
    standard._history_user = user
    standard.delete()


@transaction.atomic
def standards_copy_year(*, user: User, from_year: int, to_year: int) -> int:
    """Start a year's standards from another year's (only into a year that has none)."""
    _require_standards_manager(user)
    if Standard.objects.filter(year=to_year).exists():
        raise ValidationError(_("%(year)s already has standards.") % {"year": to_year})
    copied = 0
    for standard in Standard.objects.filter(year=from_year).order_by("pk"):
        standard.pk = None
        standard.id = None
        standard._state.adding = True
        standard.year = to_year
        standard_save(user=user, standard=standard)
        copied += 1
    if not copied:
        raise ValidationError(_("%(year)s has no standards to copy.") % {"year": from_year})
    return copied


# --- The budget -------------------------------------------------------------------------


def _link_unbudgeted_expenses(line: BudgetLine) -> None:
    """Expenses recorded before their line existed now belong to it."""
    Expense.objects.filter(
        unit_id=line.unit_id,
        line_code=line.code,
        line__isnull=True,
        spent_on__year=line.year,
    ).update(line=line)


@transaction.atomic
def budget_apply(
    *, user: User, year: int, register_date: datetime.date, digest: str | None = None
) -> BudgetComputation:
    """Write the year's budget as computed from the register on ``register_date``:
    each line's computed amount and heads are replaced, its adjustments kept (the
    budget = computed + adjustments). ``digest`` is the fingerprint of the figures the
    user saw; if the register or the standards changed since, nothing is written and
    ``ValidationError`` asks to look again."""
    _require_standards_manager(user)
    preview = budget_compute(year=year, register_date=register_date)
    if digest is not None and digest != preview.digest:
        raise ValidationError(
            _("The register or the standards changed since these figures were shown; look again.")
        )
    if not preview.standards_count:
        raise ValidationError(_("%(year)s has no standards yet.") % {"year": year})
    below = preview.below_zero
    if below:
        raise ValidationError(
            _("Adjustments would take these lines below zero: %(lines)s.")
            % {"lines": ", ".join(f"{line.unit} · {line.occasion}" for line in below)}
        )
    changed = 0
    for computed in preview.lines:
        line = computed.current
        if line is None:
            line = BudgetLine(year=year, unit=computed.unit, code=computed.code)
            line.occasion = computed.occasion
        elif not computed.is_changed and line.register_date == register_date:
            continue
        if computed.is_changed:
            changed += 1
        line.amount = computed.new_budget
        line.computed_amount = computed.amount
        line.heads = computed.heads
        line.calculation = computed.calculation
        line.register_date = register_date
        line.full_clean()
        line._history_user = user
        line._change_reason = _("Computed from the register on %(day)s") % {
            "day": register_date.isoformat()
        }
        line.save()
        _link_unbudgeted_expenses(line)
    return BudgetComputation.objects.create(
        year=year,
        register_date=register_date,
        total=preview.total,
        lines_changed=changed,
        applied_by=user,
    )


@transaction.atomic
def budget_line_adjust(
    *,
    user: User,
    amount: Decimal,
    reason: str,
    line: BudgetLine | None = None,
    unit: Unit | None = None,
    code: str = "",
    year: int | None = None,
) -> BudgetAdjustment:
    """Add to (positive) or take from (negative) a budget line, with a reason; the line
    of ``unit``, ``code`` and ``year`` is created if there is none (the budget for
    activities, subscriptions, assistance and other spending starts this way). A line
    never goes below zero."""
    if not can_adjust_budget(user=user):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors.setdefault("reason", []).append(_("Give the reason for the adjustment."))
    if amount is None or Decimal(amount) == 0:
        errors.setdefault("amount", []).append(_("Give an amount other than zero."))
    elif Decimal(amount) != Decimal(amount).quantize(FEN):
        errors.setdefault("amount", []).append(_("Give the amount in yuan and fen."))
    if line is None and not is_line_code(code):
        errors.setdefault("code", []).append(_("Unknown budget line."))
    if errors:
        raise ValidationError(errors)
    amount = Decimal(amount).quantize(FEN)
    if line is None:
        lines = BudgetLine.objects.select_for_update()
        line = lines.filter(unit=unit, code=code, year=year).first()
        if line is None:
            line = BudgetLine(
                year=year,
                unit=unit,
                code=code,
                occasion=VisitOccasion.objects.filter(code=code).first()
                if code not in OTHER_LINE_CODES
                else None,
            )
    else:
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.amount + amount < 0:
        raise ValidationError(
            {
                "amount": [
                    _("The line holds %(amount)s yuan; it cannot go below zero.")
                    % {"amount": yuan(line.amount)}
                ]
            }
        )
    line.amount += amount
    line.full_clean()
    line._history_user = user
    line._change_reason = reason[:100]
    created = line.pk is None
    line.save()
    if created:
        _link_unbudgeted_expenses(line)
    adjustment = BudgetAdjustment(line=line, amount=amount, reason=reason, made_by=user)
    adjustment.full_clean()
    adjustment.save()
    return adjustment
