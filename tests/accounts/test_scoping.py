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


def test_unit_staff_cannot_raise_their_own_role(client, unit_staff_admin):
    client.force_login(unit_staff_admin)
    form = client.get(reverse("admin:accounts_user_change", args=[unit_staff_admin.pk]))
    fields = form.context["adminform"].form.fields
    assert not {"role", "is_staff", "unit", "is_superuser"} & set(fields)


def test_saving_keeps_links_to_records_outside_the_users_units(client, unit_staff_admin, bureau):
    from branches.models import PartyBranch

    general = PartyBranchFactory(name="党总支", kind=PartyBranch.Kind.GENERAL, unit=bureau)
    branch = PartyBranchFactory(name="教育局支部", parent=general, unit=unit_staff_admin.unit)
    client.force_login(unit_staff_admin)
    page = client.get(reverse("admin:branches_partybranch_change", args=[branch.pk]))
    data = {
        "name": "教育局离退休干部党支部",
        "kind": "institutional",
        "parent": general.pk,  # what the browser posts back: the value already there
        "unit": unit_staff_admin.unit.pk,
        "is_active": "on",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "aides-TOTAL_FORMS": "0",
        "aides-INITIAL_FORMS": "0",
    }
    assert page.status_code == 200
    response = client.post(reverse("admin:branches_partybranch_change", args=[branch.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    branch.refresh_from_db()
    assert branch.parent == general and branch.name == "教育局离退休干部党支部"
    # Choosing a new record outside one's units is refused.
    elsewhere = PartyBranchFactory(name="别处总支", kind=PartyBranch.Kind.GENERAL)
    refused = client.post(
        reverse("admin:branches_partybranch_change", args=[branch.pk]),
        {**data, "parent": elsewhere.pk},
    )
    assert refused.status_code == 200
    assert "parent" in refused.context["adminform"].form.errors


def test_a_unit_cannot_be_moved_under_its_own_child(unit_a, unit_a_child):
    from django.core.exceptions import ValidationError

    unit_a.parent = unit_a_child
    with pytest.raises(ValidationError):
        unit_a.full_clean()


def test_shared_visit_occasions_cannot_be_deleted_by_unit_staff(client, unit_staff_admin):
    from cadres.models import VisitOccasion

    occasion = VisitOccasion.objects.get(code="routine")
    client.force_login(unit_staff_admin)
    response = client.get(reverse("admin:cadres_visitoccasion_delete", args=[occasion.pk]))
    assert response.status_code == 403


def test_a_branch_secretary_reads_the_members_of_the_branches_they_lead(unit_a):
    import datetime

    from accounts.scoping import branch_member_ids, led_branch_ids, scope_queryset
    from cadres.models import Cadre
    from tests.factories import BranchRoleFactory, CadreFactory, PartyBranchFactory

    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    led, former, other = (PartyBranchFactory(unit=unit_a) for _ in range(3))
    me = CadreFactory(unit=unit_a, account=secretary)
    BranchRoleFactory(branch=led, cadre=me, role="secretary")
    BranchRoleFactory(
        branch=former,
        cadre=CadreFactory(unit=unit_a),
        role="secretary",
    )
    member = BranchRoleFactory(branch=led, cadre=CadreFactory(unit=unit_a)).cadre
    left = BranchRoleFactory(
        branch=led,
        cadre=CadreFactory(unit=unit_a),
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2020, 1, 1),
    ).cadre
    stranger = BranchRoleFactory(branch=other, cadre=CadreFactory(unit=unit_a)).cadre
    assert led_branch_ids(user=secretary) == {led.pk}
    assert branch_member_ids(user=secretary) == {me.pk, member.pk}
    visible = scope_queryset(Cadre.objects.all(), user=secretary, unit_path="unit", cadre_path="")
    assert set(visible) == {me, member}
    assert left not in visible and stranger not in visible
    # Unit staff of the same unit see them all.
    staff = UserFactory(unit=unit_a)
    assert {member, left, stranger} <= set(
        scope_queryset(Cadre.objects.all(), user=staff, unit_path="unit", cadre_path="")
    )


def test_another_units_cadres_attendance_is_read_only_in_admin(client, unit_staff_admin, unit_b):
    """An activity of one's unit may list another unit's cadre: admin lists that row (by
    the activity) but neither the activity's inline nor the attendance page changes it."""
    from activities.models import Attendance
    from tests.factories import ActivityFactory, AttendanceFactory

    activity = ActivityFactory(unit=unit_staff_admin.unit)
    mine = AttendanceFactory(activity=activity, cadre=CadreFactory(unit=unit_staff_admin.unit))
    theirs = AttendanceFactory(
        activity=activity,
        cadre=CadreFactory(unit=unit_b, name="外单位赵六"),
        status=Attendance.Status.ATTENDED,
        volunteer_hours=2,
    )
    client.force_login(unit_staff_admin)
    page = client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    inline = page.context["inline_admin_formsets"][0].formset
    assert [form.instance for form in inline.forms] == [mine]
    assert "外单位赵六" not in page.content.decode()
    change = reverse("admin:activities_attendance_change", args=[theirs.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    posted = client.post(
        change,
        {
            "activity": activity.pk,
            "cadre": theirs.cadre_id,
            "status": "attended",
            "volunteer_hours": "9",
        },
    )
    assert posted.status_code == 403
    delete = client.post(
        reverse("admin:activities_attendance_delete", args=[theirs.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    theirs.refresh_from_db()
    assert theirs.volunteer_hours == 2
    # One's own cadre's row is changed as before.
    own = client.get(reverse("admin:activities_attendance_change", args=[mine.pk]))
    assert own.context["has_change_permission"]
