"""在职干部协助: serving staff assigned to help a branch — shown on the branch page,
added and removed (after a confirmation) by editors within their units, read only by
branch secretaries, and in admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from branches.models import BranchAide
from branches.services import branch_aide_add, branch_aide_end
from tests.factories import BranchAideFactory, PartyBranchFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper_staff(unit_a):
    return UserFactory(role=User.Role.UNIT_STAFF, unit=unit_a, full_name="王在职")


def test_add_and_end_keep_the_row_and_its_history(branch, helper_staff, staff):
    aide = branch_aide_add(
        branch=branch,
        user=helper_staff,
        started_on=datetime.date(2026, 3, 1),
        note="联络",
        by=staff,
    )
    assert aide.is_current and aide.note == "联络"
    with pytest.raises(ValidationError):  # the same person twice at once
        branch_aide_add(
            branch=branch, user=helper_staff, started_on=datetime.date(2026, 4, 1), by=staff
        )
    branch_aide_end(aide=aide, ended_on=datetime.date(2026, 6, 1), by=staff)
    aide.refresh_from_db()
    assert aide.ended_on == datetime.date(2026, 6, 1)
    assert aide.history.count() == 2
    assert aide.history.first().history_user == staff
    # Helping again later is a new row.
    again = branch_aide_add(
        branch=branch, user=helper_staff, started_on=datetime.date(2026, 6, 10), by=staff
    )
    assert BranchAide.objects.filter(branch=branch).count() == 2 and again.is_current


def test_an_aide_is_serving_staff_and_ends_after_starting(branch, secretary, helper_staff, staff):
    with pytest.raises(ValidationError) as error:
        branch_aide_add(
            branch=branch, user=secretary, started_on=datetime.date(2026, 3, 1), by=staff
        )
    assert "user" in error.value.message_dict
    aide = BranchAideFactory(branch=branch, user=helper_staff, started_on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        branch_aide_end(aide=aide, ended_on=datetime.date(2026, 2, 1), by=staff)


def test_branch_page_shows_current_and_earlier_aides(client, branch, helper_staff, staff):
    BranchAideFactory(branch=branch, user=helper_staff, note="每月参加主题党日")
    BranchAideFactory(
        branch=branch,
        user=UserFactory(unit=branch.unit, full_name="赵离任"),
        started_on=datetime.date(2025, 1, 1),
        ended_on=datetime.date(2025, 12, 31),
    )
    client.force_login(staff)
    page = client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert "王在职" in page and "每月参加主题党日" in page
    assert "赵离任" in page and "2025-12-31" in page
    assert reverse("branches:aide_new", args=[branch.pk]) in page


def test_staff_add_an_aide_from_their_units_only(client, branch, helper_staff, staff, unit_b):
    client.force_login(staff)
    url = reverse("branches:aide_new", args=[branch.pk])
    outsider = UserFactory(unit=unit_b)
    response = client.post(url, {"user": outsider.pk, "started_on": "2026-06-01"})
    assert response.status_code == 200 and not BranchAide.objects.exists()
    response = client.post(
        url, {"user": helper_staff.pk, "started_on": "2026-06-01", "note": "党建指导员"}
    )
    assert response.status_code == 302
    aide = BranchAide.objects.get()
    assert (aide.user, aide.note, aide.started_on) == (
        helper_staff,
        "党建指导员",
        datetime.date(2026, 6, 1),
    )
    # Another unit's branch is not found.
    other = PartyBranchFactory(unit=unit_b)
    assert client.get(reverse("branches:aide_new", args=[other.pk])).status_code == 404


def test_removal_asks_first_then_ends_the_help(client, branch, helper_staff, staff):
    aide = BranchAideFactory(branch=branch, user=helper_staff)
    client.force_login(staff)
    url = reverse("branches:aide_remove", args=[aide.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "王在职" in confirm.content.decode()
    aide.refresh_from_db()
    assert aide.is_current  # asking changes nothing
    response = client.post(url, {"ended_on": "2026-06-15"}, follow=True)
    aide.refresh_from_db()
    assert aide.ended_on == datetime.date(2026, 6, 15)
    assert response.redirect_chain[-1][0].startswith(reverse("branches:detail", args=[branch.pk]))
    # An aide already removed is not removed twice.
    assert client.get(url).status_code == 404


def test_secretaries_read_aides_but_neither_add_nor_remove(client, branch, helper_staff, secretary):
    aide = BranchAideFactory(branch=branch, user=helper_staff)
    client.force_login(secretary)
    page = client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert "王在职" in page
    assert reverse("branches:aide_remove", args=[aide.pk]) not in page
    assert reverse("branches:aide_new", args=[branch.pk]) not in page
    assert client.get(reverse("branches:aide_new", args=[branch.pk])).status_code == 403
    assert (
        client.post(
            reverse("branches:aide_remove", args=[aide.pk]), {"ended_on": "2026-06-15"}
        ).status_code
        == 403
    )
    aide.refresh_from_db()
    assert aide.is_current


def test_other_units_aides_are_not_found(client, helper_staff, staff, unit_b):
    aide = BranchAideFactory(branch=PartyBranchFactory(unit=unit_b), user=UserFactory(unit=unit_b))
    client.force_login(staff)
    assert client.get(reverse("branches:aide_remove", args=[aide.pk])).status_code == 404


def test_bureau_staff_manage_every_units_aides(client, bureau_staff, unit_b):
    branch = PartyBranchFactory(unit=unit_b)
    person = UserFactory(unit=unit_b)
    client.force_login(bureau_staff)
    response = client.post(
        reverse("branches:aide_new", args=[branch.pk]),
        {"user": person.pk, "started_on": "2026-06-01"},
    )
    assert response.status_code == 302 and branch.aides.get().user == person


def test_admin_lists_aides_within_scope(client, unit_staff_admin, branch, helper_staff, unit_b):
    mine = BranchAideFactory(branch=branch, user=helper_staff, note="本单位协助")
    BranchAideFactory(
        branch=PartyBranchFactory(unit=unit_b), user=UserFactory(unit=unit_b), note="他单位协助"
    )
    client.force_login(unit_staff_admin)
    listing = client.get(reverse("admin:branches_branchaide_changelist")).content.decode()
    assert "本单位协助" in listing and "他单位协助" not in listing
    change = client.get(reverse("admin:branches_partybranch_change", args=[branch.pk]))
    assert change.status_code == 200 and "本单位协助" in change.content.decode()
    assert (
        client.get(reverse("admin:branches_branchaide_change", args=[mine.pk])).status_code == 200
    )
