"""The tables of visits (走访慰问): the visits done in the year month by month, by unit
and occasion, and the condolence money given on them, by unit and holiday.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext

from accounts.models import User
from cadres.models import VisitOccasion, occasion_colour
from reminders.models import Holiday

from ..charts import month_label
from .report import ChartData, Column, Format, Report, column_sums
from .selectors import UnitTree, reference_date, visits_done, year_note


def visits_by_month(*, user: User, year: int, today: datetime.date) -> Report:
    """走访慰问月度统计: visits done in the year, per month, by unit and occasion."""
    day = reference_date(year, today)
    tree = UnitTree(user=user)
    grouped = (
        visits_done(user, year)
        .annotate(month=ExtractMonth("visited_on"))
        .order_by()
        .values("cadre__unit_id", "occasion_id", "month")
        .annotate(visits=Count("id"))
    )
    # (report line, occasion) → visits in each month
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * 12)
    for row in grouped:
        cells[tree.head(row["cadre__unit_id"]), row["occasion_id"]][row["month"] - 1] += row[
            "visits"
        ]
    occasions = {
        pk: (name, order, occasion_colour(code))
        for pk, name, order, code in VisitOccasion.objects.values_list(
            "id", "name", "sort_order", "code"
        )
    }
    months = list(range(1, 13))
    month_names = [month_label(datetime.date(2000, m, 1)) for m in months]
    rows: list[list] = []
    emphasis = set()
    by_line: dict[int, list[int]] = defaultdict(list)
    for line, occasion in cells:
        by_line[line].append(occasion)
    for line in sorted(by_line, key=lambda pk: tree.order[pk]):
        line_occasions = sorted(by_line[line], key=lambda pk: (occasions[pk][1], pk))
        for occasion in line_occasions:
            values = cells[line, occasion]
            rows.append([tree.names[line], occasions[occasion][0], *values, sum(values)])
        if len(line_occasions) > 1:
            values = [sum(cells[line, o][m - 1] for o in line_occasions) for m in months]
            emphasis.add(len(rows))
            rows.append([tree.names[line], gettext("Subtotal"), *values, sum(values)])
    by_occasion: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for (_line, occasion), values in cells.items():
        by_occasion[occasion] = [a + b for a, b in zip(by_occasion[occasion], values, strict=True)]
    month_totals = [sum(values[m - 1] for values in by_occasion.values()) for m in months]
    ordered = sorted(by_occasion, key=lambda pk: (occasions[pk][1], pk))
    return Report(
        columns=[
            Column(gettext("unit"), Format.TEXT),
            Column(gettext("occasion"), Format.TEXT),
            *[Column(name) for name in month_names],
            Column(gettext("Total")),
        ],
        rows=rows,
        total=[gettext("Total"), "", *month_totals, sum(month_totals)],
        chart=ChartData(
            labels=month_names,
            series=[(occasions[pk][0], by_occasion[pk]) for pk in ordered],
            horizontal=False,
            colours={occasions[pk][0]: occasions[pk][2] for pk in ordered},
        ),
        note=year_note(year, day),
        emphasis=frozenset(emphasis),
    )


def condolence_money(*, user: User, year: int, today: datetime.date) -> Report:
    """慰问金: condolence money given on visits done in the year, by unit and holiday (a
    visit belongs to a holiday through the holiday's own occasion)."""
    day = reference_date(year, today)
    tree = UnitTree(user=user)
    grouped = (
        visits_done(user, year)
        .filter(condolence_money__gt=0)
        .order_by()
        .values("cadre__unit_id", "occasion__holiday")
        .annotate(money=Sum("condolence_money"), visits=Count("id"))
    )
    money: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    visits: dict[int, int] = defaultdict(int)
    present = set()
    for row in grouped:
        line = tree.head(row["cadre__unit_id"])
        money[line][row["occasion__holiday"]] += row["money"]
        visits[line] += row["visits"]
        present.add(row["occasion__holiday"])
    holidays = [
        (pk, name, code)
        for pk, name, active, code in Holiday.objects.order_by("sort_order", "id").values_list(
            "id", "name", "is_active", "occasion__code"
        )
        if active or pk in present
    ]
    keys = [*[pk for pk, _name, _code in holidays], None]
    labels = [*[name for _pk, name, _code in holidays], gettext("Other occasions")]
    rows = []
    for line in sorted(money, key=lambda pk: tree.order[pk]):
        amounts = [money[line].get(key, Decimal(0)) for key in keys]
        rows.append([tree.names[line], *amounts, sum(amounts, Decimal(0)), visits[line]])
    columns = [
        Column(gettext("unit"), Format.TEXT),
        *[Column(label, Format.MONEY) for label in labels],
        Column(gettext("Total (yuan)"), Format.MONEY),
        Column(gettext("Visits with money"), Format.COUNT),
    ]
    return Report(
        columns=columns,
        rows=rows,
        total=column_sums(rows, columns, gettext("Total")),
        chart=ChartData(
            labels=[row[0] for row in rows],
            series=[
                (label, [float(row[index]) for row in rows])
                for index, label in enumerate(labels, 1)
            ],
            colours={name: occasion_colour(code) for _pk, name, code in holidays if code},
        ),
        note=year_note(year, day),
    )
