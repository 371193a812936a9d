import datetime

import pytest
from django.urls import reverse

from cadres.models import CareNeed
from tests.factories import CadreFactory, CareNeedFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def test_record_assign_and_resolve_a_need(client, staff, unit_a):
    cadre = CadreFactory(name="张三", unit=unit_a)
    colleague = UserFactory(unit=unit_a, full_name="同事乙")
    client.force_login(staff)
    today = datetime.date.today()
    response = client.post(
        reverse("cadres:need_new"),
        {
            "cadre": cadre.pk,
            "raised_on": today.isoformat(),
            "channel": "phone",
            "category": "medical",
            "description": "需要陪同就医",
            "due_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    need = CareNeed.objects.get(cadre=cadre)
    assert need.status == CareNeed.Status.OPEN
    client.post(reverse("cadres:need_assign", args=[need.pk]), {"assignee": colleague.pk})
    need.refresh_from_db()
    assert (need.status, need.assignee) == (CareNeed.Status.IN_PROGRESS, colleague)
    empty = client.post(reverse("cadres:need_resolve", args=[need.pk]), {"resolution": ""})
    assert empty.status_code == 200 and "resolution" in empty.context["form"].errors
    done = client.post(
        reverse("cadres:need_resolve", args=[need.pk]),
        {"resolution": "已联系医院并陪同就诊", "resolved_on": today.isoformat()},
    )
    assert done.status_code == 302
    need.refresh_from_db()
    assert need.status == CareNeed.Status.RESOLVED and need.history.count() == 3


def test_a_due_date_before_raised_is_refused_in_chinese(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = client.post(
        reverse("cadres:need_new"),
        {
            "cadre": cadre.pk,
            "raised_on": "2026-05-10",
            "channel": "letter",
            "category": "housing",
            "description": "房屋漏水",
            "due_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert "早于" in str(response.context["form"].errors)
    assert not CareNeed.objects.exists()


def test_list_by_status_and_past_due(client, staff, unit_a, unit_b):
    late = CareNeedFactory(cadre=CadreFactory(unit=unit_a), due_on=datetime.date(2026, 5, 5))
    CareNeedFactory(cadre=CadreFactory(unit=unit_a), due_on=datetime.date(2999, 1, 1))
    CareNeedFactory(cadre=CadreFactory(unit=unit_b), due_on=datetime.date(2026, 5, 5))
    client.force_login(staff)
    assert len(client.get(reverse("cadres:needs")).context["page"]) == 2
    overdue = client.get(reverse("cadres:needs"), {"overdue": "1"}).context["page"]
    assert list(overdue) == [late]
