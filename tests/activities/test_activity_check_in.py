"""The activity page and its check-in: attendance, hours and a newcomer saved, bad input
re-rendered in Chinese, other units' cadres read-only, who may check in, and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Attendance
from tests.activities import activity_pages
from tests.activities.activity_pages import at, check_in
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CadreFactory,
    SuggestionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = activity_pages.staff
secretary = activity_pages.secretary


def test_activity_page_shows_the_check_in_form(client, staff, unit_a):
    activity = ActivityFactory(title="健康讲座", unit=unit_a)
    attendance = AttendanceFactory(activity=activity, cadre=CadreFactory(name="王五", unit=unit_a))
    SuggestionFactory(cadre=attendance.cadre, activity=activity, title="多办讲座")
    client.force_login(staff)
    body = client.get(activity.get_absolute_url()).content.decode()
    assert "王五" in body and "多办讲座" in body
    cadre_id = attendance.cadre_id
    assert f'id="attended-{cadre_id}"' in body and f'name="hours-{cadre_id}"' in body
    assert 'id="save-check-in"' in body and "cadre-picker.js" in body


def test_check_in_saves_attendance_hours_and_a_newcomer(client, staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=at(2026, 1, 5))
    came = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    absent = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    newcomer = CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = check_in(
        client,
        activity,
        {came: (True, "2.5"), absent: (False, "")},
        cadre=newcomer.pk,
        new_attended="on",
        new_hours="1",
    )
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    statuses = dict(activity.attendances.values_list("cadre_id", "status"))
    assert statuses == {came.pk: "attended", absent.pk: "absent", newcomer.pk: "attended"}
    assert activity.attendances.get(cadre=came).volunteer_hours == Decimal("2.5")
    page = client.get(response.url)
    assert [m.level_tag for m in page.context["messages"]] == ["success"]
    assert page.context["attended_count"] == 2 and page.context["hours_total"] == Decimal("3.5")


def test_bad_check_in_re_renders_in_chinese_and_saves_nothing(client, staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=at(2026, 1, 5))
    first = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    second = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    client.force_login(staff)
    response = check_in(client, activity, {first: (True, "2"), second: (False, "3")})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "只有出席人员才能登记志愿服务时长" in str(errors[f"hours-{second.pk}"])
    response = check_in(client, activity, {first: (True, "25"), second: (True, "1")})
    assert "确保该值小于或等于24" in response.content.decode()
    assert not activity.attendances.exclude(status="registered").exists()


def test_check_in_refuses_a_cadre_of_another_unit_or_one_already_listed(
    client, staff, unit_a, unit_b
):
    activity = ActivityFactory(unit=unit_a)
    listed = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    client.force_login(staff)
    response = check_in(client, activity, {}, cadre=CadreFactory(unit=unit_b).pk)
    assert "请通过搜索框选择" in str(response.context["form"].errors["cadre"])
    response = check_in(client, activity, {}, cadre=listed.pk, new_attended="on")
    assert "cadre" in response.context["form"].errors
    assert activity.attendances.count() == 1


def test_another_units_cadre_on_the_list_is_read_only(client, staff, unit_a, unit_b):
    """Unit staff changed another unit's cadre's hours on their activity's check-in: now
    that row is shown as text, and whatever is posted for it is ignored."""
    activity = ActivityFactory(unit=unit_a, starts_at=at(2026, 1, 5))
    mine = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    theirs = AttendanceFactory(
        activity=activity,
        cadre=CadreFactory(name="外单位赵六", unit=unit_b),
        status=Attendance.Status.ATTENDED,
        volunteer_hours=Decimal("2.5"),
    ).cadre
    client.force_login(staff)
    body = client.get(activity.get_absolute_url()).content.decode()
    assert "外单位赵六" in body and "2.5" in body
    assert f'name="attended-{mine.pk}"' in body
    assert f"attended-{theirs.pk}" not in body and f"hours-{theirs.pk}" not in body
    assert f'name="row" value="{theirs.pk}"' not in body
    assert reverse("cadres:detail", args=[theirs.pk]) not in body  # their page is not ours
    # A hand-made POST that changes their row too: ours is saved, theirs is left alone.
    response = check_in(client, activity, {mine: (True, "1"), theirs: (False, "")})
    assert response.status_code == 302
    response = check_in(client, activity, {theirs: (True, "9")})
    assert response.status_code == 302
    row = activity.attendances.get(cadre=theirs)
    assert (row.status, row.volunteer_hours) == ("attended", Decimal("2.5"))
    assert row.history.count() == 1
    assert activity.attendances.get(cadre=mine).volunteer_hours == Decimal("1")


def test_check_in_leaves_rows_not_on_the_submitted_page_alone(client, staff, unit_a):
    activity = ActivityFactory(unit=unit_a, starts_at=at(2026, 1, 5))
    shown = AttendanceFactory(activity=activity, cadre__unit=unit_a).cadre
    added_meanwhile = AttendanceFactory(
        activity=activity, cadre__unit=unit_a, status="attended"
    ).cadre
    client.force_login(staff)
    check_in(client, activity, {shown: (True, "")})
    assert activity.attendances.get(cadre=added_meanwhile).status == "attended"
    assert activity.attendances.get(cadre=shown).status == "attended"


def test_branch_secretaries_read_the_activity_but_do_not_check_in(client, secretary, unit_a):
    activity = ActivityFactory(unit=unit_a)
    cadre = AttendanceFactory(activity=activity).cadre
    client.force_login(secretary)
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200 and response.context["form"] is None
    assert check_in(client, activity, {cadre: (True, "")}).status_code == 403
    assert client.get(reverse("activities:new")).status_code == 403
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403


def test_another_units_activity_is_not_found(client, staff, unit_b):
    activity = ActivityFactory(unit=unit_b)
    client.force_login(staff)
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 404


def test_activity_page_query_count_does_not_grow_with_participants(client, staff, unit_a):
    activity = ActivityFactory(unit=unit_a, team=TeamFactory(unit=unit_a))
    AttendanceFactory(activity=activity, cadre__unit=unit_a)
    SuggestionFactory(activity=activity, cadre=CadreFactory(unit=unit_a))
    client.force_login(staff)
    client.get(activity.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(activity.get_absolute_url())
    for _ in range(20):
        AttendanceFactory(activity=activity, cadre=CadreFactory(unit=unit_a))
        SuggestionFactory(activity=activity, cadre=CadreFactory(unit=unit_a))
    with CaptureQueriesContext(connection) as many:
        response = client.get(activity.get_absolute_url())
    assert len(response.context["attendances"]) == 21
    assert len(many) == len(few)
