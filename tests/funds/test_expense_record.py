"""``funds.services.expense_record``: the interface other apps pay through."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import User
from cadres.models import VisitOccasion
from funds.models import Expense
from funds.selectors import line_figure
from funds.services import expense_record
from tests.factories import CadreFactory, UserFactory, VisitFactory

from .factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0), tick=False):
        yield


DAY = datetime.date(2026, 5, 20)


@pytest.fixture
def unit_staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)


def record(user, unit, amount, **extra):
    return expense_record(
        user=user,
        unit=unit,
        line_code=extra.pop("line_code", "activity"),
        spent_on=extra.pop("spent_on", DAY),
        amount=Decimal(amount),
        payee="县老年大学",
        source=extra.pop("source", "activity"),
        **extra,
    )


def test_within_budget_is_recorded_on_its_line(unit_a, unit_staff):
    line = BudgetLineFactory(unit=unit_a, code="activity", amount=Decimal("1000.00"))
    expense = record(unit_staff, unit_a, "999.99")
    assert expense.line == line
    assert expense.recorded_by == unit_staff
    assert expense.history.count() == 1
    assert line_figure(unit=unit_a, code="activity", year=2026).remaining == Decimal("0.01")


def test_overspend_is_refused_naming_what_remains_in_chinese(unit_a, unit_staff):
    BudgetLineFactory(unit=unit_a, code="activity", amount=Decimal("1000.00"))
    record(unit_staff, unit_a, "600.00")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        record(unit_staff, unit_a, "400.01")
    message = refused.value.message_dict["amount"][0]
    assert "400.00" in message
    assert "超" in message
    assert Expense.objects.count() == 1


def test_unit_staff_may_not_overspend_even_with_a_reason(unit_a, unit_staff):
    BudgetLineFactory(unit=unit_a, code="activity", amount=Decimal("100.00"))
    with pytest.raises(ValidationError) as refused:
        record(unit_staff, unit_a, "100.01", overspend_reason="紧急")
    assert "overspend_reason" in refused.value.message_dict
    assert not Expense.objects.exists()


def test_bureau_overspends_only_with_a_reason(unit_a, bureau_staff):
    BudgetLineFactory(unit=unit_a, code="activity", amount=Decimal("100.00"))
    with pytest.raises(ValidationError):
        record(bureau_staff, unit_a, "150.00")
    expense = record(bureau_staff, unit_a, "150.00", overspend_reason="  追加活动场地费  ")
    assert expense.overspend_reason == "追加活动场地费"
    figures = line_figure(unit=unit_a, code="activity", year=2026)
    assert figures.remaining == Decimal("-50.00")
    assert figures.is_overspent


def test_visits_count_against_the_occasion_line(unit_a, unit_staff):
    BudgetLineFactory(unit=unit_a, code="spring_festival", amount=Decimal("1000.00"))
    VisitFactory(
        cadre=CadreFactory(unit=unit_a),
        occasion=VisitOccasion.objects.get(code="spring_festival"),
        visited_on=datetime.date(2026, 2, 1),
        condolence_money=Decimal("800.00"),
        gifts_value=Decimal("150.50"),
    )
    with pytest.raises(ValidationError) as refused:
        record(unit_staff, unit_a, "49.51", line_code="spring_festival", source="other")
    assert "49.50" in refused.value.message_dict["amount"][0]
    record(unit_staff, unit_a, "49.50", line_code="spring_festival", source="other")


def test_no_line_records_unbudgeted(unit_a, unit_staff):
    expense = record(
        unit_staff, unit_a, "12345.67", line_code="subscription", source="subscription"
    )
    assert expense.line is None
    figures = line_figure(unit=unit_a, code="subscription", year=2026)
    assert figures.spent == Decimal("12345.67")
    assert not figures.is_budgeted


def test_a_line_of_another_year_does_not_count(unit_a, unit_staff):
    BudgetLineFactory(unit=unit_a, code="activity", year=2025, amount=Decimal("10.00"))
    assert record(unit_staff, unit_a, "50.00").line is None


def test_other_units_and_secretaries_are_refused(unit_a, unit_b, unit_staff):
    with pytest.raises(PermissionDenied):
        record(unit_staff, unit_b, "10.00")
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    with pytest.raises(PermissionDenied):
        record(secretary, unit_a, "10.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"line_code": "nonsense"}, "line_code"),
        ({"spent_on": datetime.date(2026, 6, 2)}, "spent_on"),
        ({"source": "bribe"}, "source"),
    ],
)
def test_bad_values_are_refused(unit_a, unit_staff, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(unit_staff, unit_a, "10.00", **changes)
    assert field in refused.value.message_dict


@pytest.mark.parametrize("amount", ["0", "-1", "0.001"])
def test_bad_amounts_are_refused(unit_a, unit_staff, amount):
    with pytest.raises(ValidationError) as refused:
        record(unit_staff, unit_a, amount)
    assert "amount" in refused.value.message_dict
