"""Who may do what with the money (the scope of records is ``accounts.scoping``'s)."""

from __future__ import annotations

from accounts.models import User
from accounts.scoping import UNRESTRICTED_ROLES


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def is_administrator(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)


def can_read_funds(*, user: User) -> bool:
    """Budgets, spending and the 慰问经费 report: staff of the units, the bureau and
    administrators. Branch secretaries handle no money."""
    return _active(user) and (user.is_superuser or user.role != User.Role.BRANCH_SECRETARY)


def can_record_expenses(*, user: User) -> bool:
    return can_read_funds(user=user)


def can_manage_standards(*, user: User) -> bool:
    """The per-head standards and the computation of the year's budget: administrators."""
    return is_administrator(user)


def can_adjust_budget(*, user: User) -> bool:
    """Adjusting a budget line, with a reason: the bureau and administrators."""
    return _active(user) and (user.is_superuser or user.role in UNRESTRICTED_ROLES)


def can_override_budget(*, user: User) -> bool:
    """Recording spending past a line's budget, with a reason: the bureau and
    administrators (unit staff are refused)."""
    return can_adjust_budget(user=user)
