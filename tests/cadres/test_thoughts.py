"""谈心谈话 and its private note (思想动态): the note is read and written by bureau
staff, administrators and the cadre's liaison only — on the visit's page and forms, in
admin, in exports and never in a history — while everyone who reads the visit sees that
it was a heart-to-heart talk."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.scoping import can_read_thoughts
from branches.models import BranchRole
from cadres.models import Visit, VisitOccasion
from cadres.visit_services import visit_record, visit_update
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
SECRET = "担心孙子升学压力大"
ROLES = ["liaison", "bureau", "admin", "colleague", "secretary"]
READERS = {"liaison", "bureau", "admin"}


@pytest.fixture
def people(unit_a, bureau):
    liaison = UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF, full_name="联络员甲")
    cadre = CadreFactory(unit=unit_a, name="谈心对象", liaison=liaison)
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=unit_a)
    BranchRoleFactory(branch=branch, cadre=cadre)
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(unit=unit_a, account=secretary),
        role=BranchRole.Role.SECRETARY,
    )
    return {
        "cadre": cadre,
        "liaison": liaison,
        "bureau": UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF),
        "admin": User.objects.create_superuser("root", "r@example.com", "pw-x-12345"),
        "colleague": UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF),
        "secretary": secretary,
    }


@pytest.fixture
def talk(people):
    return VisitFactory(
        cadre=people["cadre"],
        heart_to_heart=True,
        thoughts=SECRET,
        notes="谈心谈话，情绪稳定",
        visited_on=datetime.date(2026, 3, 10),
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_rule(people, role):
    assert can_read_thoughts(user=people[role], cadre=people["cadre"]) is (role in READERS)


def test_a_secretary_who_is_liaison_still_does_not_read(people):
    people["cadre"].liaison = people["secretary"]
    assert not can_read_thoughts(user=people["secretary"], cadre=people["cadre"])


@pytest.mark.parametrize("role", ROLES)
def test_visit_page_shows_the_badge_to_all_and_the_note_to_readers(client, people, talk, role):
    client.force_login(people[role])
    page = client.get(reverse("cadres:visit_detail", args=[talk.pk])).content.decode()
    assert "data-heart-to-heart" in page
    assert (SECRET in page) is (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_cadre_page_show_the_badge_never_the_note(client, people, talk, role):
    client.force_login(people[role])
    for url in (
        reverse("cadres:visits"),
        reverse("cadres:detail", args=[people["cadre"].pk]),
        reverse("cadres:visit_history", args=[talk.pk]),
    ):
        page = client.get(url).content.decode()
        assert SECRET not in page, url
    assert "data-heart-to-heart" in client.get(reverse("cadres:visits")).content.decode()


def test_the_history_never_holds_the_note(client, people, talk):
    visit_update(visit=talk, by=people["liaison"], thoughts="新的思想动态")
    assert not hasattr(talk.history.model, "thoughts")
    client.force_login(people["admin"])
    page = client.get(reverse("cadres:visit_history", args=[talk.pk])).content.decode()
    assert "新的思想动态" not in page and SECRET not in page


def test_planned_talks_carry_the_badge_on_the_to_do_list(client, people):
    VisitFactory(
        cadre=people["cadre"],
        heart_to_heart=True,
        status=Visit.Status.PLANNED,
        visited_on=None,
        due_on=datetime.date.today(),
    )
    client.force_login(people["colleague"])
    assert "data-heart-to-heart" in client.get(reverse("cadres:visit_todo")).content.decode()


@pytest.mark.parametrize("role", ["liaison", "bureau", "colleague"])
def test_edit_form_offers_the_note_to_readers_only(client, people, talk, role):
    client.force_login(people[role])
    url = reverse("cadres:visit_edit", args=[talk.pk])
    page = client.get(url).content.decode()
    assert ('name="thoughts"' in page) is (role in READERS)
    assert (SECRET in page) is (role in READERS)
    data = {
        "occasion": talk.occasion_id,
        "visited_on": "2026-03-10",
        "mode": "home",
        "condolence_money": "0",
        "gifts_value": "0",
        "notes": "谈心谈话，情绪稳定",
        "heart_to_heart": "on",
        "thoughts": "改写的内容",
    }
    assert client.post(url, data).status_code == 302
    talk.refresh_from_db()
    assert talk.thoughts == ("改写的内容" if role in READERS else SECRET)


def test_new_visit_form_refuses_a_note_on_a_cadre_one_is_not_liaison_of(client, people, unit_a):
    other = CadreFactory(unit=unit_a)
    client.force_login(people["liaison"])
    form = {
        "cadre": other.pk,
        "occasion": VisitOccasion.objects.get(code="routine").pk,
        "status": "done",
        "visited_on": "2026-03-10",
        "mode": "home",
        "condolence_money": "0",
        "gifts_value": "0",
        "heart_to_heart": "on",
        "thoughts": "不该写",
    }
    response = client.post(reverse("cadres:visit_new"), form)
    assert response.status_code == 200 and not Visit.objects.filter(cadre=other).exists()
    response = client.post(reverse("cadres:visit_new"), {**form, "cadre": people["cadre"].pk})
    assert response.status_code == 302
    assert Visit.objects.get(cadre=people["cadre"]).thoughts == "不该写"
    # A colleague who is nobody's liaison is not offered the note at all.
    client.force_login(people["colleague"])
    assert 'name="thoughts"' not in client.get(reverse("cadres:visit_new")).content.decode()


def test_a_note_needs_the_talk_ticked(client, people):
    client.force_login(people["liaison"])
    response = client.post(
        reverse("cadres:visit_new"),
        {
            "cadre": people["cadre"].pk,
            "occasion": VisitOccasion.objects.get(code="routine").pk,
            "status": "done",
            "visited_on": "2026-03-10",
            "mode": "home",
            "condolence_money": "0",
            "gifts_value": "0",
            "thoughts": "没勾选谈心谈话",
        },
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_services_refuse_the_note_from_others(people, talk):
    with pytest.raises(ValidationError) as error:
        visit_update(visit=talk, by=people["colleague"], thoughts="越权")
    assert "thoughts" in error.value.message_dict
    with pytest.raises(ValidationError):
        visit_record(
            by=people["colleague"],
            cadre=people["cadre"],
            occasion=VisitOccasion.objects.get(code="routine"),
            visited_on=datetime.date(2026, 3, 11),
            heart_to_heart=True,
            thoughts="越权",
        )
    talk.refresh_from_db()
    assert talk.thoughts == SECRET


def _admin_login(client, user):
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="cadres"))
    client.force_login(user)


@pytest.mark.parametrize("role", ["liaison", "colleague", "bureau", "admin"])
def test_admin_shows_and_takes_the_note_from_readers_only(client, people, talk, role):
    _admin_login(client, people[role])
    change_url = reverse("admin:cadres_visit_change", args=[talk.pk])
    change = client.get(change_url).content.decode()
    assert (SECRET in change) is (role in READERS)
    assert ('name="thoughts"' in change) is (role in READERS)
    listing = client.get(reverse("admin:cadres_visit_changelist")).content.decode()
    assert SECRET not in listing
    history = client.get(reverse("admin:cadres_visit_history", args=[talk.pk])).content.decode()
    assert SECRET not in history
    record = talk.history.latest()
    version = client.get(
        reverse("admin:cadres_visit_simple_history", args=[talk.pk, record.history_id])
    )
    # A past version shows the note only to those who read it anyway.
    assert (SECRET in version.content.decode()) <= (role in READERS)
    add = client.get(reverse("admin:cadres_visit_add")).content.decode()
    assert ('name="thoughts"' in add) is (role in {"bureau", "admin"})


def _export(client, user) -> list[list]:
    client.force_login(user)
    response = client.post(
        reverse("reports:export_visits"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("role", ROLES)
def test_export_carries_the_talk_and_the_note_only_for_readers(client, people, talk, role):
    rows = _export(client, people[role])
    assert rows[0][-2:] == ["谈心谈话", "思想动态"]
    assert rows[1][-2] == "是"
    assert (rows[1][-1] == SECRET) is (role in READERS)
    assert all(SECRET not in str(cell) for cell in rows[1][:-1])


def test_the_cadre_timeline_marks_the_talk(client, people):
    VisitFactory(cadre=people["cadre"], heart_to_heart=True, thoughts=SECRET)
    client.force_login(people["colleague"])
    page = client.get(reverse("cadres:detail", args=[people["cadre"].pk])).content.decode()
    assert "谈心谈话" in page and SECRET not in page
