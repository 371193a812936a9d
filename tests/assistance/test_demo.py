"""seed_demo adds a dozen assistance cases in every state, the same for the same seed."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from assistance.models import AssistanceCase, Status

pytestmark = pytest.mark.django_db


def test_a_dozen_cases_in_every_state():
    call_command("seed_demo", "--cadres", "400", "--seed", "7", stdout=io.StringIO())
    cases = AssistanceCase.objects.all()
    assert cases.count() == 12
    states = Counter(cases.values_list("status", flat=True))
    assert set(states) == set(Status.values)
    for case in cases.filter(status__in=["paid", "closed"]):
        assert case.expense.amount == case.amount_paid
        assert case.days_to_payment >= 0
    # The first unit's cases were drafted by its staff and reviewed by a colleague.
    reviewed = cases.filter(reviewed_by__username="unit-review")
    assert reviewed.exists()
    assert all(case.created_by.username == "unit" for case in reviewed)
