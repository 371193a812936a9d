import datetime

import pytest
from django.core.exceptions import ValidationError

from branches.models import BranchMeeting, BranchRole
from branches.services import branch_meeting_record, branch_meeting_update
from tests.factories import BranchMeetingFactory, BranchRoleFactory, PartyBranchFactory

from .builders import add_member

pytestmark = pytest.mark.django_db

MEETING = {
    "kind": BranchMeeting.Kind.GENERAL_MEETING,
    "held_on": datetime.date(2026, 6, 10),
    "topic": "学习党章",
    "place": "老干部活动中心",
}


def test_a_meeting_is_recorded_with_its_attendance_and_history(branch, secretary_cadre, staff):
    member = add_member(branch).cadre
    add_member(branch)  # absent
    meeting = branch_meeting_record(
        branch=branch,
        attendee_ids=[member.pk, secretary_cadre.pk],
        user=staff,
        **MEETING,
    )
    meeting.refresh_from_db()
    assert meeting.branch == branch
    assert meeting.topic == "学习党章"
    assert set(meeting.attendees.all()) == {member, secretary_cadre}
    latest = meeting.history.latest()
    assert latest.history_user == staff
    assert {row.cadre_id for row in latest.attendees.all()} == {member.pk, secretary_cadre.pk}


def test_attendees_must_be_current_members_of_the_branch(branch, staff):
    member = add_member(branch).cadre
    stranger = add_member(PartyBranchFactory(unit=branch.unit)).cadre
    former = add_member(branch).cadre
    BranchRole.objects.filter(cadre=former).update(ended_on=datetime.date(2026, 1, 1))
    for outsider in (stranger, former):
        with pytest.raises(ValidationError) as excinfo:
            branch_meeting_record(
                branch=branch, attendee_ids=[member.pk, outsider.pk], user=staff, **MEETING
            )
        assert "attendees" in excinfo.value.message_dict
    assert not BranchMeeting.objects.exists()


def test_fields_are_validated_in_full_and_nothing_is_saved(branch, staff):
    member = add_member(branch).cadre
    with pytest.raises(ValidationError) as excinfo:
        branch_meeting_record(
            branch=branch,
            attendee_ids=[member.pk],
            user=staff,
            **{**MEETING, "kind": "picnic", "topic": "", "held_on": datetime.date(2026, 7, 1)},
        )
    assert set(excinfo.value.message_dict) == {"kind", "topic", "held_on"}
    assert not BranchMeeting.objects.exists()


def test_a_meeting_held_today_is_accepted(branch, staff):
    meeting = branch_meeting_record(
        branch=branch, attendee_ids=[], user=staff, **{**MEETING, "held_on": datetime.date.today()}
    )
    assert meeting.held_on == datetime.date(2026, 6, 15)
    assert meeting.attendees.count() == 0


def test_an_inactive_branch_takes_no_new_meetings(branch, staff):
    branch.is_active = False
    branch.save()
    with pytest.raises(ValidationError):
        branch_meeting_record(branch=branch, attendee_ids=[], user=staff, **MEETING)


def test_unknown_fields_are_refused(branch, staff):
    other = PartyBranchFactory()
    with pytest.raises(TypeError):
        branch_meeting_record(
            branch=branch, attendee_ids=[], user=staff, **MEETING, branch_id=other.pk
        )


def test_an_update_changes_fields_and_attendance(branch, staff):
    first, second, third = (add_member(branch).cadre for _ in range(3))
    meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2026, 5, 1))
    meeting.attendees.set([first, second])
    branch_meeting_update(
        meeting=meeting,
        attendee_ids=[second.pk, third.pk],
        user=staff,
        **{**MEETING, "topic": "重温入党誓词"},
    )
    meeting.refresh_from_db()
    assert meeting.topic == "重温入党誓词"
    assert set(meeting.attendees.all()) == {second, third}
    assert meeting.history.latest().history_user == staff


def test_an_update_keeps_a_recorded_attendee_who_has_left_but_refuses_new_outsiders(branch, staff):
    stayed = add_member(branch).cadre
    left_role = add_member(branch)
    left = left_role.cadre
    meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2025, 12, 1))
    meeting.attendees.set([stayed, left])
    left_role.ended_on = datetime.date(2026, 3, 1)
    left_role.save()
    # Now a member of another branch: they still count for the old meeting...
    BranchRoleFactory(branch=PartyBranchFactory(unit=branch.unit), cadre=left)
    branch_meeting_update(
        meeting=meeting,
        attendee_ids=[stayed.pk, left.pk],
        user=staff,
        **{**MEETING, "held_on": datetime.date(2025, 12, 1)},
    )
    assert set(meeting.attendees.all()) == {stayed, left}
    # ...but someone who never attended cannot be added from another branch.
    outsider = add_member(PartyBranchFactory(unit=branch.unit)).cadre
    with pytest.raises(ValidationError) as excinfo:
        branch_meeting_update(
            meeting=meeting,
            attendee_ids=[stayed.pk, outsider.pk],
            user=staff,
            **{**MEETING, "held_on": datetime.date(2025, 12, 1)},
        )
    assert "attendees" in excinfo.value.message_dict
    meeting.refresh_from_db()
    assert set(meeting.attendees.all()) == {stayed, left}
