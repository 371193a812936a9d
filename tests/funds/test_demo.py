"""The demo has this year's standards, a budget computed from the register, the visits'
money counted against it, other budgets and expenses."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from cadres.models import Visit
from funds.models import BudgetComputation, BudgetLine, Expense, Standard
from funds.report import budget_tables, reach_table
from funds.selectors import line_figures

pytestmark = pytest.mark.django_db


def test_the_demo_budget_is_computed_and_spent(today, client):
    call_command("seed_demo", cadres=300, seed=7, stdout=io.StringIO())
    assert Standard.objects.filter(year=2026).count() == 7
    assert BudgetComputation.objects.filter(year=2026).exists()
    for line in BudgetLine.objects.filter(year=2026):
        adjusted = sum((a.amount for a in line.adjustments.all()), Decimal("0.00"))
        assert line.amount == line.computed_amount + adjusted
    rows = line_figures(year=2026)
    spring = [row for row in rows if row.code == "spring_festival"]
    assert spring and all(row.budget > 0 for row in spring)
    assert sum(row.spent for row in spring) > 0
    assert Visit.objects.filter(gifts_value__gt=0, visited_on__year=2026).exists()
    assert Expense.objects.filter(source="activity").count() >= 3
    # The other demos' payments are on lines now, none of them unbudgeted.
    assert not Expense.objects.filter(line__isnull=True).exists()
    bureau = User.objects.get(username="bureau")
    by_unit, _by_line = budget_tables(user=bureau, year=2026)
    assert by_unit.total[2] == sum(row.budget for row in rows)
    reach = reach_table(user=bureau, year=2026, today=today)
    assert reach.heads > 200 and 0 < reach.heads_short < reach.heads
    reasons = {row[7].split(" · ")[0] for row in reach.table.rows}
    assert {"未走访", "低于标准发放", "已走访，未发慰问金或礼品"} <= reasons
    client.force_login(User.objects.get(username="unit"))
    assert client.get(reverse("funds:overview")).status_code == 200
