"""The 帮扶 reports of a year, within the user's scope: assistance cases by unit, by
category and by status, with totals; and the per-unit annual scorecard for the
bureau's 目标考核 (cases handled, days from application to payment, hardship cadres
visited). A case counts in the year it was opened (drafted). Each report reads a fixed
number of queries, whatever the number of cases, and the page, the print layout and
the .xlsx show the same rows (``Table``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import scope_queryset
from cadres.models import Cadre, CadreStatus, Hardship, Visit

from .models import APPROVED_OR_LATER, DECIDED, PAID_OR_LATER, AssistanceCase, Category, Status
from .selectors import year_range

ZERO = Decimal("0.00")
REPORT_YEARS = 6  # this year and the five before


@dataclass
class Column:
    label: str
    kind: str = "text"  # text, count, money, days, share


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None


def year_choices(*, today: datetime.date) -> list[int]:
    return list(range(today.year, today.year - REPORT_YEARS, -1))


def _cases(user: User, year: int):
    return scope_queryset(
        AssistanceCase.objects.filter(created_at__range=year_range(year)),
        user=user,
        unit_path="unit",
        cadre_path="cadre",
    )


class _Tally:
    """Counts and sums of a group of cases."""

    def __init__(self):
        self.by_status = dict.fromkeys(Status.values, 0)
        self.requested = ZERO
        self.approved = ZERO
        self.paid = ZERO

    def add(self, row: dict) -> None:
        self.by_status[row["status"]] += row["cases"]
        self.requested += row["requested"] or ZERO
        if row["status"] in APPROVED_OR_LATER:
            self.approved += row["approved"] or ZERO
        if row["status"] in PAID_OR_LATER:
            self.paid += row["paid"] or ZERO

    @property
    def count(self) -> int:
        return sum(self.by_status.values())

    def cells(self) -> list:
        return [
            self.count,
            *(self.by_status[status] for status in Status.values),
            self.requested,
            self.approved,
            self.paid,
        ]


def _tally_columns(first: str) -> list[Column]:
    return [
        Column(first),
        Column(_("cases"), "count"),
        *(Column(label, "count") for label in Status.labels),
        Column(_("amount requested (yuan)"), "money"),
        Column(_("amount approved (yuan)"), "money"),
        Column(_("amount paid (yuan)"), "money"),
    ]


def case_tables(*, user: User, year: int) -> list[Table]:
    """Cases by unit, by category and by status (each with its total row), from one
    grouped query."""
    rows = list(
        _cases(user, year)
        .order_by()
        .values("unit_id", "unit__name", "category", "status")
        .annotate(
            cases=Count("id"),
            requested=Sum("amount_requested"),
            approved=Sum("amount_approved"),
            paid=Sum("amount_paid"),
        )
    )
    units: dict[int, tuple[str, _Tally]] = {}
    categories = {value: _Tally() for value in Category.values}
    total = _Tally()
    for row in rows:
        name, tally = units.setdefault(row["unit_id"], (row["unit__name"], _Tally()))
        tally.add(row)
        categories[row["category"]].add(row)
        total.add(row)
    by_unit = Table(_("Assistance cases by unit"), _tally_columns(_("unit")))
    for name, tally in sorted(units.values(), key=lambda item: item[0]):
        by_unit.rows.append([name, *tally.cells()])
    by_unit.total = [_("Total"), *total.cells()]
    by_category = Table(_("Assistance cases by category"), _tally_columns(_("category")))
    for value, label in Category.choices:
        if categories[value].count:
            by_category.rows.append([label, *categories[value].cells()])
    by_category.total = [_("Total"), *total.cells()]
    by_status = Table(
        _("Assistance cases by status"),
        [
            Column(_("status")),
            Column(_("cases"), "count"),
            Column(_("amount requested (yuan)"), "money"),
        ],
    )
    requested_by_status = dict.fromkeys(Status.values, ZERO)
    for row in rows:
        requested_by_status[row["status"]] += row["requested"] or ZERO
    for value, label in Status.choices:
        if total.by_status[value]:
            by_status.rows.append([label, total.by_status[value], requested_by_status[value]])
    by_status.total = [_("Total"), total.count, total.requested]
    return [by_unit, by_category, by_status]


def scorecard(*, user: User, year: int) -> Table:
    """帮扶 scorecard per unit for the year: cases opened, handled (decided: approved or
    refused), paid, amount paid, days from application (submission) to payment (mean
    and longest), hardship cadres on the register and how many of them were visited in
    the year. Three queries."""
    cases = (
        _cases(user, year)
        .order_by()
        .values_list("unit_id", "unit__name", "status", "submitted_at", "paid_on", "amount_paid")
    )
    units: dict[int, dict] = {}

    def unit_row(unit_id: int, name: str) -> dict:
        return units.setdefault(
            unit_id,
            {
                "name": name,
                "opened": 0,
                "handled": 0,
                "paid": 0,
                "amount": ZERO,
                "days": [],
                "hardship": 0,
                "visited": 0,
            },
        )

    for unit_id, name, status, submitted_at, paid_on, amount in cases:
        row = unit_row(unit_id, name)
        row["opened"] += 1
        if status in DECIDED:
            row["handled"] += 1
        if status in PAID_OR_LATER:
            row["paid"] += 1
            row["amount"] += amount or ZERO
            row["days"].append((paid_on - timezone.localdate(submitted_at)).days)
    hardship = scope_queryset(
        Cadre.objects.filter(status=CadreStatus.ON_REGISTER).exclude(hardship=Hardship.NONE),
        user=user,
        unit_path="unit",
        cadre_path="",
    )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    visited = set(
        Visit.objects.filter(
            status=Visit.Status.DONE,
            visited_on__gte=start,
            visited_on__lte=end,
            cadre__in=hardship.values("id"),
        )
        .order_by()
        .values_list("cadre_id", flat=True)
        .distinct()
    )
    for pk, unit_id, name in hardship.order_by().values_list("id", "unit_id", "unit__name"):
        row = unit_row(unit_id, name)
        row["hardship"] += 1
        row["visited"] += pk in visited
    table = Table(
        _("Annual assistance scorecard by unit"),
        [
            Column(_("unit")),
            Column(_("cases opened"), "count"),
            Column(_("cases handled"), "count"),
            Column(_("cases paid"), "count"),
            Column(_("amount paid (yuan)"), "money"),
            Column(_("mean days from application to payment"), "days"),
            Column(_("longest days from application to payment"), "count"),
            Column(_("hardship cadres"), "count"),
            Column(_("hardship cadres visited"), "count"),
            Column(_("share visited"), "share"),
        ],
    )
    all_days: list[int] = []
    for row in sorted(units.values(), key=lambda item: item["name"]):
        all_days += row["days"]
        table.rows.append(_score_cells(row["name"], row, row["days"]))
    totals = {
        key: sum(row[key] for row in units.values())
        for key in ("opened", "handled", "paid", "hardship", "visited")
    }
    totals["amount"] = sum((row["amount"] for row in units.values()), ZERO)
    table.total = _score_cells(_("Total"), totals, all_days)
    return table


def _score_cells(name, row: dict, days: list[int]) -> list:
    mean = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
    share = Decimal(row["visited"]) / row["hardship"] if row["hardship"] else None
    return [
        name,
        row["opened"],
        row["handled"],
        row["paid"],
        row["amount"],
        mean,
        max(days) if days else None,
        row["hardship"],
        row["visited"],
        share,
    ]


def display(table: Table) -> dict:
    """The table's cells as text for the page (amounts with two decimals)."""

    def text(value, column: Column) -> str:
        if value is None:
            return "—"
        if column.kind == "money":
            return f"{value:,.2f}"
        if column.kind == "share":
            return f"{value * 100:.1f}%"
        return str(value)

    def cells(values: list) -> list[dict]:
        return [
            {"text": text(value, column), "numeric": column.kind != "text"}
            for value, column in zip(values, table.columns, strict=True)
        ]

    return {
        "title": table.title,
        "columns": table.columns,
        "rows": [cells(row) for row in table.rows],
        "total": cells(table.total) if table.total else None,
    }
