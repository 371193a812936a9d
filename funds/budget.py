"""The year's budget computed from the register: the standard × the heads, per unit and
occasion, in yuan and fen (``Decimal`` throughout, no rounding: a per-head sum of
two-place amounts is exact, and a per-visit standard is budgeted for whole visits).

``budget_compute`` reads: it shows what the standards come to on a day of the register
next to what the lines hold now, so that a re-computation shows its difference before
``funds.services.budget_apply`` writes it.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import Unit
from cadres.models import Cadre, VisitOccasion
from cadres.register import on_register

from .models import ZERO, BudgetLine, Standard
from .standards import StandardBook


def per_visit_count(heads: int, times_per_hundred: Decimal) -> int:
    """Whole visits to budget for ``heads`` cadres at a rate per 100: rounded up, so a
    unit with any cadres to whom the standard applies can pay at least one visit."""
    if heads <= 0:
        return 0
    return math.ceil(Decimal(heads) * times_per_hundred / Decimal(100))


@dataclass
class ComputedLine:
    """What the standards give one unit for one occasion, beside the line as it is."""

    unit: Unit
    occasion: VisitOccasion
    heads: int = 0
    amount: Decimal = ZERO
    parts: list[str] = field(default_factory=list)
    current: BudgetLine | None = None

    @property
    def code(self) -> str:
        return self.occasion.code

    @property
    def calculation(self) -> str:
        return " + ".join(self.parts)[:500]

    @property
    def current_computed(self) -> Decimal:
        return self.current.computed_amount if self.current else ZERO

    @property
    def adjustments(self) -> Decimal:
        return (self.current.amount - self.current.computed_amount) if self.current else ZERO

    @property
    def difference(self) -> Decimal:
        return self.amount - self.current_computed

    @property
    def new_budget(self) -> Decimal:
        return self.amount + self.adjustments

    @property
    def is_new(self) -> bool:
        return self.current is None

    @property
    def is_changed(self) -> bool:
        return self.current is None or (self.difference != 0 or self.heads != self.current.heads)


@dataclass
class BudgetComputationPreview:
    year: int
    register_date: datetime.date
    lines: list[ComputedLine]
    standards_count: int

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def current_total(self) -> Decimal:
        return sum((line.current_computed for line in self.lines), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.total - self.current_total

    @property
    def changed(self) -> list[ComputedLine]:
        return [line for line in self.lines if line.is_changed]

    @property
    def below_zero(self) -> list[ComputedLine]:
        """Lines whose adjustments would take the budget below zero."""
        return [line for line in self.lines if line.new_budget < 0]

    @property
    def digest(self) -> str:
        """A fingerprint of the figures, so that applying refuses figures that have
        changed since they were shown."""
        text = "|".join(
            f"{line.unit.pk}:{line.code}:{line.heads}:{line.amount}:{line.current_computed}"
            for line in self.lines
        )
        return hashlib.sha256(f"{self.year}|{self.register_date}|{text}".encode()).hexdigest()

    def by_unit(self) -> list[tuple[Unit, list[ComputedLine], Decimal, Decimal]]:
        """The lines grouped by unit: each unit's lines, new total and difference."""
        grouped: dict[int, list[ComputedLine]] = defaultdict(list)
        for line in self.lines:
            grouped[line.unit.pk].append(line)
        return [
            (
                lines[0].unit,
                lines,
                sum((line.amount for line in lines), ZERO),
                sum((line.difference for line in lines), ZERO),
            )
            for lines in grouped.values()
        ]


def budget_compute(*, year: int, register_date: datetime.date) -> BudgetComputationPreview:
    """Apply the year's standards to the cadres on the register on ``register_date``
    (ages as of that day): per unit and occasion, the per-head amounts summed and the
    per-visit ones at their expected number of visits. Lines of occasions that the
    standards no longer give a unit any money for come back at zero."""
    standards = list(Standard.objects.filter(year=year).select_related("occasion"))
    book = StandardBook(standards)
    heads: dict[tuple[int, str], Counter] = defaultdict(Counter)
    cadres = Cadre.objects.filter(on_register(register_date, end_of_day=True)).values_list(
        "unit_id", "retirement_kind", "birth_date", "hardship"
    )
    codes = book.codes
    if codes:
        for unit_id, kind, birth_date, hardship in cadres.iterator(chunk_size=5000):
            for code in codes:
                standard = book.standard_for(
                    code,
                    retirement_kind=kind,
                    birth_date=birth_date,
                    hardship=hardship,
                    on=register_date,
                )
                if standard is not None:
                    heads[(unit_id, code)][standard.pk] += 1

    current = {
        (line.unit_id, line.code): line
        for line in BudgetLine.objects.filter(year=year, occasion__isnull=False).select_related(
            "unit", "occasion"
        )
    }
    units = Unit.objects.in_bulk({unit_id for unit_id, _code in heads})
    occasions = {standard.occasion.code: standard.occasion for standard in standards}
    lines: dict[tuple[int, str], ComputedLine] = {}
    for (unit_id, code), counts in heads.items():
        line = ComputedLine(unit=units[unit_id], occasion=occasions[code])
        line.current = current.get((unit_id, code))
        # The parts in the book's order (most specific standard first).
        for standard in book.by_code[code]:
            count = counts.get(standard.pk, 0)
            if not count:
                continue
            line.heads += count
            if standard.basis == Standard.Basis.PER_HEAD:
                line.amount += standard.amount * count
                line.parts.append(f"{standard.amount}×{count}")
            else:
                visits = per_visit_count(count, standard.times_per_hundred)
                line.amount += standard.amount * visits
                line.parts.append(f"{standard.amount}×{visits}")
        lines[(unit_id, code)] = line
    for key, existing in current.items():
        if key not in lines and existing.computed_amount:
            lines[key] = ComputedLine(
                unit=existing.unit, occasion=existing.occasion, current=existing
            )
    order = sorted(
        lines.values(),
        key=lambda line: (
            line.unit.sort_order,
            line.unit.name,
            line.unit.pk,
            line.occasion.sort_order,
            line.occasion.pk,
        ),
    )
    return BudgetComputationPreview(
        year=year, register_date=register_date, lines=order, standards_count=len(standards)
    )
