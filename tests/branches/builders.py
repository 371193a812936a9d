"""Helpers for building branches in tests."""

import datetime

from branches.models import BranchRole
from tests.factories import BranchRoleFactory, CadreFactory

TODAY = datetime.date(2026, 6, 15)


def born(age: int, *, month: int = 1, day: int = 1) -> datetime.date:
    """A birth date giving ``age`` on TODAY (for month/day on or before 15 June)."""
    return datetime.date(TODAY.year - age, month, day)


def add_member(branch, *, role=BranchRole.Role.MEMBER, **cadre_fields) -> BranchRole:
    cadre_fields.setdefault("unit", branch.unit)
    return BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(**cadre_fields),
        role=role,
        started_on=datetime.date(2022, 3, 1),
        term_ends_on=(datetime.date(2027, 3, 1) if role in BranchRole.COMMITTEE_ROLES else None),
    )
