import pytest
from django.db import IntegrityError, transaction

from activities.models import Attendance
from tests.factories import (
    AttendanceFactory,
    HonourFactory,
    PartyBranchFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def test_an_honour_goes_to_exactly_one_recipient():
    with pytest.raises(IntegrityError), transaction.atomic():
        HonourFactory(branch=PartyBranchFactory())  # cadre and branch
    with pytest.raises(IntegrityError), transaction.atomic():
        HonourFactory(cadre=None)
    honour = HonourFactory(cadre=None, branch=PartyBranchFactory())
    assert honour.is_collective


def test_attendance_is_recorded_once_and_hours_only_when_attended():
    attendance = AttendanceFactory(status=Attendance.Status.ATTENDED, volunteer_hours=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(activity=attendance.activity, cadre=attendance.cadre)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(status=Attendance.Status.ABSENT, volunteer_hours=2)


def test_an_answered_suggestion_has_a_response():
    with pytest.raises(IntegrityError), transaction.atomic():
        SuggestionFactory(status="answered", response="")
