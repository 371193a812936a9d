"""The money's reads cost a fixed number of queries, however many units, lines, visits
and planned visits there are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Visit, VisitOccasion
from funds.selectors import line_figures
from tests.factories import CadreFactory, UnitFactory, VisitFactory

from .factories import BudgetLineFactory, ExpenseFactory, StandardFactory

pytestmark = pytest.mark.django_db


def add_units(parent, count):
    spring = VisitOccasion.objects.get(code="spring_festival")
    for _ in range(count):
        unit = UnitFactory(parent=parent)
        BudgetLineFactory(unit=unit, amount=Decimal("1000"))
        cadre = CadreFactory(unit=unit)
        VisitFactory(
            cadre=cadre, occasion=spring, visited_on=datetime.date(2026, 1, 20), condolence_money=5
        )
        VisitFactory(
            cadre=CadreFactory(unit=unit),
            occasion=spring,
            status=Visit.Status.PLANNED,
            visited_on=None,
            due_on=datetime.date(2026, 12, 1),
        )
        ExpenseFactory(unit=unit)


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_line_figures_and_the_pages_do_not_grow_with_rows(today, bureau, client, roles):
    StandardFactory(amount=Decimal("800"))
    add_units(bureau, 2)
    client.force_login(roles["bureau"])
    pages = [reverse("funds:overview"), reverse("funds:report"), reverse("funds:reach")]
    few = [count_queries(lambda: line_figures(year=2026))]
    few += [count_queries(lambda url=url: client.get(url)) for url in pages]
    add_units(bureau, 6)
    many = [count_queries(lambda: line_figures(year=2026))]
    many += [count_queries(lambda url=url: client.get(url)) for url in pages]
    assert many == few
    assert len(line_figures(year=2026)) == 16  # 8 units × (春节, unbudgeted activity)
