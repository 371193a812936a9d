import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import BranchRole, PartyBranch
from tests.factories import BranchRoleFactory, CadreFactory, PartyBranchFactory

from .builders import add_member, born

pytestmark = pytest.mark.django_db
URL = reverse("branches:list")


def names(response):
    return [branch.name for branch in response.context["page"]]


def row(response, name):
    return next(branch for branch in response.context["page"] if branch.name == name)


def test_each_branch_shows_its_members_secretary_term_and_committee_ages(
    client, staff, branch, secretary_cadre
):
    # Secretary 66, deputy 70 (birthday still ahead: born 1955-12-01 is 70 on 2026-06-15),
    # committee member 61; two ordinary members and one who has left.
    add_member(branch, role=BranchRole.Role.DEPUTY, birth_date=datetime.date(1955, 12, 1))
    add_member(branch, role=BranchRole.Role.COMMITTEE, birth_date=born(61))
    add_member(branch, birth_date=born(90))
    add_member(branch, birth_date=born(85))
    left = add_member(branch, birth_date=born(75))
    left.ended_on = datetime.date(2025, 1, 1)
    left.save()
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    shown = row(response, branch.name)
    assert shown.member_count == 5
    assert shown.secretary_name == "李书记"
    assert shown.term_end == datetime.date(2027, 3, 1)
    assert shown.ages.leaders_average == 68.0  # (66 + 70) / 2
    assert shown.ages.committee_average == 65.7  # (66 + 70 + 61) / 3
    assert not shown.re_election_due
    figures = response.context["figures"]
    assert figures.members == 5
    assert figures.overall.committee_average == 65.7
    page = response.content.decode()
    assert "李书记" in page
    assert "65.7" in page


def test_the_averages_over_all_branches_are_weighted_by_person(client, staff, unit_a):
    small, large = PartyBranchFactory(unit=unit_a), PartyBranchFactory(unit=unit_a)
    add_member(small, role=BranchRole.Role.SECRETARY, birth_date=born(80))
    add_member(large, role=BranchRole.Role.SECRETARY, birth_date=born(60))
    add_member(large, role=BranchRole.Role.COMMITTEE, birth_date=born(60))
    add_member(large, role=BranchRole.Role.COMMITTEE, birth_date=born(60))
    client.force_login(staff)
    figures = client.get(URL).context["figures"]
    assert figures.overall.leaders_average == 70.0
    assert figures.overall.committee_average == 65.0  # (80 + 60 * 3) / 4


def test_re_election_is_due_within_sixty_days_or_after_the_term(client, staff, unit_a):
    today = datetime.date(2026, 6, 15)
    ends = {
        "届满已过": today - datetime.timedelta(days=1),
        "六十天内": today + datetime.timedelta(days=60),
        "六十一天": today + datetime.timedelta(days=61),
    }
    for name, term_end in ends.items():
        branch = PartyBranchFactory(name=name, unit=unit_a)
        BranchRoleFactory(
            branch=branch,
            role=BranchRole.Role.SECRETARY,
            started_on=term_end - datetime.timedelta(days=5 * 365),
            term_ends_on=term_end,
        )
    PartyBranchFactory(name="无班子", unit=unit_a)
    client.force_login(staff)
    response = client.get(URL)
    due = {branch.name: branch.re_election_due for branch in response.context["page"]}
    assert due == {"届满已过": True, "六十天内": True, "六十一天": False, "无班子": False}
    assert response.context["figures"].due == 2
    assert sorted(names(client.get(URL, {"due": "on"}))) == sorted(["届满已过", "六十天内"])
    assert "text-bg-danger" in response.content.decode()  # the term that has already ended


def test_search_and_filters(client, bureau_staff, unit_a, unit_b):
    PartyBranchFactory(name="县直机关离退休干部党总支", kind="general", unit=unit_a.parent)
    PartyBranchFactory(name="教育局离退休干部党支部", kind="institutional", unit=unit_a)
    PartyBranchFactory(name="第一联合党支部", kind="joint", unit=unit_b)
    client.force_login(bureau_staff)
    assert names(client.get(URL, {"q": "教育"})) == ["教育局离退休干部党支部"]
    assert names(client.get(URL, {"kind": "joint"})) == ["第一联合党支部"]
    assert names(client.get(URL, {"unit": unit_b.pk})) == ["第一联合党支部"]
    # The general branch comes first, then institutional, functional and joint branches.
    assert names(client.get(URL)) == [
        "县直机关离退休干部党总支",
        "教育局离退休干部党支部",
        "第一联合党支部",
    ]


def test_unit_staff_see_their_units_branches_only(client, staff, unit_a, unit_a_child, unit_b):
    PartyBranchFactory(name="甲支部", unit=unit_a)
    PartyBranchFactory(name="乙支部", unit=unit_a_child)
    PartyBranchFactory(name="丙支部", unit=unit_b)
    client.force_login(staff)
    response = client.get(URL)
    assert sorted(names(response)) == sorted(["甲支部", "乙支部"])
    assert "丙支部" not in response.content.decode()
    # Another unit is not a valid filter choice.
    assert "unit" in client.get(URL, {"unit": unit_b.pk}).context["form"].errors


def test_a_branch_secretary_sees_only_the_branches_they_lead(client, secretary, branch, unit_a):
    PartyBranchFactory(name="同单位的另一支部", unit=unit_a)
    client.force_login(secretary)
    response = client.get(URL)
    assert names(response) == [branch.name]
    assert response.context["figures"].members == 1


def test_pagination(client, staff, unit_a):
    for index in range(35):
        PartyBranchFactory(name=f"支部{index:02d}", unit=unit_a)
    client.force_login(staff)
    first = client.get(URL)
    assert len(first.context["page"]) == 30
    assert first.context["page"].paginator.count == 35
    second = client.get(URL, {"page": 2})
    assert names(second) == [f"支部{index:02d}" for index in range(30, 35)]


def _fill(unit, count: int, start: int):
    for index in range(start, start + count):
        branch = PartyBranchFactory(name=f"支部{index:03d}", unit=unit)
        add_member(branch, role=BranchRole.Role.SECRETARY, birth_date=born(60 + index % 10))
        add_member(branch, role=BranchRole.Role.DEPUTY)
        add_member(branch)


def test_query_count_does_not_grow_with_branches(client, staff, unit_a):
    client.force_login(staff)
    _fill(unit_a, 2, 0)
    client.get(URL)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(URL).context["page"]) == 2
    _fill(unit_a, 25, 2)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).context["page"]) == 27
    assert len(many) == len(few)


def test_a_general_branch_without_members_is_listed_with_blanks(client, bureau_staff, bureau):
    PartyBranch.objects.create(name="党总支", kind="general", unit=bureau)
    CadreFactory()  # a cadre with no branch changes nothing
    client.force_login(bureau_staff)
    shown = row(client.get(URL), "党总支")
    assert shown.member_count == 0
    assert shown.secretary_name is None
    assert shown.ages is None
    assert shown.term_end is None
