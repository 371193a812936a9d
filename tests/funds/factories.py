"""Factories of the money's records (budget lines, standards, expenses)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cadres.models import VisitOccasion
from funds.models import BudgetAdjustment, BudgetComputation, BudgetLine, Expense, Standard
from tests.factories import UnitFactory, UserFactory


class StandardFactory(DjangoModelFactory):
    class Meta:
        model = Standard

    year = 2026
    occasion = factory.LazyFunction(lambda: VisitOccasion.objects.get(code="spring_festival"))
    amount = Decimal("800.00")


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    year = 2026
    unit = factory.SubFactory(UnitFactory)
    code = "spring_festival"
    occasion = factory.LazyAttribute(lambda o: VisitOccasion.objects.filter(code=o.code).first())
    computed_amount = Decimal("0.00")
    amount = factory.LazyAttribute(lambda o: o.computed_amount)


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = Expense

    spent_on = datetime.date(2026, 3, 1)
    unit = factory.SubFactory(UnitFactory)
    line_code = "activity"
    amount = Decimal("100.00")
    payee = "县老年大学"
    source = "activity"


class BudgetAdjustmentFactory(DjangoModelFactory):
    class Meta:
        model = BudgetAdjustment

    line = factory.SubFactory(BudgetLineFactory)
    amount = Decimal("100.00")
    reason = "追加"
    made_by = factory.SubFactory(UserFactory, role="bureau_staff")


class BudgetComputationFactory(DjangoModelFactory):
    class Meta:
        model = BudgetComputation

    year = 2026
    register_date = datetime.date(2026, 1, 1)
    total = Decimal("0.00")
    applied_by = factory.SubFactory(UserFactory, role="administrator", unit=None)
