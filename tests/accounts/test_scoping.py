"""Non-superusers see only the records of their unit subtree, in every admin page."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.scoping import unit_subtree_ids, visible_unit_ids
from tests.factories import (
    CadreFactory,
    HonourFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def test_subtree_includes_descendants_only(bureau, unit_a, unit_a_child, unit_b):
    assert unit_subtree_ids(unit_id=unit_a.pk) == {unit_a.pk, unit_a_child.pk}
    assert unit_subtree_ids(unit_id=bureau.pk) == {
        bureau.pk,
        unit_a.pk,
        unit_a_child.pk,
        unit_b.pk,
    }


@pytest.mark.parametrize(
    ("role", "sees_all"),
    [
        (User.Role.ADMINISTRATOR, True),
        (User.Role.BUREAU_STAFF, True),
        (User.Role.UNIT_STAFF, False),
        (User.Role.BRANCH_SECRETARY, False),
    ],
)
def test_visible_units_by_role(unit_a, unit_a_child, unit_b, role, sees_all):
    user = UserFactory(role=role, unit=unit_a)
    expected = None if sees_all else {unit_a.pk, unit_a_child.pk}
    assert visible_unit_ids(user=user) == expected


def test_changelist_lists_own_subtree_only(client, unit_staff_admin, unit_a_child, unit_b):
    mine = CadreFactory(unit=unit_staff_admin.unit, name="甲一")
    child = CadreFactory(unit=unit_a_child, name="甲二")
    other = CadreFactory(unit=unit_b, name="乙一")
    client.force_login(unit_staff_admin)
    response = client.get(reverse("admin:cadres_cadre_changelist"))
    assert set(response.context["cl"].result_list) == {mine, child}
    body = response.content.decode()
    assert other.name not in body
    assert unit_b.name not in body  # not even in the unit filter


def test_another_units_record_cannot_be_opened(client, unit_staff_admin, unit_b):
    other = CadreFactory(unit=unit_b, name="乙一")
    client.force_login(unit_staff_admin)
    change = client.get(reverse("admin:cadres_cadre_change", args=[other.pk]))
    assert change.status_code == 302  # admin's answer for a record it cannot find
    assert other.name not in client.get(change.url).content.decode()
    history = client.get(reverse("admin:cadres_cadre_history", args=[other.pk]))
    assert history.status_code == 404


def test_related_records_follow_the_cadres_unit(client, unit_staff_admin, unit_b):
    mine = VisitFactory(cadre=CadreFactory(unit=unit_staff_admin.unit))
    theirs = VisitFactory(cadre=CadreFactory(unit=unit_b))
    client.force_login(unit_staff_admin)
    response = client.get(reverse("admin:cadres_visit_changelist"))
    assert list(response.context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:cadres_visit_change", args=[theirs.pk])).status_code == 302


def test_honours_are_scoped_through_any_recipient(client, unit_staff_admin, unit_b):
    to_cadre = HonourFactory(cadre=CadreFactory(unit=unit_staff_admin.unit))
    to_branch = HonourFactory(cadre=None, branch=PartyBranchFactory(unit=unit_staff_admin.unit))
    HonourFactory(cadre=CadreFactory(unit=unit_b))
    client.force_login(unit_staff_admin)
    response = client.get(reverse("admin:activities_honour_changelist"))
    assert set(response.context["cl"].result_list) == {to_cadre, to_branch}


def test_autocomplete_offers_own_cadres_only(client, unit_staff_admin, unit_b):
    mine = CadreFactory(unit=unit_staff_admin.unit, name="张三")
    CadreFactory(unit=unit_b, name="张四")
    client.force_login(unit_staff_admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cadres", "model_name": "visit", "field_name": "cadre", "term": "张"},
    )
    assert [item["id"] for item in response.json()["results"]] == [str(mine.pk)]


def test_choosing_another_units_cadre_is_refused(client, unit_staff_admin, unit_b):
    theirs = CadreFactory(unit=unit_b)
    client.force_login(unit_staff_admin)
    response = client.post(
        reverse("admin:cadres_familycontact_add"),
        {"cadre": theirs.pk, "name": "李某", "relation": "child"},
    )
    assert response.status_code == 200
    assert "cadre" in response.context["adminform"].form.errors
    assert not theirs.family_contacts.exists()


def test_unit_staff_cannot_make_themselves_superuser(client, unit_staff_admin):
    client.force_login(unit_staff_admin)
    response = client.get(reverse("admin:accounts_user_change", args=[unit_staff_admin.pk]))
    assert "is_superuser" not in response.context["adminform"].form.fields
