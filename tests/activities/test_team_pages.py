import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from activities.models import Team, TeamMembership
from branches.models import BranchRole
from tests.factories import (
    ActivityFactory,
    BranchRoleFactory,
    CadreFactory,
    HonourFactory,
    PartyBranchFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TEAMS = reverse("activities:teams")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def names(response):
    return [team.name for team in response.context["page"]]


def test_team_list_with_member_count_leader_and_kind(client, staff, unit_a, unit_b):
    choir = TeamFactory(name="合唱队", kind=Team.Kind.ART, unit=unit_a)
    TeamMembershipFactory(
        team=choir, cadre=CadreFactory(name="李队长", unit=unit_a), is_leader=True
    )
    TeamMembershipFactory(team=choir)
    TeamFactory(name="门球队", kind=Team.Kind.SPORTS, unit=unit_a)
    TeamFactory(name="解散的队", unit=unit_a, is_active=False)
    TeamFactory(name="财政局合唱队", unit=unit_b)
    client.force_login(staff)
    response = client.get(TEAMS)
    rows = {team.name: team for team in response.context["page"]}
    assert set(rows) == {"合唱队", "门球队"}
    assert (rows["合唱队"].member_count, rows["合唱队"].leader_name) == (2, "李队长")
    assert rows["门球队"].member_count == 0 and rows["门球队"].leader_name is None
    body = response.content.decode()
    assert "艺术团" in body and "李队长" in body
    assert names(client.get(TEAMS, {"kind": "sports"})) == ["门球队"]
    assert names(client.get(TEAMS, {"q": "合唱"})) == ["合唱队"]
    assert "解散的队" in names(client.get(TEAMS, {"include_inactive": "on"}))


def test_team_list_is_paginated_and_its_query_count_does_not_grow(client, staff, unit_a):
    client.force_login(staff)
    TeamMembershipFactory(team=TeamFactory(unit=unit_a), is_leader=True)
    client.get(TEAMS)
    with CaptureQueriesContext(connection) as few:
        client.get(TEAMS)
    for _ in range(30):
        team = TeamFactory(unit=unit_a, branch=PartyBranchFactory(unit=unit_a))
        TeamMembershipFactory(team=team, is_leader=True)
        TeamMembershipFactory(team=team)
    with CaptureQueriesContext(connection) as many:
        response = client.get(TEAMS)
    assert len(response.context["page"]) == 30
    assert len(many) == len(few)
    assert len(client.get(TEAMS, {"page": 2}).context["page"]) == 1


def test_team_page_shows_members_leader_honours_and_activities(client, staff, unit_a):
    team = TeamFactory(name="志愿服务队", unit=unit_a)
    leader = TeamMembershipFactory(team=team, cadre=CadreFactory(name="赵队长"), is_leader=True)
    TeamMembershipFactory(team=team, cadre=CadreFactory(name="钱队员"))
    HonourFactory(cadre=None, team=team, title="优秀志愿服务队", year=2025)
    ActivityFactory(title="助老服务", unit=unit_a, team=team)
    client.force_login(staff)
    response = client.get(reverse("activities:team", args=[team.pk]))
    members = response.context["members"]
    assert [m.cadre.name for m in members] == ["赵队长", "钱队员"]
    body = response.content.decode()
    assert reverse("cadres:detail", args=[leader.cadre_id]) in body
    assert "优秀志愿服务队" in body and "助老服务" in body and "队长" in body
    assert reverse("activities:membership_new", args=[team.pk]) in body


def test_team_page_query_count_does_not_grow_with_members(client, staff, unit_a):
    team = TeamFactory(unit=unit_a)
    TeamMembershipFactory(team=team)
    HonourFactory(cadre=None, team=team)
    ActivityFactory(unit=unit_a, team=team)
    url = reverse("activities:team", args=[team.pk])
    client.force_login(staff)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for year in range(2000, 2020):
        TeamMembershipFactory(team=team, cadre=CadreFactory(unit=unit_a))
        HonourFactory(cadre=None, team=team, year=year)
        ActivityFactory(unit=unit_a, team=team)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["members"]) == 21
    assert len(many) == len(few)


def test_adding_and_ending_a_membership(client, staff, unit_a):
    team = TeamFactory(unit=unit_a)
    cadre = CadreFactory(name="孙新", unit=unit_a)
    client.force_login(staff)
    url = reverse("activities:membership_new", args=[team.pk])
    response = client.post(url, {"cadre": cadre.pk, "is_leader": "on", "joined_on": "2026-03-01"})
    assert response.status_code == 302 and response.url == team.get_absolute_url()
    membership = TeamMembership.objects.get(team=team)
    assert membership.is_leader and membership.joined_on == datetime.date(2026, 3, 1)
    # Twice is refused with the model's message, on the form.
    again = client.post(url, {"cadre": cadre.pk})
    assert again.status_code == 200 and "该老干部已是队伍成员" in again.content.decode()
    end_url = reverse("activities:membership_end", args=[membership.pk])
    confirm = client.get(end_url)
    assert confirm.status_code == 200 and "孙新" in confirm.content.decode()
    assert TeamMembership.objects.filter(pk=membership.pk).exists()
    response = client.post(end_url)
    assert response.status_code == 302 and response.url == team.get_absolute_url()
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()


def test_membership_refuses_another_units_cadre(client, staff, unit_a, unit_b):
    team = TeamFactory(unit=unit_a)
    client.force_login(staff)
    url = reverse("activities:membership_new", args=[team.pk])
    response = client.post(url, {"cadre": CadreFactory(unit=unit_b).pk})
    assert "cadre" in response.context["form"].errors
    assert not TeamMembership.objects.exists()
    other_team = TeamFactory(unit=unit_b)
    assert client.get(reverse("activities:team", args=[other_team.pk])).status_code == 404
    assert client.get(reverse("activities:membership_new", args=[other_team.pk])).status_code == 404


def test_branch_secretary_sees_the_team_and_only_their_members(client, unit_a):
    led = PartyBranchFactory(unit=unit_a)
    own_cadre = CadreFactory(unit=unit_a)
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    BranchRoleFactory(branch=led, cadre=own_cadre, role=BranchRole.Role.SECRETARY)
    own_cadre.account = secretary
    own_cadre.save()
    member = CadreFactory(name="本支部队员", unit=unit_a)
    BranchRoleFactory(branch=led, cadre=member)
    team = TeamFactory(unit=unit_a)
    membership = TeamMembershipFactory(team=team, cadre=member)
    TeamMembershipFactory(team=team, cadre=CadreFactory(name="别的队员", unit=unit_a))
    client.force_login(secretary)
    response = client.get(reverse("activities:team", args=[team.pk]))
    assert [m.cadre.name for m in response.context["members"]] == ["本支部队员"]
    assert response.context["form"] is None
    assert (
        client.post(reverse("activities:membership_end", args=[membership.pk])).status_code == 403
    )
