"""Every URL of the staff site, walked with each role: logged out → login; another
unit's record → 404; one's own → 200. The list of URLs comes from the URL conf, so a new
page cannot escape this test without being added to PAGES (tests/access_pages.py)."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests import access_world
from tests.access_pages import (
    ADMINISTRATORS_ONLY,
    BRANCH_SECRETARY_WRITES,
    BUREAU_STEPS,
    EDITING,
    FULL_ID_NUMBER,
    MONEY_ADMINISTRATORS,
    MONEY_BUREAU,
    OWN_ONLY,
    PAGES,
    PUBLIC,
    UNIT_REPORTS,
    UNIT_STEPS,
    staff_url_names,
)
from tests.access_world import url_for
from tests.factories import (
    BranchMeetingFactory,
    DigestFactory,
    ImportJobFactory,
    PartyBranchFactory,
)

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
world = access_world.world


def test_every_staff_url_is_covered():
    assert staff_url_names() - PUBLIC == set(PAGES)


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
    if name in FULL_ID_NUMBER and role in (User.Role.UNIT_STAFF, User.Role.BRANCH_SECRETARY):
        assert own.status_code == 403
        return
    if name.startswith("funds:") and (
        role == User.Role.BRANCH_SECRETARY
        or (name in MONEY_ADMINISTRATORS and role != User.Role.ADMINISTRATOR)
        or (name in MONEY_BUREAU and role == User.Role.UNIT_STAFF)
    ):
        assert own.status_code == 403
        return
    if kind == "funds_standard":  # shared by every unit
        assert own.status_code == 200
        return
    if role == User.Role.BRANCH_SECRETARY and name in UNIT_REPORTS:
        assert own.status_code == 403
        return
    if name in ADMINISTRATORS_ONLY and role != User.Role.ADMINISTRATOR:
        assert own.status_code == 403
        return
    if (name in BUREAU_STEPS and role == User.Role.UNIT_STAFF) or (
        name in UNIT_STEPS and role in (User.Role.ADMINISTRATOR, User.Role.BUREAU_STAFF)
    ):
        assert own.status_code == 403
        return
    assert own.status_code == 200
    if kind in (None, "holiday", "report_slug", "checkup_campaign"):
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
