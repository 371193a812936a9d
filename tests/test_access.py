"""Every URL of the staff site, walked with each role: logged out → login; another
unit's record → 404; one's own → 200. The list of URLs comes from the URL conf, so a new
page cannot escape this test without being added to PAGES."""

import pytest
from django.urls import get_resolver, reverse

from accounts.models import User
from branches.models import BranchRole
from reminders.models import Digest, Holiday
from tests.factories import (
    ActivityFactory,
    BranchMeetingFactory,
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    DigestFactory,
    ImportJobFactory,
    PartyBranchFactory,
    SuggestionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STAFF_NAMESPACES = {
    "accounts",
    "activities",
    "branches",
    "cadres",
    "ledger",
    "reminders",
    "reports",
}
# The calendar feed answers calendar apps, which cannot sign in: its secret token is the
# key (tests/reminders/test_feeds.py checks it without a login).
PUBLIC = {"accounts:login", "accounts:logout", "reminders:feed"}
# Pages that record something: branch secretaries read only (403).
EDITING = {
    "cadres:edit",
    "cadres:deceased",
    "cadres:transfer",
    "cadres:visit_new",
    "cadres:need_new",
    "cadres:need_assign",
    "cadres:need_resolve",
    "activities:new",
    "activities:edit",
    "activities:membership_new",
    "activities:membership_end",
    "activities:honour_new",
    "activities:suggestion_new",
    "activities:suggestion_answer",
    # The whole ledger import is for those who record.
    "ledger:upload",
    "ledger:template",
    "ledger:job",
    "ledger:job_progress",
    "ledger:commit",
}
# Import jobs are seen by their own user and administrators only.
OWN_ONLY = {"import_job"}
# Pages that record something which branch secretaries may nevertheless use, for the
# branches they lead only (recording their branch's 三会一课 is their job): not in
# EDITING, so the walk below expects 200 for their branch and 404 for another unit's;
# test_branch_secretaries_write_only_for_the_branches_they_lead covers the rest.
BRANCH_SECRETARY_WRITES = {"branches:meeting_new", "branches:meeting_edit"}
# URL name → the kind of record its <pk> is (None: no argument).
PAGES = {
    "home": None,
    "accounts:password_change": None,
    "accounts:profile": None,
    "cadres:registry": None,
    "cadres:detail": "cadre",
    "cadres:edit": "cadre",
    "cadres:history": "cadre",
    "cadres:picker": None,
    "cadres:deceased": "cadre",
    "cadres:transfer": "cadre",
    "cadres:visits": None,
    "cadres:visit_new": None,
    "cadres:needs": None,
    "cadres:need_new": None,
    "cadres:need_assign": "need",
    "cadres:need_resolve": "need",
    "branches:list": None,
    "branches:detail": "branch",
    "branches:history": "branch",
    "branches:meeting_new": "branch",
    "branches:meeting_edit": "meeting",
    "reminders:mine": None,
    "reports:dashboard": None,
    "reports:index": None,
    "reports:table": "report_slug",
    "reports:export_cadres": None,
    "reports:export_visits": None,
    "reports:export_attendance": None,
    "reminders:log": None,
    "reminders:resend": "failed_digest",
    "reminders:campaign": None,
    "reminders:campaign_holiday": "holiday",
    "activities:list": None,
    "activities:calendar": None,
    "activities:new": None,
    "activities:detail": "activity",
    "activities:history": "activity",
    "activities:edit": "activity",
    "activities:teams": None,
    "activities:team": "team",
    "activities:membership_new": "team",
    "activities:membership_end": "membership",
    "activities:honours": None,
    "activities:honour_new": None,
    "activities:suggestions": None,
    "activities:suggestion_new": None,
    "activities:suggestion_answer": "suggestion",
    "reminders:feed_reset": None,
    "ledger:upload": None,
    "ledger:template": None,
    "ledger:job": "import_job",
    "ledger:job_progress": "import_job",
    "ledger:commit": "import_job",
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
            "activity": ActivityFactory(unit=unit),
            "team": TeamFactory(unit=unit),
            "membership": TeamMembershipFactory(
                team=TeamFactory(unit=unit), cadre=CadreFactory(unit=unit)
            ),
            "suggestion": SuggestionFactory(cadre=CadreFactory(unit=unit)),
            "failed_digest": DigestFactory(recipient=colleague, status=Digest.Status.FAILED),
            "import_job": ImportJobFactory(user=colleague),
        }
        branch = PartyBranchFactory(unit=unit)
        records[side]["branch"] = branch
        records[side]["meeting"] = BranchMeetingFactory(branch=branch)
    # The branch secretary's login is the cadre who leads "mine"'s branch, and the unit's
    # cadre is a member of it: a secretary reads their branch and its members.
    BranchRoleFactory(branch=records["mine"]["branch"], cadre=records["mine"]["cadre"])
    BranchRoleFactory(
        branch=records["mine"]["branch"],
        cadre=CadreFactory(unit=mine, account=users[User.Role.BRANCH_SECRETARY]),
        role=BranchRole.Role.SECRETARY,
    )
    return users, records


def url_for(name, kind, records):
    if kind == "holiday":  # shared by every unit
        return reverse(name, args=[Holiday.objects.get(name="春节").pk])
    if kind == "report_slug":  # a standard table: its figures are scoped, not the page
        return reverse(name, args=["age-bands"])
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
        "import_job": ImportJobFactory(user=users[role]),
    }
    own = client.get(url_for(name, kind, mine), follow=True)
    if role == User.Role.BRANCH_SECRETARY and name in EDITING:
        assert own.status_code == 403
        return
    assert own.status_code == 200
    if kind in (None, "holiday", "report_slug"):
        return
    other = client.get(url_for(name, kind, records["theirs"]))
    sees_everything = role in (User.Role.ADMINISTRATOR, User.Role.BUREAU_STAFF)
    if kind in OWN_ONLY:
        sees_everything = role == User.Role.ADMINISTRATOR
    assert other.status_code == (200 if sees_everything else 404)


def test_pages_that_record_are_classified_once():
    assert not EDITING & BRANCH_SECRETARY_WRITES
    assert set(PAGES) >= EDITING | BRANCH_SECRETARY_WRITES


@pytest.mark.parametrize("name", sorted(BRANCH_SECRETARY_WRITES))
def test_branch_secretaries_write_only_for_the_branches_they_lead(client, world, name):
    users, records = world
    kind = PAGES[name]
    # Another branch of the secretary's own unit, which they do not lead.
    other = PartyBranchFactory(unit=records["mine"]["branch"].unit)
    unled = {"branch": other, "meeting": BranchMeetingFactory(branch=other)}
    client.force_login(users[User.Role.BRANCH_SECRETARY])
    assert client.get(url_for(name, kind, records["mine"])).status_code == 200
    assert client.get(url_for(name, kind, unled)).status_code == 404
    client.force_login(users[User.Role.UNIT_STAFF])
    assert client.get(url_for(name, kind, unled)).status_code == 200
