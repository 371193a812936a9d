"""Sums of line figures: per unit, and over all the lines shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import Unit

from .models import ZERO
from .selectors import LineFigures


@dataclass
class Totals:
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    committed: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def available(self) -> Decimal:
        return self.remaining - self.committed

    @classmethod
    def of(cls, rows: list[LineFigures]) -> Totals:
        totals = cls()
        for row in rows:
            totals.budget += row.budget
            totals.spent += row.spent
            totals.committed += row.committed
        return totals


@dataclass
class UnitGroup:
    unit: Unit
    rows: list[LineFigures] = field(default_factory=list)

    @property
    def totals(self) -> Totals:
        return Totals.of(self.rows)


def grouped_by_unit(rows: list[LineFigures]) -> list[UnitGroup]:
    """The rows (already in unit order) grouped by unit."""
    groups: list[UnitGroup] = []
    for row in rows:
        if not groups or groups[-1].unit.pk != row.unit.pk:
            groups.append(UnitGroup(unit=row.unit))
        groups[-1].rows.append(row)
    return groups
