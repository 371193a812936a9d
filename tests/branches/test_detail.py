import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import BranchMeeting, BranchRole
from tests.factories import (
    BranchMeetingFactory,
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
)

from .builders import add_member, born

pytestmark = pytest.mark.django_db


def url(branch):
    return reverse("branches:detail", args=[branch.pk])


def test_header_committee_members_and_related_branches(client, staff, branch, secretary_cadre):
    general = PartyBranchFactory(name="县直机关党总支", kind="general", unit=branch.unit)
    branch.parent = general
    branch.feature = "红色宣讲团"
    branch.save()
    deputy = add_member(branch, role=BranchRole.Role.DEPUTY, name="王副书记", birth_date=born(70))
    member = add_member(branch, name="赵党员", birth_date=born(88))
    client.force_login(staff)
    response = client.get(url(branch))
    assert response.status_code == 200
    info = response.context["info"]
    assert [role.cadre.name for role in info.committee] == ["李书记", "王副书记"]
    assert [role.cadre.name for role in info.members] == ["李书记", "王副书记", "赵党员"]
    assert info.committee_ages.committee_average == 68.0
    assert info.members_average_age == pytest.approx((66 + 70 + 88) / 3, abs=0.05)
    page = response.content.decode()
    for text in ("县直机关党总支", "红色宣讲团", "2027-03-01", "88"):
        assert text in page
    assert reverse("cadres:detail", args=[member.cadre_id]) in page
    assert reverse("cadres:detail", args=[deputy.cadre_id]) in page
    assert reverse("branches:detail", args=[general.pk]) in page
    # On the general branch's page, the branch is listed under it.
    assert url(branch) in client.get(url(general)).content.decode()


def test_re_election_due_is_highlighted(client, staff, branch):
    add_member(branch, role=BranchRole.Role.SECRETARY)
    BranchRole.objects.filter(branch=branch).update(term_ends_on=datetime.date(2026, 7, 1))
    client.force_login(staff)
    response = client.get(url(branch))
    assert response.context["info"].re_election_due
    assert "alert-warning" in response.content.decode()


def test_previous_terms_are_grouped_with_the_age_at_the_start(client, staff, branch):
    old_secretary = CadreFactory(name="老书记", unit=branch.unit, birth_date=born(80))
    BranchRoleFactory(
        branch=branch,
        cadre=old_secretary,
        role=BranchRole.Role.SECRETARY,
        started_on=datetime.date(2017, 3, 1),
        term_ends_on=datetime.date(2022, 3, 1),
        ended_on=datetime.date(2022, 3, 1),
    )
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(name="老委员", unit=branch.unit, birth_date=born(70)),
        role=BranchRole.Role.COMMITTEE,
        started_on=datetime.date(2017, 3, 1),
        term_ends_on=datetime.date(2022, 3, 1),
        ended_on=datetime.date(2022, 3, 1),
    )
    client.force_login(staff)
    response = client.get(url(branch))
    (term,) = response.context["info"].previous_terms
    assert term.started_on == datetime.date(2017, 3, 1)
    assert term.ended_on == datetime.date(2022, 3, 1)
    assert [role.cadre.name for role in term.roles] == ["老书记", "老委员"]
    assert [role.age for role in term.roles] == [71, 61]  # in March 2017
    assert response.context["info"].committee == []
    assert "老书记" in response.content.decode()


def test_meetings_newest_first_with_attendance_and_pages(client, staff, branch, secretary_cadre):
    member = add_member(branch, name="赵党员").cadre
    for day in range(1, 26):
        BranchMeetingFactory(
            branch=branch,
            kind=BranchMeeting.Kind.COMMITTEE_MEETING,
            held_on=datetime.date(2026, 5, day),
            topic=f"第{day}次支委会",
        )
    latest = BranchMeetingFactory(branch=branch, held_on=datetime.date(2026, 6, 1), topic="最新")
    latest.attendees.set([member, secretary_cadre])
    BranchMeetingFactory(held_on=datetime.date(2026, 6, 2), topic="别的支部")
    client.force_login(staff)
    response = client.get(url(branch))
    meetings = list(response.context["meetings"])
    assert len(meetings) == 20
    assert meetings[0].topic == "最新"
    assert meetings[0].attendee_count == 2
    assert meetings[1].held_on == datetime.date(2026, 5, 25)
    tally = {kind: count for kind, _label, count in response.context["tally"]}
    assert tally["committee_meeting"] == 25
    assert tally["themed_day"] == 1
    assert tally["party_lecture"] == 0
    page = response.content.decode()
    assert "赵党员" in page
    assert "别的支部" not in page
    assert reverse("branches:meeting_edit", args=[latest.pk]) in page
    second = client.get(url(branch), {"page": 2})
    assert [m.topic for m in second.context["meetings"]] == [
        f"第{day}次支委会" for day in range(6, 0, -1)
    ]


def test_another_units_branch_is_not_found(client, staff, unit_b):
    client.force_login(staff)
    assert client.get(url(PartyBranchFactory(unit=unit_b))).status_code == 404


def test_a_branch_secretary_reads_their_branch_and_links_only_current_members(
    client, secretary, branch, unit_a
):
    general = PartyBranchFactory(name="县直机关党总支", kind="general", unit=unit_a)
    branch.parent = general
    branch.save()
    member = add_member(branch, name="赵党员", unit=PartyBranchFactory().unit).cadre
    former = BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(name="老书记", unit=unit_a),
        role=BranchRole.Role.SECRETARY,
        started_on=datetime.date(2017, 3, 1),
        ended_on=datetime.date(2022, 3, 1),
    ).cadre
    BranchRoleFactory(branch=PartyBranchFactory(unit=unit_a), cadre=former)  # moved on
    client.force_login(secretary)
    response = client.get(url(branch))
    assert response.status_code == 200
    page = response.content.decode()
    # A member of another unit is still one of the secretary's branch members...
    assert reverse("cadres:detail", args=[member.pk]) in page
    assert client.get(reverse("cadres:detail", args=[member.pk])).status_code == 200
    # ...but the former secretary, now elsewhere, is named without a link (it would 404).
    assert "老书记" in page
    assert reverse("cadres:detail", args=[former.pk]) not in page
    assert client.get(reverse("cadres:detail", args=[former.pk])).status_code == 404
    # The general branch above is named but not linked: the secretary does not lead it.
    assert "县直机关党总支" in page
    assert url(general) not in page
    assert client.get(url(general)).status_code == 404


def _fill(branch, count: int):
    for _ in range(count):
        cadre = add_member(branch).cadre
        meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2026, 5, 1))
        meeting.attendees.add(cadre)
        BranchRoleFactory(
            branch=branch,
            cadre=CadreFactory(unit=branch.unit),
            role=BranchRole.Role.COMMITTEE,
            started_on=datetime.date(2017, 3, 1),
            ended_on=datetime.date(2022, 3, 1),
        )
        PartyBranchFactory(unit=branch.unit, parent=branch.parent)


@pytest.mark.parametrize("who", ["staff", "secretary"])
def test_query_count_does_not_grow_with_members_or_meetings(client, request, who, branch, unit_a):
    branch.parent = PartyBranchFactory(kind="general", unit=unit_a)
    branch.save()
    user = request.getfixturevalue(who)
    client.force_login(user)
    _fill(branch, 2)
    client.get(url(branch))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(branch)).status_code == 200
    _fill(branch, 15)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(branch))
    assert len(response.context["info"].members) > 15
    assert len(many) == len(few)


def test_history_tab_shows_who_changed_the_branch_and_how(client, staff, branch, unit_b):
    branch.feature = "红色宣讲团"
    branch._history_user = staff
    branch.save()
    client.force_login(staff)
    response = client.get(reverse("branches:history", args=[branch.pk]))
    entry = response.context["entries"][0]
    assert entry.user == staff
    assert any(change.new == "红色宣讲团" for change in entry.changes)
    other = PartyBranchFactory(unit=unit_b)
    assert client.get(reverse("branches:history", args=[other.pk])).status_code == 404
