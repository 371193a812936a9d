"""新增老干部 on the staff site, and duplicate detection at entry — in the new form, the
edit form and admin: the same ID number is refused, the same name and date of birth
needs an explicit confirmation; matches are named only within the user's scope."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cadres import duplicates
from cadres.models import Cadre, CadreStatus

from ..factories import CadreFactory, UserFactory, make_id_number
from .test_edit_history import form_data

pytestmark = pytest.mark.django_db

NEW = reverse("cadres:new")
BIRTH = datetime.date(1948, 6, 1)
CONFIRM = "confirm_not_duplicate"


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF, full_name="王干事")


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF, is_staff=True)


def new_data(unit, **changes) -> dict:
    """A complete 新增老干部 form: a retired man born on BIRTH."""
    data = {
        "name": "赵建国",
        "gender": "M",
        "ethnicity": "01",
        "birth_date": BIRTH.isoformat(),
        "id_number": make_id_number(BIRTH, male=True),
        "retirement_kind": "tuixiu",
        "retirement_date": "2008-07-01",
        "unit": unit.pk,
        "political_status": "cpc",
        "party_joined_on": "1972-07-01",
        "phone": "13800001111",
        "residential_community": "城东社区",
        "address": "城东路 1 号",
        "health": "good",
        "living_situation": "family",
        "hardship": "none",
    }
    data.update(changes)
    return data


def text(response) -> str:
    return response.content.decode()


# The new form -----------------------------------------------------------------------------


def test_an_editor_registers_a_cadre_and_is_invited_to_add_the_family(client, staff, unit_a):
    client.force_login(staff)
    page = client.get(NEW)
    assert page.status_code == 200
    assert page.context["form"]["unit"].value() == unit_a.pk  # their own unit, preselected
    response = client.post(NEW, new_data(unit_a))
    cadre = Cadre.objects.get(name="赵建国")
    assert response.status_code == 302 and response.url == cadre.get_absolute_url()
    assert (cadre.unit, cadre.status, cadre.name_initials) == (
        unit_a,
        CadreStatus.ON_REGISTER,
        "zjg",
    )
    assert cadre.history.get().history_user == staff
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "赵建国" in message and "家属" in message
    assert reverse("cadres:family_new", args=[cadre.pk]) in message  # a link, not escaped
    detail = text(client.get(cadre.get_absolute_url()))
    family_new = reverse("cadres:family_new", args=[cadre.pk])
    assert f'<a class="alert-link" href="{family_new}">添加家属联系人</a>' in detail


def test_the_new_form_has_the_edit_forms_sections(client, staff, unit_a):
    client.force_login(staff)
    page = text(client.get(NEW))
    for section in ("基本情况", "离退休信息", "联系方式", "身体状况", "兴趣特长", "当前需求与跟进"):
        assert section in page
    assert 'name="confirm_not_duplicate"' not in page  # nothing to confirm yet


def test_the_unit_is_one_of_the_users_units(client, staff, unit_a, unit_a_child, unit_b):
    client.force_login(staff)
    units = set(client.get(NEW).context["form"].fields["unit"].queryset)
    assert units == {unit_a, unit_a_child}
    response = client.post(NEW, new_data(unit_b))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Cadre.objects.exists()
    assert client.post(NEW, new_data(unit_a_child)).status_code == 302


def test_the_registry_offers_the_new_form_to_editors_only(client, staff, unit_a):
    client.force_login(staff)
    assert NEW in text(client.get(reverse("cadres:registry")))
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    client.force_login(secretary)
    assert NEW not in text(client.get(reverse("cadres:registry")))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_data(unit_a)).status_code == 403
    assert not Cadre.objects.exists()


def test_bad_values_re_render_and_save_nothing(client, staff, unit_a):
    client.force_login(staff)
    number = make_id_number(BIRTH, male=True)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client.post(NEW, new_data(unit_a, id_number=bad, birth_date="2099-01-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "id_number" in errors and "birth_date" in errors
    assert not Cadre.objects.exists()


# The same ID number ---------------------------------------------------------------------


def test_the_same_id_number_is_refused_naming_a_cadre_of_ones_own_units(client, staff, unit_a):
    existing = CadreFactory(unit=unit_a, name="钱老", birth_date=BIRTH)
    client.force_login(staff)
    response = client.post(NEW, new_data(unit_a, id_number=existing.id_number.lower(), name="钱某"))
    assert response.status_code == 200
    [error] = response.context["form"].errors["id_number"]
    assert "钱老" in error and unit_a.name in error
    assert existing.get_absolute_url() in text(response)
    assert Cadre.objects.count() == 1


def test_the_same_id_number_of_another_unit_is_refused_without_naming_it(
    client, staff, unit_a, unit_b
):
    existing = CadreFactory(unit=unit_b, name="孙老", birth_date=BIRTH)
    client.force_login(staff)
    response = client.post(NEW, new_data(unit_a, id_number=existing.id_number, name="孙某"))
    assert response.status_code == 200
    [error] = response.context["form"].errors["id_number"]
    assert "已在台账中" in error and "不在您的管辖范围内" in error
    page = text(response)
    assert "孙老" not in page and unit_b.name not in page
    assert existing.get_absolute_url() not in page
    assert Cadre.objects.count() == 1


def test_the_edit_form_refuses_another_cadres_id_number(client, staff, unit_a, unit_b):
    mine = CadreFactory(unit=unit_a, birth_date=BIRTH)
    theirs = CadreFactory(unit=unit_b, name="李老", birth_date=BIRTH)
    client.force_login(staff)
    response = client.post(
        reverse("cadres:edit", args=[mine.pk]), form_data(mine, id_number=theirs.id_number)
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["id_number"]
    assert "已在台账中" in error and "李老" not in error
    number = mine.id_number
    mine.refresh_from_db()
    assert mine.id_number == number


# The same name and date of birth --------------------------------------------------------


def test_a_namesake_needs_a_confirmation_in_the_new_form(client, staff, unit_a):
    existing = CadreFactory(
        unit=unit_a,
        name="赵建国",
        birth_date=BIRTH,
        male=True,
        status=CadreStatus.DECEASED,
        died_on=datetime.date(2020, 1, 1),
    )
    client.force_login(staff)
    # "赵 建国": spaces (and full-width forms) do not make another name.
    data = new_data(unit_a, name="赵 建国")
    warned = client.post(NEW, data)
    assert warned.status_code == 200
    form = warned.context["form"]
    assert list(form.errors) == [CONFIRM]
    page = text(warned)
    assert 'id="namesake-warning"' in page and "确认不是同一人，仍然保存" in page
    assert existing.get_absolute_url() in page and "已故" in page  # any status
    assert 'type="checkbox" name="confirm_not_duplicate"' in page
    assert Cadre.objects.count() == 1
    saved = client.post(NEW, {**data, CONFIRM: "on"})
    assert saved.status_code == 302
    assert Cadre.objects.filter(birth_date=BIRTH).count() == 2


def test_a_namesake_of_another_unit_is_not_named(client, staff, unit_a, unit_b):
    CadreFactory(unit=unit_b, name="赵建国", birth_date=BIRTH)
    client.force_login(staff)
    warned = client.post(NEW, new_data(unit_a))
    assert warned.status_code == 200
    [line] = warned.context["form"].namesake_warning
    assert "不在您的管辖范围内" in line
    page = text(warned)
    assert unit_b.name not in page and "/cadres/" not in line
    assert client.post(NEW, {**new_data(unit_a), CONFIRM: "on"}).status_code == 302


def test_bureau_staff_see_every_namesake_named(client, bureau_staff, unit_a, unit_b):
    first = CadreFactory(unit=unit_a, name="赵建国", birth_date=BIRTH)
    second = CadreFactory(unit=unit_b, name="赵建国", birth_date=BIRTH)
    client.force_login(bureau_staff)
    page = text(client.post(NEW, new_data(unit_a)))
    assert first.get_absolute_url() in page and second.get_absolute_url() in page
    assert "不在您的管辖范围内" not in page


def test_another_name_or_birth_date_is_no_namesake(client, staff, unit_a):
    CadreFactory(unit=unit_a, name="赵建国", birth_date=BIRTH.replace(day=2))
    CadreFactory(unit=unit_a, name="赵建民", birth_date=BIRTH)
    client.force_login(staff)
    assert client.post(NEW, new_data(unit_a)).status_code == 302


def test_the_edit_form_warns_when_the_name_or_birth_date_changes(client, staff, unit_a):
    CadreFactory(unit=unit_a, name="周明", birth_date=BIRTH)
    cadre = CadreFactory(unit=unit_a, name="周敏", birth_date=BIRTH)
    url = reverse("cadres:edit", args=[cadre.pk])
    client.force_login(staff)
    # Unchanged name and date: no warning, even if an old namesake were there.
    assert client.post(url, form_data(cadre, phone="1")).status_code == 302
    warned = client.post(url, form_data(cadre, name="周明"))
    assert warned.status_code == 200 and list(warned.context["form"].errors) == [CONFIRM]
    cadre.refresh_from_db()
    assert cadre.name == "周敏"
    assert client.post(url, form_data(cadre, name="周明", **{CONFIRM: "on"})).status_code == 302
    cadre.refresh_from_db()
    assert cadre.name == "周明"
    # The confirmation is no field of the record: saving again asks nothing.
    assert client.post(url, form_data(cadre, phone="2")).status_code == 302


def test_the_edit_form_does_not_count_the_record_itself(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a, name="吴刚", birth_date=BIRTH)
    client.force_login(staff)
    response = client.post(reverse("cadres:edit", args=[cadre.pk]), form_data(cadre, name="吴 刚"))
    assert response.status_code == 302


def test_the_checks_read_the_whole_registry_in_constant_queries(staff, unit_a, unit_b):
    def count(n):
        for _ in range(n):
            CadreFactory(unit=unit_a, name="郑和平", birth_date=BIRTH)
            CadreFactory(unit=unit_b, name="郑和平", birth_date=BIRTH)
            CadreFactory(unit=unit_a, name="郑和", birth_date=BIRTH)
        with CaptureQueriesContext(connection) as queries:
            found = duplicates.namesakes(user=staff, name="郑和平", birth_date=BIRTH)
        return len(queries), found

    duplicates.namesakes(user=staff, name="郑和平", birth_date=BIRTH)  # the unit tree, cached
    few, found = count(1)
    assert (len(found.visible), found.hidden) == (1, 1)
    many, found = count(6)
    assert (len(found.visible), found.hidden) == (7, 7)
    assert many == few


def test_new_form_queries_do_not_grow_with_namesakes_units_or_staff(client, staff, unit_a):
    client.force_login(staff)
    CadreFactory(unit=unit_a, name="赵建国", birth_date=BIRTH)
    client.get(NEW)
    with CaptureQueriesContext(connection) as few_get:
        client.get(NEW)
    with CaptureQueriesContext(connection) as few_post:
        assert client.post(NEW, new_data(unit_a)).status_code == 200
    for _ in range(8):
        CadreFactory(unit=unit_a, name="赵建国", birth_date=BIRTH)
        UserFactory(unit=unit_a)
    with CaptureQueriesContext(connection) as many_get:
        client.get(NEW)
    with CaptureQueriesContext(connection) as many_post:
        response = client.post(NEW, new_data(unit_a))
    assert len(response.context["form"].namesake_warning) == 1
    assert len(many_get) == len(few_get)
    assert len(many_post) == len(few_post)


# Admin ----------------------------------------------------------------------------------


def admin_data(unit, **changes) -> dict:
    data = {
        **new_data(unit),
        "status": "active",
        "family_contacts-TOTAL_FORMS": "0",
        "family_contacts-INITIAL_FORMS": "0",
        "family_contacts-MIN_NUM_FORMS": "0",
        "family_contacts-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    data.update(changes)
    return data


ADMIN_ADD = reverse("admin:cadres_cadre_add")


def test_admin_asks_the_same_confirmation(client, superuser, unit_a):
    existing = CadreFactory(unit=unit_a, name="赵建国", birth_date=BIRTH)
    client.force_login(superuser)
    page = text(client.get(ADMIN_ADD))
    assert 'type="hidden" name="confirm_not_duplicate"' in page
    warned = client.post(ADMIN_ADD, admin_data(unit_a))
    assert warned.status_code == 200
    assert list(warned.context["adminform"].form.errors) == [CONFIRM]
    page = text(warned)
    assert 'type="checkbox" name="confirm_not_duplicate"' in page
    assert "确认不是同一人，仍然保存" in page and existing.get_absolute_url() in page
    assert Cadre.objects.count() == 1
    saved = client.post(ADMIN_ADD, admin_data(unit_a, **{CONFIRM: "on"}))
    assert saved.status_code == 302
    assert Cadre.objects.count() == 2


def test_admin_change_warns_when_the_name_changes(client, superuser, unit_a):
    CadreFactory(unit=unit_a, name="周明", birth_date=BIRTH)
    cadre = CadreFactory(unit=unit_a, name="周敏", birth_date=BIRTH)
    url = reverse("admin:cadres_cadre_change", args=[cadre.pk])
    client.force_login(superuser)
    data = admin_data(unit_a, name="周明", id_number="", gender=cadre.gender)
    data.update(
        retirement_date=cadre.retirement_date.isoformat(),
        party_joined_on=cadre.party_joined_on.isoformat(),
    )
    warned = client.post(url, data)
    assert warned.status_code == 200
    assert list(warned.context["adminform"].form.errors) == [CONFIRM]
    assert client.post(url, {**data, CONFIRM: "on"}).status_code == 302
    cadre.refresh_from_db()
    assert cadre.name == "周明"


def test_admin_refuses_the_same_id_number_within_the_users_scope(
    client, unit_staff_admin, unit_a, unit_b
):
    theirs = CadreFactory(unit=unit_b, name="孙老", birth_date=BIRTH)
    CadreFactory(unit=unit_b, name="赵建国", birth_date=BIRTH)
    client.force_login(unit_staff_admin)
    refused = client.post(ADMIN_ADD, admin_data(unit_a, id_number=theirs.id_number))
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "已在台账中" in errors["id_number"][0]
    page = text(refused)
    assert "孙老" not in page and unit_b.name not in page
    assert "不在您的管辖范围内" in errors[CONFIRM][0]
    assert Cadre.objects.count() == 2
