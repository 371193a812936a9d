"""The year's 慰问经费 report: budget against spending by unit and line, and the per-head
amounts that actually reached the cadres (who got less than the standard, and why).

Each table is built once (``Table``) and shown on the page, in the print layout and in
the .xlsx download alike, so the three always show the same figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.scoping import scope_queryset, visible_unit_ids
from cadres.models import Cadre, CadreStatus, RetirementKind, Visit, VisitOccasion
from cadres.register import on_register

from .models import ZERO, BudgetComputation
from .selectors import MONEY, VISIT_MONEY, LineFigures, line_figures, money, year_range
from .standards import StandardBook, age_on
from .totals import Totals, grouped_by_unit

REACH_OCCASION = "spring_festival"


@dataclass(frozen=True)
class Column:
    label: Any
    kind: str = "text"  # text, money, count, share

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    title: Any
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    # Rows shown in bold (a unit's subtotal).
    emphasis: set[int] = field(default_factory=set)
    total: list[Any] | None = None
    note: str = ""


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a fraction of ``whole`` (0.1234 is 12.3 %), or None without a whole."""
    if not whole:
        return None
    return (part / whole).quantize(Decimal("0.0001"))


def _scope_ids(user: User) -> set[int] | None:
    return visible_unit_ids(user=user)


# --- Budget against spending -----------------------------------------------------------

BUDGET_COLUMNS = [
    Column(gettext_lazy("unit")),
    Column(gettext_lazy("budget line")),
    Column(gettext_lazy("budget (yuan)"), "money"),
    Column(gettext_lazy("spent on visits (yuan)"), "money"),
    Column(gettext_lazy("other spending (yuan)"), "money"),
    Column(gettext_lazy("spent (yuan)"), "money"),
    Column(gettext_lazy("committed (yuan)"), "money"),
    Column(gettext_lazy("remaining (yuan)"), "money"),
    Column(gettext_lazy("share spent"), "share"),
]


def _line_row(unit_name: str, label: str, figures) -> list[Any]:
    return [
        unit_name,
        label,
        figures.budget,
        figures.spent_visits,
        figures.spent_expenses,
        figures.spent,
        figures.committed,
        figures.remaining,
        share(figures.spent, figures.budget),
    ]


def _totals_row(first: str, second: str, rows: list[LineFigures]) -> list[Any]:
    totals = Totals.of(rows)
    visits = sum((row.spent_visits for row in rows), ZERO)
    expenses = sum((row.spent_expenses for row in rows), ZERO)
    return [
        first,
        second,
        totals.budget,
        visits,
        expenses,
        totals.spent,
        totals.committed,
        totals.remaining,
        share(totals.spent, totals.budget),
    ]


def budget_tables(*, user: User, year: int) -> tuple[Table, Table]:
    """Budget against spending by unit and line (with each unit's subtotal), and by line
    over all the units in the user's scope."""
    rows = line_figures(year=year, unit_ids=_scope_ids(user))
    by_unit = Table(
        title=_("慰问经费 by unit and line"),
        columns=BUDGET_COLUMNS,
        note=_(
            "Spent: the money and gifts of done visits dated in the year, and other "
            "expenses. Committed: planned visits due in the year, at the standard. "
            "Remaining: budget less spent."
        ),
    )
    for group in grouped_by_unit(rows):
        for row in group.rows:
            label = (
                row.label if row.is_budgeted else _("%(line)s (unbudgeted)") % {"line": row.label}
            )
            by_unit.rows.append(_line_row(group.unit.name, label, row))
        if len(group.rows) > 1:
            by_unit.emphasis.add(len(by_unit.rows))
            by_unit.rows.append(_totals_row(group.unit.name, _("Subtotal"), group.rows))
    by_unit.total = _totals_row(_("Total"), "", rows) if rows else None

    by_line = Table(title=_("慰问经费 by line"), columns=BUDGET_COLUMNS[1:])
    lines: dict[str, list[LineFigures]] = defaultdict(list)
    labels: dict[str, str] = {}
    order: list[str] = []
    for row in sorted(rows, key=lambda r: r.sort_key[3:]):
        if row.code not in lines:
            order.append(row.code)
        lines[row.code].append(row)
        labels[row.code] = row.label
    for code in order:
        by_line.rows.append(_totals_row("", labels[code], lines[code])[1:])
    by_line.total = _totals_row("", _("Total"), rows)[1:] if rows else None
    return by_unit, by_line


# --- Per head: who got less than the standard ------------------------------------------

REACH_COLUMNS = [
    Column(gettext_lazy("unit")),
    Column(gettext_lazy("cadre")),
    Column(gettext_lazy("retirement kind")),
    Column(gettext_lazy("age")),
    Column(gettext_lazy("standard (yuan)"), "money"),
    Column(gettext_lazy("reached (yuan)"), "money"),
    Column(gettext_lazy("short by (yuan)"), "money"),
    Column(gettext_lazy("why")),
]


class Reason:
    NO_VISIT = gettext_lazy("Not visited")
    PLANNED = gettext_lazy("Visit planned, not yet done")
    NO_MONEY = gettext_lazy("Visited without money or gifts")
    LESS = gettext_lazy("Given less than the standard")


@dataclass
class Reach:
    table: Table
    occasion: VisitOccasion | None
    register_date: datetime.date
    heads: int = 0
    heads_in_full: int = 0
    standard_total: Decimal = ZERO
    reached_total: Decimal = ZERO

    @property
    def heads_short(self) -> int:
        return self.heads - self.heads_in_full


def reach_register_date(*, year: int, today: datetime.date) -> datetime.date:
    """The day whose register the per-head report reads: the day the year's budget was
    counted on, else today (this year) or the year's last day."""
    computation = BudgetComputation.objects.filter(year=year).first()
    if computation is not None:
        return computation.register_date
    return min(today, datetime.date(year, 12, 31))


def reach_table(
    *, user: User, year: int, today: datetime.date, occasion_code: str = REACH_OCCASION
) -> Reach:
    """Every cadre in the user's scope on the register (on the budget's day) to whom a
    standard of the occasion applies, and what their done visits of the occasion in the
    year gave them (money and gifts); those given less than the standard are listed
    with the reason, in unit and pinyin order."""
    occasion = VisitOccasion.objects.filter(code=occasion_code).first()
    register_date = reach_register_date(year=year, today=today)
    title = _("Per head: %(occasion)s %(year)s") % {
        "occasion": occasion.name if occasion else occasion_code,
        "year": year,
    }
    reach = Reach(
        table=Table(title=title, columns=REACH_COLUMNS),
        occasion=occasion,
        register_date=register_date,
    )
    book = StandardBook.for_year(year)
    if occasion is None or occasion_code not in book.codes:
        reach.table.note = _("No standard for this occasion in %(year)s.") % {"year": year}
        return reach
    start, end = year_range(year)
    cadres = scope_queryset(
        Cadre.objects.filter(on_register(register_date, end_of_day=True)),
        user=user,
        unit_path="unit",
        cadre_path="",
    )
    occasion_visits = Visit.objects.filter(cadre=OuterRef("pk"), occasion=occasion)
    cadres = cadres.annotate(
        visited=Exists(
            occasion_visits.filter(status=Visit.Status.DONE, visited_on__range=(start, end))
        ),
        planned=Exists(
            occasion_visits.filter(status=Visit.Status.PLANNED, due_on__range=(start, end))
        ),
    ).select_related("unit")
    reached = dict(
        Visit.objects.filter(
            cadre__in=cadres.values("pk"),
            occasion=occasion,
            status=Visit.Status.DONE,
            visited_on__range=(start, end),
        )
        .values("cadre_id")
        .annotate(total=Sum(VISIT_MONEY, output_field=MONEY))
        .order_by()
        .values_list("cadre_id", "total")
    )
    kinds = dict(RetirementKind.choices)
    short_rows = []
    for cadre in cadres.order_by("unit__sort_order", "unit__name", "name_pinyin", "pk"):
        standard = book.standard_for(
            occasion_code,
            retirement_kind=cadre.retirement_kind,
            birth_date=cadre.birth_date,
            hardship=cadre.hardship,
            on=register_date,
        )
        if standard is None:
            continue
        got = money(reached.get(cadre.pk))
        reach.heads += 1
        reach.standard_total += standard.amount
        reach.reached_total += got
        if got >= standard.amount:
            reach.heads_in_full += 1
            continue
        if got > 0:
            reason = Reason.LESS
        elif cadre.visited:
            reason = Reason.NO_MONEY
        elif cadre.planned:
            reason = Reason.PLANNED
        else:
            reason = Reason.NO_VISIT
        why = str(reason)
        if cadre.status == CadreStatus.DECEASED:
            why = f"{why} · " + _("died on %(day)s") % {"day": cadre.died_on.isoformat()}
        elif cadre.status == CadreStatus.TRANSFERRED:
            why = f"{why} · " + _("transferred out on %(day)s") % {
                "day": cadre.transferred_on.isoformat()
            }
        short_rows.append(
            [
                cadre.unit.name,
                cadre.name,
                str(kinds.get(cadre.retirement_kind, "")),
                age_on(cadre.birth_date, register_date),
                standard.amount,
                got,
                standard.amount - got,
                why,
            ]
        )
    reach.table.rows = short_rows
    if short_rows:
        reach.table.total = [
            _("Total"),
            "",
            "",
            None,
            sum((row[4] for row in short_rows), ZERO),
            sum((row[5] for row in short_rows), ZERO),
            sum((row[6] for row in short_rows), ZERO),
            "",
        ]
    reach.table.note = _(
        "Cadres on the register on %(day)s to whom a standard applies (ages on that day); "
        "reached: the money and gifts of their done visits of the occasion in %(year)s."
    ) % {"day": register_date.isoformat(), "year": year}
    return reach


def reach_occasions(*, year: int) -> list[VisitOccasion]:
    """The occasions with a per-head standard in the year (the per-head report's choice)."""
    return list(
        VisitOccasion.objects.filter(
            fund_standards__year=year, fund_standards__basis="per_head"
        ).distinct()
    )


def display(value: Any, kind: str) -> str:
    """A cell as the page shows it."""
    if value is None or value == "":
        return "" if kind != "share" else "—"
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "share":
        return f"{value * 100:.1f}%"
    return str(value)
