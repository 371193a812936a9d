"""Editing a cadre on the staff site, the record's history tab and its timeline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cadres.models import Cadre, Health
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    HonourFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, full_name="王干事")


def form_data(cadre: Cadre, **changes) -> dict:
    data = {
        name: getattr(cadre, name)
        for name in (
            "name",
            "gender",
            "ethnicity",
            "retirement_kind",
            "former_employer",
            "former_post",
            "rank",
            "political_status",
            "phone",
            "residential_community",
            "address",
            "health",
            "health_notes",
            "living_situation",
            "hardship",
            "hardship_notes",
            "hobbies",
            "learning_activities",
            "current_needs",
            "notes",
        )
    }
    data.update(
        birth_date=cadre.birth_date.isoformat(),
        id_number=cadre.id_number,
        unit=cadre.unit_id,
        liaison=cadre.liaison_id or "",
        retirement_date=cadre.retirement_date.isoformat() if cadre.retirement_date else "",
        party_joined_on=cadre.party_joined_on.isoformat() if cadre.party_joined_on else "",
        health_changed_on=cadre.health_changed_on.isoformat() if cadre.health_changed_on else "",
    )
    if cadre.celebrates_lunar_birthday:
        data["celebrates_lunar_birthday"] = "on"
    data.update(changes)
    return data


def test_editing_saves_the_changes_and_records_who_changed_what(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a, health=Health.GOOD, phone="13800000000")
    client.force_login(staff)
    url = reverse("cadres:edit", args=[cadre.pk])
    response = client.post(
        url, form_data(cadre, phone="13911112222", health=Health.IN_HOSPITAL, name="李 四")
    )
    assert response.status_code == 302, response.context["form"].errors
    cadre.refresh_from_db()
    assert cadre.phone == "13911112222" and cadre.name == "李 四"
    assert cadre.name_initials == "ls"  # derived fields follow the service
    assert cadre.health_changed_on == datetime.date.today()
    latest = cadre.history.first()
    assert latest.history_user == staff
    history = client.get(reverse("cadres:history", args=[cadre.pk])).content.decode()
    assert "13800000000" in history and "13911112222" in history and "王干事" in history


def test_a_bad_id_number_re_renders_with_a_chinese_message_and_saves_nothing(
    client, unit_a, bureau
):
    bureau_staff = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)
    cadre = CadreFactory(unit=unit_a)
    before = cadre.id_number
    client.force_login(bureau_staff)
    bad = before[:-1] + ("0" if before[-1] != "0" else "1")
    response = client.post(reverse("cadres:edit", args=[cadre.pk]), form_data(cadre, id_number=bad))
    assert response.status_code == 200
    assert "校验码" in response.content.decode() or "身份证" in response.content.decode()
    cadre.refresh_from_db()
    assert cadre.id_number == before


def test_unit_staff_write_the_id_number_but_never_read_it(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a, phone="1")
    old_number = cadre.id_number
    client.force_login(staff)
    url = reverse("cadres:edit", args=[cadre.pk])
    page = client.get(url).content.decode()
    assert old_number not in page and cadre.masked_id_number in page
    # Left empty, the number on record is kept.
    client.post(url, form_data(cadre, id_number="", phone="2"))
    cadre.refresh_from_db()
    assert cadre.phone == "2" and cadre.id_number == old_number
    # Nor does the history show it, before or after.
    history = client.get(reverse("cadres:history", args=[cadre.pk])).content.decode()
    assert old_number not in history


def test_a_unit_of_another_branch_of_the_tree_cannot_be_chosen(client, staff, unit_a, unit_b):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = client.post(
        reverse("cadres:edit", args=[cadre.pk]), form_data(cadre, unit=unit_b.pk)
    )
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    cadre.refresh_from_db()
    assert cadre.unit == unit_a


def test_the_timeline_shows_visits_needs_roles_activities_and_honours(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 1, 20))
    CareNeedFactory(cadre=cadre, raised_on=datetime.date(2026, 3, 2), description="修缮屋顶")
    BranchRoleFactory(
        cadre=cadre,
        branch=PartyBranchFactory(unit=unit_a, name="教育局退休第一支部"),
        started_on=datetime.date(2024, 5, 1),
    )
    AttendanceFactory(cadre=cadre, activity=ActivityFactory(title="重阳登高", unit=unit_a))
    HonourFactory(cadre=cadre, title="优秀共产党员", year=2023)
    client.force_login(staff)
    response = client.get(cadre.get_absolute_url())
    timeline = response.context["timeline"]
    texts = " ".join(entry.text for entry in timeline)
    for expected in ("修缮屋顶", "教育局退休第一支部", "重阳登高", "优秀共产党员"):
        assert expected in texts
    days = [entry.day for entry in timeline]
    assert days == sorted(days, reverse=True)
    assert len({entry.kind for entry in timeline}) == 5


def test_cadre_page_and_history_queries_do_not_grow_with_rows(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    urls = [cadre.get_absolute_url(), reverse("cadres:history", args=[cadre.pk])]
    VisitFactory(cadre=cadre)
    CareNeedFactory(cadre=cadre)
    AttendanceFactory(cadre=cadre, activity=ActivityFactory(unit=unit_a))
    HonourFactory(cadre=cadre, year=1999)
    BranchRoleFactory(cadre=cadre, branch=PartyBranchFactory(unit=unit_a))
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts.append(len(few))
    for day in range(1, 16):
        VisitFactory(cadre=cadre, visited_on=datetime.date(2025, 1, day))
        CareNeedFactory(cadre=cadre)
        AttendanceFactory(cadre=cadre, activity=ActivityFactory(unit=unit_a))
        HonourFactory(cadre=cadre, year=2000 + day)
        BranchRoleFactory(
            cadre=cadre,
            branch=PartyBranchFactory(unit=unit_a),
            started_on=datetime.date(2020, 1, day),
            ended_on=datetime.date(2020, 2, day),
        )
        Cadre.objects.get(pk=cadre.pk).save()  # a history row each time
        cadre.phone = f"1390000{day:04d}"
        cadre.save()
    for url, count in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == count, url


def test_a_record_without_history_rows_shows_an_empty_history(client, staff, unit_a):
    # Bulk-loaded records (the demo registry, imports) may have no history row yet.
    cadre = CadreFactory(unit=unit_a)
    cadre.history.all().delete()
    client.force_login(staff)
    response = client.get(reverse("cadres:history", args=[cadre.pk]))
    assert response.status_code == 200 and response.context["entries"] == []
