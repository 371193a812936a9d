import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from cadres.models import CadreStatus, Visit, VisitOccasion
from reminders.rules import due_items_by_recipient
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, full_name="工作人员甲")


def post_visit(client, cadre, **overrides):
    data = {
        "cadre": cadre.pk,
        "occasion": VisitOccasion.objects.get(code="routine").pk,
        "status": "done",
        "visited_on": datetime.date.today().isoformat(),
        "mode": "home",
        "condolence_money": "200",
        "leaders": "局长",
        "notes": "身体健康",
    }
    data.update(overrides)
    return client.post(reverse("cadres:visit_new"), data)


def test_recording_a_visit(client, staff, unit_a):
    cadre = CadreFactory(name="张三", unit=unit_a)
    client.force_login(staff)
    response = post_visit(client, cadre, visitors=[staff.pk])
    assert response.status_code == 302 and response.url == cadre.get_absolute_url()
    visit = Visit.objects.get(cadre=cadre)
    assert visit.recorded_by == staff and list(visit.visitors.all()) == [staff]
    assert visit.history.first().history_user == staff
    page = client.get(cadre.get_absolute_url()).content.decode()
    assert "已登记对 张三 的走访" in page and "日常走访" in page


def test_a_bad_visit_re_renders_with_chinese_messages(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = post_visit(client, cadre, visited_on=future, condolence_money="-5")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "未来" in str(errors["visited_on"]) and "condolence_money" in errors
    assert not Visit.objects.exists()


def test_another_units_cadre_cannot_be_visited_here(client, staff, unit_b):
    stranger = CadreFactory(unit=unit_b)
    client.force_login(staff)
    response = post_visit(client, stranger)
    assert response.status_code == 200 and "cadre" in response.context["form"].errors
    assert client.get(reverse("cadres:visit_new"), {"cadre": stranger.pk}).status_code == 404


def test_picker_searches_own_cadres_as_you_type(client, staff, unit_a, unit_b):
    CadreFactory(name="张三", unit=unit_a)
    CadreFactory(name="张四", unit=unit_b)
    client.force_login(staff)
    body = client.get(reverse("cadres:picker"), {"q": "zs"}).content.decode()
    assert "张三" in body and "张四" not in body


def test_branch_secretaries_read_their_members_but_do_not_record(client, unit_a):
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=unit_a)
    BranchRoleFactory(
        branch=branch, cadre=CadreFactory(unit=unit_a, account=secretary), role="secretary"
    )
    member = BranchRoleFactory(branch=branch, cadre=CadreFactory(unit=unit_a)).cadre
    outsider = CadreFactory(unit=unit_a)  # same unit, not in the branch
    client.force_login(secretary)
    assert client.get(member.get_absolute_url()).status_code == 200
    assert client.get(outsider.get_absolute_url()).status_code == 404
    assert post_visit(client, member).status_code == 403


def test_marking_deceased_plans_the_condolence_visit_and_stops_reminders(client, staff, unit_a):
    today = datetime.date.today()
    soon = today + datetime.timedelta(days=2)
    cadre = CadreFactory(unit=unit_a, liaison=staff, birth_date=soon.replace(year=soon.year - 80))
    planned = VisitFactory(cadre=cadre, status="planned", visited_on=None, due_on=soon)
    assert due_items_by_recipient(today)  # the birthday is due before
    client.force_login(staff)
    response = client.post(
        reverse("cadres:deceased", args=[cadre.pk]), {"died_on": today.isoformat()}
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.DECEASED and cadre.died_on == today
    condolence = Visit.objects.get(cadre=cadre, occasion__code="condolence")
    assert condolence.status == "planned" and condolence.due_on == today + datetime.timedelta(
        days=3
    )
    planned.refresh_from_db()
    assert planned.status == "cancelled" and planned.cancellation_reason
    # Birthdays stop; what remains to remind is the condolence visit to the family.
    [item] = due_items_by_recipient(today)[staff.pk]
    assert item.kind == "planned_visit" and item.details["visit_id"] == condolence.pk
    future = client.post(
        reverse("cadres:deceased", args=[cadre.pk]), {"died_on": today.isoformat()}
    )
    assert future.status_code == 404  # no longer on the register


def test_transfer_out(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    bad = client.post(
        reverse("cadres:transfer", args=[cadre.pk]), {"transferred_on": "", "transferred_to": ""}
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(
        reverse("cadres:transfer", args=[cadre.pk]),
        {"transferred_on": datetime.date.today().isoformat(), "transferred_to": "随子女迁居西安"},
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.TRANSFERRED and cadre.transferred_to == "随子女迁居西安"


def test_visit_list_filters_and_scope(client, staff, unit_a, unit_b):
    mine = VisitFactory(
        cadre=CadreFactory(name="张三", unit=unit_a), visited_on=datetime.date(2026, 3, 1)
    )
    VisitFactory(cadre=CadreFactory(name="李四", unit=unit_a), visited_on=datetime.date(2025, 3, 1))
    VisitFactory(cadre=CadreFactory(name="赵六", unit=unit_b), visited_on=datetime.date(2026, 3, 1))
    client.force_login(staff)
    response = client.get(reverse("cadres:visits"), {"date_from": "2026-01-01"})
    assert list(response.context["page"]) == [mine]


def test_the_form_can_start_from_a_holiday_occasion(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    occasion = VisitOccasion.objects.get(code="spring_festival")
    client.force_login(staff)
    response = client.get(reverse("cadres:visit_new"), {"cadre": cadre.pk, "occasion": occasion.pk})
    assert response.context["form"]["occasion"].value() == occasion.pk
