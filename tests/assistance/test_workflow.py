"""Every step of a 特困帮扶 case by every role, allowed and refused; no step skipped, in
the services and in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assistance import services
from assistance.models import AssistanceCase, Status
from funds.models import Expense
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

ROLES = ["drafter", "colleague", "other_unit", "bureau", "admin", "secretary"]


def take(step, case, user):
    if step == "submit":
        return services.assistance_case_submit(case=case, user=user)
    if step == "review":
        return services.assistance_case_review(case=case, user=user, opinion="同意")
    if step == "approve":
        return services.assistance_case_approve(
            case=case, user=user, amount_approved=Decimal("2000.00")
        )
    if step == "refuse":
        return services.assistance_case_refuse(case=case, user=user, reason="不符合条件")
    if step == "pay":
        return services.assistance_case_pay(
            case=case,
            user=user,
            paid_on=datetime.date.today(),
            amount=case.amount_approved,
            method="cash",
        )
    return services.assistance_case_close(case=case, user=user)


# The status a step starts from, the status it leads to, and who may take it (the
# drafter may not review their own case: a colleague of the unit does).
STEPS = {
    "submit": ("draft", "submitted", {"drafter", "colleague", "bureau", "admin"}),
    "review": ("submitted", "reviewed", {"colleague"}),
    "approve": ("reviewed", "approved", {"bureau", "admin"}),
    "refuse": ("reviewed", "refused", {"bureau", "admin"}),
    "pay": ("approved", "paid", {"bureau", "admin"}),
    "close": ("paid", "closed", {"bureau", "admin"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_by_each_role(make_case, people, step, role):
    start, end, allowed = STEPS[step]
    case = make_case(start)
    user = people[role]
    if role in allowed:
        taken = take(step, case, user)
        taken.refresh_from_db()
        assert taken.status == end
        # The step's time and user are recorded, and the history keeps the step.
        latest = taken.history.first()
        assert latest.status == end and latest.history_user == user
        return
    expected = ValidationError if role == "drafter" and step == "review" else PermissionDenied
    with pytest.raises(expected):
        take(step, case, user)
    case.refresh_from_db()
    assert case.status == start


@pytest.mark.parametrize("step", list(STEPS))
def test_no_step_is_taken_from_another_status(make_case, people, step):
    start, _end, _allowed = STEPS[step]
    user = people["colleague" if step == "review" else "bureau"]
    for status in ["draft", "submitted", "reviewed", "approved", "refused", "paid", "closed"]:
        if status == start:
            continue
        case = make_case(status)
        with pytest.raises(ValidationError):
            take(step, case, user)
        case.refresh_from_db()
        assert case.status == status


def test_the_whole_way_keeps_each_steps_time_user_and_history(make_case, people, now):
    case = make_case("closed")
    assert case.submitted_by == people["drafter"]
    assert case.reviewed_by == people["colleague"]
    assert case.decided_by == case.paid_by == case.closed_by == people["bureau"]
    assert case.submitted_at == case.closed_at == now
    statuses = list(case.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "reviewed", "approved", "paid", "closed"]
    assert case.days_to_payment == 0


def test_a_bureau_drafted_case_is_reviewed_by_any_unit_staff(cadre, people):
    case = services.assistance_case_open(
        user=people["bureau"],
        cadre=cadre,
        category="living",
        circumstances="独居，生活困难",
        amount_requested=Decimal("1500.00"),
    )
    assert case.unit == cadre.unit and case.status == Status.DRAFT
    services.assistance_case_submit(case=case, user=people["bureau"])
    reviewed = services.assistance_case_review(case=case, user=people["drafter"], opinion="同意")
    assert reviewed.status == Status.REVIEWED


def test_opening_is_for_the_users_own_cadres(people, unit_b):
    other = CadreFactory(unit=unit_b)
    for role in ("drafter", "secretary"):
        with pytest.raises(PermissionDenied):
            services.assistance_case_open(
                user=people[role],
                cadre=other,
                category="medical",
                circumstances="x",
                amount_requested=Decimal("1.00"),
            )
    transferred = CadreFactory(
        unit=people["drafter"].unit,
        status="transferred",
        transferred_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.assistance_case_open(
            user=people["drafter"],
            cadre=transferred,
            category="medical",
            circumstances="x",
            amount_requested=Decimal("1.00"),
        )


def test_amounts_are_checked(make_case, people):
    case = make_case("reviewed", amount_requested=Decimal("1000.00"))
    with pytest.raises(ValidationError) as error:
        services.assistance_case_approve(
            case=case, user=people["bureau"], amount_approved=Decimal("1000.01")
        )
    assert "amount_approved" in error.value.message_dict
    case = services.assistance_case_approve(
        case=case, user=people["bureau"], amount_approved=Decimal("800.00")
    )
    with pytest.raises(ValidationError) as error:
        services.assistance_case_pay(
            case=case,
            user=people["bureau"],
            paid_on=datetime.date.today(),
            amount=Decimal("800.01"),
            method="bank",
        )
    assert "amount_paid" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.assistance_case_pay(
            case=case,
            user=people["bureau"],
            paid_on=datetime.date.today() + datetime.timedelta(days=1),
            amount=Decimal("800.00"),
            method="bank",
        )
    assert "paid_on" in error.value.message_dict


def test_the_payment_is_spending_of_the_units_assistance_line(make_case, people):
    case = make_case("paid", amount_requested=Decimal("2500.50"))
    expense = Expense.objects.get(pk=case.expense_id)
    assert expense.amount == Decimal("2500.50")
    assert expense.unit == case.unit
    assert expense.line_code == "assistance" and expense.source == "assistance"
    assert expense.payee == case.cadre.name
    assert expense.spent_on == case.paid_on


def test_a_refused_payment_to_funds_leaves_the_case_approved(make_case, people, monkeypatch):
    case = make_case("approved")

    def refuse(**kwargs):
        raise ValidationError({"amount": ["超出预算"]})

    monkeypatch.setattr(services, "expense_record", refuse)
    with pytest.raises(ValidationError) as error:
        services.assistance_case_pay(
            case=case,
            user=people["bureau"],
            paid_on=datetime.date.today(),
            amount=case.amount_approved,
            method="bank",
        )
    assert error.value.message_dict == {"amount_paid": ["超出预算"]}
    case.refresh_from_db()
    assert case.status == Status.APPROVED and case.expense_id is None


@pytest.mark.parametrize(
    "status, changes",
    [
        ("draft", {"status": "paid"}),  # a payment with nothing before it
        ("submitted", {"status": "approved"}),  # approved without the unit's review
        ("reviewed", {"status": "paid"}),  # paid without a decision
        ("approved", {"status": "closed"}),  # closed without a payment
        ("reviewed", {"reviewed_by_id": None}),  # a review with no reviewer
        ("draft", {"amount_requested": Decimal("0")}),
    ],
)
def test_the_database_refuses_a_status_without_its_steps(make_case, status, changes):
    case = make_case(status)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssistanceCase.objects.filter(pk=case.pk).update(**changes)


def test_the_database_refuses_a_review_by_the_drafter(make_case, people):
    case = make_case("reviewed")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssistanceCase.objects.filter(pk=case.pk).update(reviewed_by=people["drafter"])


def test_a_refused_case_stops_there(make_case, people):
    case = make_case("refused")
    assert case.refusal_reason and case.amount_approved is None
    for step in ("pay", "close"):
        with pytest.raises(ValidationError):
            take(step, case, people["bureau"])
