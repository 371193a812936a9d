"""Reads of the money: each line's budget, spent, committed and remaining.

- **budget**: the line's ``amount`` (computed from the standards, plus adjustments);
- **spent**: the money and gifts' value of the done visits of the unit's cadres for the
  line's occasion, dated in the line's year, plus the line's expenses (not voided) —
  computed every time, never copied;
- **committed**: the planned visits of the unit's cadres for the occasion, due in the
  year, each at the standard that applies to its cadre;
- **remaining** = budget − spent (what is left to spend); **available** = remaining −
  committed (what is left once the planned visits are paid).

A visit counts against the line of its cadre's unit (today's unit: a transfer between
units moves the cadre's spending with them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import Unit, User
from accounts.scoping import visible_unit_ids
from cadres.models import Visit, VisitOccasion

from .models import (
    FEN,
    OTHER_LINE_CODES,
    ZERO,
    BudgetLine,
    Expense,
    ExpenseSource,
    line_label,
)
from .standards import StandardBook

MONEY = DecimalField(max_digits=14, decimal_places=2)


def money(value) -> Decimal:
    """A sum from the database as yuan and fen (SQLite sums decimals as floats)."""
    if value is None:
        return ZERO
    return Decimal(value).quantize(FEN)


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@dataclass
class LineFigures:
    """One unit's line in a year, with its figures (a line may have spending and no
    budget: ``line`` is then ``None`` and the budget 0)."""

    year: int
    unit: Unit
    code: str
    label: str
    line: BudgetLine | None = None
    budget: Decimal = ZERO
    spent_visits: Decimal = ZERO
    spent_expenses: Decimal = ZERO
    committed: Decimal = ZERO
    sort_key: tuple = field(default=(), repr=False)

    @property
    def spent(self) -> Decimal:
        return self.spent_visits + self.spent_expenses

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def available(self) -> Decimal:
        return self.remaining - self.committed

    @property
    def is_overspent(self) -> bool:
        return self.remaining < 0

    @property
    def is_budgeted(self) -> bool:
        return self.line is not None


def done_visit_money(visits: QuerySet[Visit]) -> QuerySet:
    """Done visits that spent money or gifts (the amounts are summed by the caller)."""
    return visits.filter(status=Visit.Status.DONE).filter(
        Q(condolence_money__gt=0) | Q(gifts_value__gt=0)
    )


VISIT_MONEY = F("condolence_money") + F("gifts_value")


def _unit_filter(unit_ids: Iterable[int] | None, path: str) -> Q:
    return Q() if unit_ids is None else Q(**{f"{path}__in": list(unit_ids)})


def line_figures(
    *,
    year: int,
    unit_ids: Iterable[int] | None = None,
    codes: Iterable[str] | None = None,
) -> list[LineFigures]:
    """Every line of the year for these units (``None``: all units), with its figures,
    in unit order and then in occasion order (other spending last). Spending or
    commitments without a budget line appear as lines of their own with no budget.
    A fixed number of queries, however many units, lines and visits."""
    if unit_ids is not None:
        unit_ids = set(unit_ids)
    codes = set(codes) if codes is not None else None
    start, end = year_range(year)
    rows: dict[tuple[int, str], LineFigures] = {}

    lines = BudgetLine.objects.filter(_unit_filter(unit_ids, "unit_id"), year=year)
    if codes is not None:
        lines = lines.filter(code__in=codes)
    for line in lines.select_related("unit", "occasion"):
        rows[(line.unit_id, line.code)] = LineFigures(
            year=year,
            unit=line.unit,
            code=line.code,
            label=line.label,
            line=line,
            budget=line.amount,
        )

    visits = done_visit_money(
        Visit.objects.filter(
            _unit_filter(unit_ids, "cadre__unit_id"), visited_on__range=(start, end)
        )
    )
    if codes is not None:
        visits = visits.filter(occasion__code__in=codes)
    spent_visits = (
        visits.values("cadre__unit_id", "occasion__code")
        .annotate(total=Sum(VISIT_MONEY, output_field=MONEY))
        .order_by()
    )
    expenses = Expense.objects.filter(
        _unit_filter(unit_ids, "unit_id"), voided_at__isnull=True, spent_on__range=(start, end)
    )
    if codes is not None:
        expenses = expenses.filter(line_code__in=codes)
    spent_expenses = (
        expenses.values("unit_id", "line_code")
        .annotate(total=Sum("amount", output_field=MONEY))
        .order_by()
    )
    committed = _committed(year=year, unit_ids=unit_ids, codes=codes)

    missing: set[tuple[int, str]] = set()
    spent_v = {(r["cadre__unit_id"], r["occasion__code"]): money(r["total"]) for r in spent_visits}
    spent_e = {(r["unit_id"], r["line_code"]): money(r["total"]) for r in spent_expenses}
    for key in (*spent_v, *spent_e, *committed):
        if key not in rows:
            missing.add(key)
    if missing:
        units = Unit.objects.in_bulk({unit_id for unit_id, _code in missing})
        occasions = {
            o.code: o
            for o in VisitOccasion.objects.filter(code__in={code for _unit, code in missing})
        }
        for unit_id, code in missing:
            rows[(unit_id, code)] = LineFigures(
                year=year,
                unit=units[unit_id],
                code=code,
                label=line_label(code, occasions.get(code)),
            )
    for key, total in spent_v.items():
        rows[key].spent_visits = total
    for key, total in spent_e.items():
        rows[key].spent_expenses = total
    for key, total in committed.items():
        rows[key].committed = total

    occasion_order = dict(VisitOccasion.objects.values_list("code", "sort_order"))
    for row in rows.values():
        if row.code in OTHER_LINE_CODES:
            code_key = (1, OTHER_LINE_CODES.index(row.code), row.code)
        else:
            code_key = (0, occasion_order.get(row.code, 10**6), row.code)
        row.sort_key = (row.unit.sort_order, row.unit.name, row.unit.pk, *code_key)
    return sorted(rows.values(), key=lambda r: r.sort_key)


def _committed(
    *, year: int, unit_ids: set[int] | None, codes: set[str] | None
) -> dict[tuple[int, str], Decimal]:
    """Planned visits due in the year, each at its cadre's standard (on its due date)."""
    book = StandardBook.for_year(year)
    book_codes = set(book.codes) if codes is None else set(book.codes) & codes
    if not book_codes:
        return {}
    start, end = year_range(year)
    planned = Visit.objects.filter(
        _unit_filter(unit_ids, "cadre__unit_id"),
        status=Visit.Status.PLANNED,
        due_on__range=(start, end),
        occasion__code__in=book_codes,
    ).values_list(
        "cadre__unit_id",
        "occasion__code",
        "cadre__retirement_kind",
        "cadre__birth_date",
        "cadre__hardship",
        "due_on",
    )
    totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for unit_id, code, kind, birth_date, hardship, due_on in planned.iterator(chunk_size=2000):
        amount = book.amount_for(
            code, retirement_kind=kind, birth_date=birth_date, hardship=hardship, on=due_on
        )
        if amount:
            totals[(unit_id, code)] += amount
    return dict(totals)


def line_figures_for(
    *, user: User, year: int, unit_id: int | None = None, codes: Iterable[str] | None = None
) -> list[LineFigures]:
    """The lines the user may see (their units; every unit for the bureau), optionally
    of one unit (outside their scope: none)."""
    visible = visible_unit_ids(user=user)
    if unit_id is not None:
        if visible is not None and unit_id not in visible:
            return []
        unit_ids: set[int] | None = {unit_id}
    else:
        unit_ids = visible
    return line_figures(year=year, unit_ids=unit_ids, codes=codes)


def line_figure(*, unit: Unit | int, code: str, year: int) -> LineFigures:
    """One unit's line for a code and year (budget 0 and no ``line`` if unbudgeted)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    found = line_figures(year=year, unit_ids={unit_id}, codes={code})
    if found:
        return found[0]
    unit_obj = unit if isinstance(unit, Unit) else Unit.objects.get(pk=unit_id)
    occasion = VisitOccasion.objects.filter(code=code).first()
    return LineFigures(year=year, unit=unit_obj, code=code, label=line_label(code, occasion))


def line_spent(*, line: BudgetLine) -> Decimal:
    """What a line has spent: its visits' money and gifts, and its expenses."""
    start, end = year_range(line.year)
    visits = done_visit_money(
        Visit.objects.filter(
            cadre__unit_id=line.unit_id, occasion__code=line.code, visited_on__range=(start, end)
        )
    ).aggregate(total=Coalesce(Sum(VISIT_MONEY, output_field=MONEY), ZERO, output_field=MONEY))
    expenses = Expense.objects.filter(
        unit_id=line.unit_id,
        line_code=line.code,
        spent_on__range=(start, end),
        voided_at__isnull=True,
    ).aggregate(total=Coalesce(Sum("amount", output_field=MONEY), ZERO, output_field=MONEY))
    return money(visits["total"]) + money(expenses["total"])


def line_remaining(*, line: BudgetLine) -> Decimal:
    return line.amount - line_spent(line=line)


def budget_line_for(*, unit_id: int, code: str, year: int) -> BudgetLine | None:
    return (
        BudgetLine.objects.filter(unit_id=unit_id, code=code, year=year)
        .select_related("unit", "occasion")
        .first()
    )


def line_codes() -> list[tuple[str, str]]:
    """Every line code with its name: the active occasions, then other spending."""
    occasions = [(o.code, o.name) for o in VisitOccasion.objects.filter(is_active=True)]
    return occasions + [(value, str(label)) for value, label in ExpenseSource.choices]


def line_name(code: str) -> str:
    """A line code as staff know it (in a history, say): the occasion's name or the
    kind of spending, never the code."""
    return line_label(code, VisitOccasion.objects.filter(code=code).first())


def is_line_code(code: str) -> bool:
    return code in OTHER_LINE_CODES or VisitOccasion.objects.filter(code=code).exists()
