import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import User
from branches.models import BranchMeeting, BranchRole
from tests.factories import BranchMeetingFactory, PartyBranchFactory, UserFactory

from .builders import add_member

pytestmark = pytest.mark.django_db


def new_url(branch):
    return reverse("branches:meeting_new", args=[branch.pk])


def edit_url(meeting):
    return reverse("branches:meeting_edit", args=[meeting.pk])


def form_data(**changes):
    data = {
        "kind": BranchMeeting.Kind.THEMED_DAY,
        "held_on": "2026-06-12",
        "topic": "重温入党誓词",
        "place": "党员活动室",
        "speaker": "",
        "notes": "全体党员重温入党誓词。",
    }
    data.update(changes)
    return data


def test_the_form_lists_the_current_members_to_tick(client, staff, branch, secretary_cadre):
    add_member(branch, name="赵党员")
    former = add_member(branch, name="已离开")
    former.ended_on = datetime.date(2026, 1, 1)
    former.save()
    add_member(PartyBranchFactory(unit=branch.unit), name="别的支部党员")
    client.force_login(staff)
    response = client.get(new_url(branch))
    assert response.status_code == 200
    choices = {cadre.name for cadre in response.context["form"].fields["attendees"].queryset}
    assert choices == {"李书记", "赵党员"}
    page = response.content.decode()
    assert 'type="checkbox" name="attendees"' in page
    assert "已离开" not in page
    assert response.context["form"]["held_on"].value() == datetime.date(2026, 6, 15)


def test_recording_a_meeting_saves_it_and_returns_to_the_branch(
    client, staff, branch, secretary_cadre
):
    member = add_member(branch).cadre
    add_member(branch)  # absent
    client.force_login(staff)
    response = client.post(new_url(branch), form_data(attendees=[member.pk, secretary_cadre.pk]))
    assert response.status_code == 302
    assert response.url == reverse("branches:detail", args=[branch.pk])
    meeting = BranchMeeting.objects.get()
    assert meeting.branch == branch
    assert meeting.kind == BranchMeeting.Kind.THEMED_DAY
    assert set(meeting.attendees.all()) == {member, secretary_cadre}
    assert meeting.history.latest().history_user == staff
    (message,) = get_messages(response.wsgi_request)
    assert "2026-06-12" in str(message)
    assert "2" in str(message)


def test_errors_are_shown_on_the_form_and_nothing_is_saved(client, staff, branch):
    stranger = add_member(PartyBranchFactory(unit=branch.unit)).cadre
    client.force_login(staff)
    response = client.post(
        new_url(branch), form_data(topic="", held_on="2026-07-01", attendees=[stranger.pk])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"topic", "attendees"} <= set(errors)
    assert not BranchMeeting.objects.exists()
    # A date in the future is refused by the service and shown on its field.
    response = client.post(new_url(branch), form_data(held_on="2026-07-01"))
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert not BranchMeeting.objects.exists()


def test_editing_shows_who_attended_and_saves_changes(client, staff, branch, secretary_cadre):
    came = add_member(branch, name="来了").cadre
    absent = add_member(branch, name="没来").cadre
    meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2026, 6, 1))
    meeting.attendees.set([came])
    client.force_login(staff)
    response = client.get(edit_url(meeting))
    assert response.status_code == 200
    assert response.context["form"]["attendees"].value() == [came.pk]
    page = response.content.decode()
    assert f'value="{came.pk}" id="id_attendees_' in page
    assert page.count(" checked") == 1
    response = client.post(
        edit_url(meeting),
        form_data(held_on="2026-06-01", topic="改过的主题", attendees=[absent.pk]),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "改过的主题"
    assert set(meeting.attendees.all()) == {absent}
    assert [str(m) for m in get_messages(response.wsgi_request)]


def test_editing_an_older_meeting_keeps_someone_who_has_left(client, staff, branch):
    left = add_member(branch, name="已调走")
    meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2025, 11, 1))
    meeting.attendees.set([left.cadre])
    left.ended_on = datetime.date(2026, 1, 1)
    left.save()
    client.force_login(staff)
    response = client.get(edit_url(meeting))
    assert "已调走" in response.content.decode()
    response = client.post(
        edit_url(meeting), form_data(held_on="2025-11-01", attendees=[left.cadre_id])
    )
    assert response.status_code == 302
    assert list(meeting.attendees.all()) == [left.cadre]


def test_a_branch_secretary_records_meetings_of_the_branch_they_lead(
    client, secretary, secretary_cadre, branch, unit_a
):
    client.force_login(secretary)
    assert client.get(new_url(branch)).status_code == 200
    response = client.post(new_url(branch), form_data(attendees=[secretary_cadre.pk]))
    assert response.status_code == 302
    meeting = BranchMeeting.objects.get()
    assert meeting.history.latest().history_user == secretary
    assert client.get(edit_url(meeting)).status_code == 200
    # Another branch of the same unit is not theirs: 404 for reading and writing alike.
    other = PartyBranchFactory(unit=unit_a)
    other_meeting = BranchMeetingFactory(branch=other, held_on=datetime.date(2026, 6, 1))
    assert client.get(new_url(other)).status_code == 404
    assert client.post(new_url(other), form_data()).status_code == 404
    assert client.get(edit_url(other_meeting)).status_code == 404
    assert BranchMeeting.objects.count() == 2


def test_a_deputy_records_meetings_but_an_ordinary_member_does_not(
    client, branch, secretary_cadre, unit_a
):
    deputy = add_member(branch, role=BranchRole.Role.DEPUTY).cadre
    member = add_member(branch).cadre
    for cadre, status in ((deputy, 200), (member, 404)):
        login = UserFactory(role=User.Role.BRANCH_SECRETARY, unit=unit_a)
        cadre.account = login
        cadre.save()
        client.force_login(login)
        assert client.get(new_url(branch)).status_code == status


def test_a_secretary_who_has_stepped_down_no_longer_records(
    client, secretary, secretary_cadre, branch
):
    BranchRole.objects.filter(cadre=secretary_cadre).update(ended_on=datetime.date(2026, 6, 1))
    client.force_login(secretary)
    assert client.get(new_url(branch)).status_code == 404


def test_staff_of_another_unit_get_404(client, staff, unit_b):
    branch = PartyBranchFactory(unit=unit_b)
    meeting = BranchMeetingFactory(branch=branch)
    client.force_login(staff)
    assert client.get(new_url(branch)).status_code == 404
    assert client.get(edit_url(meeting)).status_code == 404


def test_an_inactive_branch_takes_no_new_meeting_but_old_ones_can_be_corrected(
    client, staff, branch
):
    meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2026, 1, 5))
    branch.is_active = False
    branch.save()
    client.force_login(staff)
    assert client.get(new_url(branch)).status_code == 404
    assert client.get(edit_url(meeting)).status_code == 200
    assert (
        reverse("branches:meeting_new", args=[branch.pk])
        not in client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    )


def test_bureau_staff_record_for_any_branch(client, bureau_staff, unit_b):
    branch = PartyBranchFactory(unit=unit_b)
    member = add_member(branch).cadre
    client.force_login(bureau_staff)
    response = client.post(new_url(branch), form_data(attendees=[member.pk]))
    assert response.status_code == 302
    assert BranchMeeting.objects.get().attendees.get() == member


def test_logged_out_users_go_to_the_login_page(client, branch):
    response = client.get(new_url(branch))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
