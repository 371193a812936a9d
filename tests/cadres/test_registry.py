import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from branches.models import BranchRole
from cadres.models import CadreStatus, Health, PoliticalStatus
from tests.factories import BranchRoleFactory, CadreFactory, PartyBranchFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("cadres:registry")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def names(response):
    return [cadre.name for cadre in response.context["page"]]


def test_search_by_pinyin_initials_full_pinyin_name_and_phone(client, staff, unit_a):
    zhang = CadreFactory(name="张三", unit=unit_a, phone="13912345678")
    CadreFactory(name="李四", unit=unit_a, phone="13800000000")
    client.force_login(staff)
    assert names(client.get(URL, {"q": "zs"})) == ["张三"]
    assert names(client.get(URL, {"q": "ZhangSan"})) == ["张三"]
    assert names(client.get(URL, {"q": "张"})) == ["张三"]
    assert names(client.get(URL, {"q": "2345"})) == ["张三"]
    # Unit staff may not see ID numbers, so digits of one confirm nothing.
    tail = zhang.id_number[-4:]
    assert names(client.get(URL, {"q": tail})) == (["张三"] if tail in zhang.phone else [])
    assert names(client.get(URL, {"q": zhang.id_number})) == []


def test_only_the_users_units_are_listed(client, staff, unit_a, unit_a_child, unit_b):
    CadreFactory(name="甲", unit=unit_a)
    CadreFactory(name="乙", unit=unit_a_child)
    CadreFactory(name="丙", unit=unit_b)
    client.force_login(staff)
    response = client.get(URL)
    assert sorted(names(response)) == sorted(["甲", "乙"])
    assert unit_b.name not in response.content.decode()


def test_filters(client, staff, unit_a, unit_a_child):
    today = datetime.date.today()
    old = CadreFactory(
        name="老人",
        unit=unit_a,
        birth_date=datetime.date(today.year - 92, 1, 1),
        health=Health.IN_HOSPITAL,
        liaison=staff,
    )
    CadreFactory(
        name="群众",
        unit=unit_a_child,
        political_status=PoliticalStatus.MASSES,
        party_joined_on=None,
    )
    CadreFactory(
        name="已故", unit=unit_a, status=CadreStatus.DECEASED, died_on=datetime.date(2026, 1, 1)
    )
    branch = PartyBranchFactory(unit=unit_a)
    BranchRoleFactory(branch=branch, cadre=old, role=BranchRole.Role.MEMBER)
    client.force_login(staff)
    assert names(client.get(URL, {"age_band": "90-"})) == ["老人"]
    assert names(client.get(URL, {"health": "hospital"})) == ["老人"]
    assert names(client.get(URL, {"party_member": "no"})) == ["群众"]
    assert names(client.get(URL, {"unit": unit_a_child.pk})) == ["群众"]
    assert names(client.get(URL, {"branch": branch.pk})) == ["老人"]
    assert names(client.get(URL, {"liaison": staff.pk})) == ["老人"]
    assert names(client.get(URL, {"status": "deceased"})) == ["已故"]
    assert len(names(client.get(URL, {"status": "all"}))) == 3
    # A unit outside the user's scope is not a valid choice: the filter is ignored.
    assert "unit" in client.get(URL, {"unit": 999999}).context["form"].errors


def test_sorting_and_pagination(client, staff, unit_a):
    for index in range(55):
        CadreFactory(
            name=f"测试{index:02d}", unit=unit_a, birth_date=datetime.date(1940 + index % 20, 1, 1)
        )
    client.force_login(staff)
    first = client.get(URL, {"sort": "age"})
    ages = [c.age for c in first.context["page"]]
    assert ages == sorted(ages) and len(ages) == 50
    assert len(client.get(URL, {"sort": "age", "page": 2}).context["page"]) == 5


def test_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    CadreFactory(unit=unit_a, liaison=staff)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(30):
        cadre = CadreFactory(unit=unit_a, liaison=UserFactory(unit=unit_a))
        BranchRoleFactory(cadre=cadre, branch=PartyBranchFactory(unit=unit_a))
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(names(response)) == 31
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z", ["周子", "张三"]),
        ("zz", ["周子"]),
        ("zhangs", ["张三"]),
        ("y", ["杨一"]),
        ("ls", ["李四"]),
        ("zy", []),
    ],
)
def test_pinyin_search_prefixes(client, staff, bureau, unit_a, text, expected):
    for name in ["张三", "周子", "李四", "杨一"]:
        CadreFactory(name=name, unit=unit_a)
    bureau_staff = UserFactory(role=User.Role.BUREAU_STAFF, unit=bureau)
    for user in (staff, bureau_staff):
        client.force_login(user)
        assert sorted(names(client.get(URL, {"q": text}))) == sorted(expected)


def test_the_branch_column_shows_the_current_branch(client, staff, unit_a):
    cadre = CadreFactory(name="党员", unit=unit_a)
    CadreFactory(name="群众", unit=unit_a)
    past = PartyBranchFactory(unit=unit_a, name="旧支部")
    current = PartyBranchFactory(unit=unit_a, name="新支部")
    BranchRoleFactory(
        cadre=cadre,
        branch=past,
        started_on=datetime.date(2018, 1, 1),
        ended_on=datetime.date(2021, 12, 31),
    )
    BranchRoleFactory(cadre=cadre, branch=current, started_on=datetime.date(2022, 1, 1))
    client.force_login(staff)
    page = client.get(URL).context["page"]
    shown = {c.name: (c.branch_name, c.branch_role) for c in page}
    assert shown == {"党员": ("新支部", BranchRole.Role.MEMBER), "群众": (None, None)}


def test_the_branch_filter_lists_escaped_names_and_keeps_the_choice(client, staff, unit_a):
    branch = PartyBranchFactory(unit=unit_a, name="<b>第一</b>支部")
    client.force_login(staff)
    html = client.get(URL, {"branch": branch.pk}).content.decode()
    assert f'<option value="{branch.pk}" selected>&lt;b&gt;第一&lt;/b&gt;支部</option>' in html
    assert '<select name="branch" class=' in html
