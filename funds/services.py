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

from .models import FEN, BudgetLine, Expense, ExpenseSource
from .roles import can_override_budget, can_record_expenses
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
