import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from activities.models import Activity, Attendance, Honour, Suggestion, TeamMembership
from activities.services import (
    activity_attendance_record,
    activity_create,
    activity_update,
    honour_record,
    suggestion_answer,
    suggestion_record,
    team_membership_add,
    team_membership_end,
)
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CadreFactory,
    PartyBranchFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
MORNING = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def row(cadre, attended, hours=None):
    return {"cadre": cadre, "attended": attended, "volunteer_hours": hours}


def test_activity_create_and_update_validate_and_keep_history(staff, unit_a):
    activity = activity_create(
        user=staff, title="重阳节登高", kind=Activity.Kind.FESTIVAL, starts_at=MORNING, unit=unit_a
    )
    assert activity.history.get().history_user == staff
    with pytest.raises(ValidationError) as error:
        activity_update(
            activity=activity, user=staff, ends_at=MORNING - datetime.timedelta(hours=1)
        )
    assert "ends_at" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.ends_at is None
    activity_update(activity=activity, user=staff, outcome="参加50人")
    assert activity.history.count() == 2


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0, tzinfo=TZ))
def test_check_in_after_the_start_marks_attended_with_hours_and_the_rest_absent(staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    came = AttendanceFactory(activity=activity, cadre__unit=unit_a)
    stayed_home = AttendanceFactory(activity=activity, cadre__unit=unit_a)
    newcomer = CadreFactory(unit=unit_a)
    written = activity_attendance_record(
        activity=activity,
        rows=[
            row(came.cadre, True, Decimal("2.5")),
            row(stayed_home.cadre, False),
            row(newcomer, True),
        ],
        user=staff,
    )
    assert len(written) == 3
    came.refresh_from_db()
    stayed_home.refresh_from_db()
    assert (came.status, came.volunteer_hours) == (Attendance.Status.ATTENDED, Decimal("2.5"))
    assert stayed_home.status == Attendance.Status.ABSENT
    added = Attendance.objects.get(activity=activity, cadre=newcomer)
    assert (added.status, added.volunteer_hours) == (Attendance.Status.ATTENDED, 0)
    assert came.history.first().history_user == staff


@time_machine.travel(datetime.datetime(2026, 5, 20, 12, 0, tzinfo=TZ))
def test_before_the_start_someone_not_ticked_stays_registered(staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    cadre = CadreFactory(unit=unit_a)
    activity_attendance_record(activity=activity, rows=[row(cadre, False)], user=staff)
    assert Attendance.objects.get(activity=activity, cadre=cadre).status == "registered"


def test_an_unchanged_row_is_not_written_again(staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    attendance = AttendanceFactory(
        activity=activity,
        cadre__unit=unit_a,
        status=Attendance.Status.ATTENDED,
        volunteer_hours=Decimal("3"),
    )
    written = activity_attendance_record(
        activity=activity, rows=[row(attendance.cadre, True, Decimal("3.0"))], user=staff
    )
    assert written == []
    assert attendance.history.count() == 1


def test_hours_are_dropped_for_someone_who_did_not_attend(staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    attendance = AttendanceFactory(
        activity=activity,
        cadre__unit=unit_a,
        status=Attendance.Status.ATTENDED,
        volunteer_hours=Decimal("3"),
    )
    activity_attendance_record(activity=activity, rows=[row(attendance.cadre, False)], user=staff)
    attendance.refresh_from_db()
    assert attendance.volunteer_hours == 0
    assert attendance.status != Attendance.Status.ATTENDED


def test_bad_hours_save_nothing(staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    good = AttendanceFactory(activity=activity, cadre__unit=unit_a)
    bad = AttendanceFactory(activity=activity, cadre__unit=unit_a)
    with pytest.raises(ValidationError) as error:
        activity_attendance_record(
            activity=activity,
            rows=[row(good.cadre, True, Decimal("2")), row(bad.cadre, True, Decimal("30"))],
            user=staff,
        )
    assert bad.cadre.name in error.value.messages[0]
    good.refresh_from_db()
    assert good.status == Attendance.Status.REGISTERED
    assert not Attendance.objects.filter(status=Attendance.Status.ATTENDED).exists()


def test_team_membership_add_refuses_a_second_membership_and_end_keeps_history(staff):
    team = TeamFactory()
    cadre = CadreFactory()
    membership = team_membership_add(team=team, cadre=cadre, user=staff, is_leader=True)
    with pytest.raises(ValidationError):
        team_membership_add(team=team, cadre=cadre, user=staff)
    team_membership_end(membership=membership, user=staff)
    assert not TeamMembership.objects.filter(team=team).exists()
    removal = TeamMembership.history.filter(history_type="-").get()
    assert (removal.cadre_id, removal.history_user) == (cadre.pk, staff)


def test_honour_record_needs_exactly_one_recipient(staff):
    with pytest.raises(ValidationError):
        honour_record(user=staff, title="先进集体", level=Honour.Level.CITY, year=2025)
    with pytest.raises(ValidationError):
        honour_record(
            user=staff,
            title="先进集体",
            level=Honour.Level.CITY,
            year=2025,
            team=TeamFactory(),
            branch=PartyBranchFactory(),
        )
    honour = honour_record(
        user=staff, title="先进集体", level=Honour.Level.CITY, year=2025, team=TeamFactory()
    )
    assert honour.is_collective


def test_suggestion_is_received_then_forwarded_then_answered(staff):
    suggestion = suggestion_record(
        user=staff,
        cadre=CadreFactory(),
        submitted_on=datetime.date(2026, 4, 1),
        category=Suggestion.Category.SOCIETY,
        title="增设助餐点",
        text="建议增设社区助餐点。",
    )
    assert suggestion.status == Suggestion.Status.RECEIVED
    with pytest.raises(ValidationError):
        suggestion_answer(suggestion=suggestion, user=staff, status="forwarded")
    suggestion_answer(
        suggestion=suggestion,
        user=staff,
        status="forwarded",
        forwarded_to="县民政局",
        forwarded_on=datetime.date(2026, 4, 3),
    )
    with pytest.raises(ValidationError):
        suggestion_answer(
            suggestion=suggestion, user=staff, status="answered", forwarded_to="县民政局"
        )
    suggestion_answer(
        suggestion=suggestion,
        user=staff,
        status="answered",
        forwarded_to="县民政局",
        response="已在东关社区试点。",
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.response) == ("answered", "已在东关社区试点。")


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0, tzinfo=TZ))
def test_check_in_refuses_another_units_cadre_and_saves_nothing(staff, unit_a, unit_b):
    """An activity of the user's unit may list another unit's cadre: their row is theirs
    to record, whatever a form lets through."""
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    mine = AttendanceFactory(activity=activity, cadre__unit=unit_a)
    theirs = AttendanceFactory(
        activity=activity,
        cadre__unit=unit_b,
        status=Attendance.Status.ATTENDED,
        volunteer_hours=Decimal("2"),
    )
    with pytest.raises(ValidationError) as error:
        activity_attendance_record(
            activity=activity,
            rows=[row(mine.cadre, True, Decimal("1")), row(theirs.cadre, True, Decimal("8"))],
            user=staff,
        )
    assert theirs.cadre.name in error.value.messages[0]
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.volunteer_hours == Decimal("2") and theirs.history.count() == 1
    assert mine.status == Attendance.Status.REGISTERED
    # Nor may another unit's cadre be added to the list from here.
    with pytest.raises(ValidationError):
        activity_attendance_record(
            activity=activity, rows=[row(CadreFactory(unit=unit_b), True)], user=staff
        )
    assert activity.attendances.count() == 2


def test_check_in_is_refused_to_those_who_only_read(unit_a):
    from django.core.exceptions import PermissionDenied

    from accounts.models import User

    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    activity = ActivityFactory(unit=unit_a, starts_at=MORNING)
    with pytest.raises(PermissionDenied):
        activity_attendance_record(
            activity=activity, rows=[row(CadreFactory(unit=unit_a), True)], user=secretary
        )
    assert not activity.attendances.exists()
