"""Every URL of the staff site, walked with each role: logged out → login; another
unit's record → 404; one's own → 200. The list of URLs comes from the URL conf, so a new
page cannot escape this test without being added to PAGES."""

import pytest
from django.urls import get_resolver, reverse

from accounts.models import User
from reminders.models import Digest, Holiday
from tests.factories import (
    CadreFactory,
    CareNeedFactory,
    DigestFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STAFF_NAMESPACES = {"accounts", "cadres", "reminders", "reports"}
PUBLIC = {"accounts:login", "accounts:logout"}
# Pages that record something: branch secretaries read only (403).
EDITING = {
    "cadres:deceased",
    "cadres:transfer",
    "cadres:visit_new",
    "cadres:need_new",
    "cadres:need_assign",
    "cadres:need_resolve",
}
# URL name → the kind of record its <pk> is (None: no argument).
PAGES = {
    "home": None,
    "accounts:password_change": None,
    "accounts:profile": None,
    "cadres:registry": None,
    "cadres:detail": "cadre",
    "cadres:picker": None,
    "cadres:deceased": "cadre",
    "cadres:transfer": "cadre",
    "cadres:visits": None,
    "cadres:visit_new": None,
    "cadres:needs": None,
    "cadres:need_new": None,
    "cadres:need_assign": "need",
    "cadres:need_resolve": "need",
    "reminders:mine": None,
    "reports:dashboard": None,
    "reminders:log": None,
    "reminders:resend": "failed_digest",
    "reminders:campaign": None,
    "reminders:campaign_holiday": "holiday",
}


def staff_url_names():
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in STAFF_NAMESPACES:
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if p.name}
        elif getattr(pattern, "name", None) == "home":
            names.add("home")
    return names


def test_every_staff_url_is_covered():
    assert staff_url_names() - PUBLIC == set(PAGES)


@pytest.fixture
def world(db):
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    mine = UnitFactory(name="县教育局", code="A", parent=bureau)
    theirs = UnitFactory(name="县财政局", code="C", parent=bureau)
    users = {
        role: UserFactory(role=role, unit=mine if role != User.Role.BUREAU_STAFF else bureau)
        for role in (User.Role.UNIT_STAFF, User.Role.BRANCH_SECRETARY, User.Role.BUREAU_STAFF)
    }
    users[User.Role.ADMINISTRATOR] = User.objects.create_superuser(
        "root", "r@example.com", "pw-x-12345"
    )
    records = {}
    for side, unit in (("mine", mine), ("theirs", theirs)):
        colleague = UserFactory(unit=unit)
        records[side] = {
            "cadre": CadreFactory(unit=unit),
            "need": CareNeedFactory(cadre=CadreFactory(unit=unit)),
            "failed_digest": DigestFactory(recipient=colleague, status=Digest.Status.FAILED),
        }
    return users, records


def url_for(name, kind, records):
    if kind == "holiday":  # shared by every unit
        return reverse(name, args=[Holiday.objects.get(name="春节").pk])
    return reverse(name, args=[records[kind].pk]) if kind else reverse(name)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_logged_out_requests_go_to_login(client, world, name):
    _users, records = world
    response = client.get(url_for(name, PAGES[name], records["mine"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", list(User.Role.values))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role_sees_its_own_and_never_another_units_records(client, world, role, name):
    users, records = world
    client.force_login(users[role])
    kind = PAGES[name]
    # A digest is one's own (a branch secretary sees no colleague's delivery log).
    mine = {
        **records["mine"],
        "failed_digest": DigestFactory(recipient=users[role], status="failed"),
    }
    own = client.get(url_for(name, kind, mine), follow=True)
    if role == User.Role.BRANCH_SECRETARY and name in EDITING:
        assert own.status_code == 403
        return
    assert own.status_code == 200
    if kind in (None, "holiday"):
        return
    other = client.get(url_for(name, kind, records["theirs"]))
    sees_everything = role in (User.Role.ADMINISTRATOR, User.Role.BUREAU_STAFF)
    assert other.status_code == (200 if sees_everything else 404)
