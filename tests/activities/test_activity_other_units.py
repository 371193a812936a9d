"""Other units' activities in which one's own cadres took part: read-only, listed and in
the calendar; other units' activities without them still not found."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from activities.models import Attendance
from tests.activities import activity_pages
from tests.activities.activity_pages import CALENDAR, LIST, at, check_in
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CadreFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = activity_pages.staff


def test_unit_staff_read_another_units_activity_their_cadre_attended(client, staff, unit_a, unit_b):
    """The cadre page's timeline links to every activity the cadre attended: another
    unit's opens read-only, with only the viewer's own cadres on it."""
    mine = CadreFactory(unit=unit_a, name="本单位甲")
    stranger = CadreFactory(unit=unit_b, name="外单位乙")
    activity = ActivityFactory(unit=unit_b, title="财政局书画展", team=TeamFactory(unit=unit_b))
    AttendanceFactory(activity=activity, cadre=mine, status="attended", volunteer_hours=2)
    AttendanceFactory(activity=activity, cadre=stranger, status="attended")
    client.force_login(staff)
    timeline = client.get(mine.get_absolute_url()).content.decode()
    assert activity.get_absolute_url() in timeline
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    assert response.context["form"] is None and not response.context["can_edit"]
    assert [row.cadre for row in response.context["attendances"]] == [mine]
    body = response.content.decode()
    assert "其他单位组织" in body and "外单位乙" not in body
    # No way to change it: no edit, history, team or admin links; the check-in refused.
    for url in (
        reverse("activities:edit", args=[activity.pk]),
        reverse("activities:history", args=[activity.pk]),
        activity.team.get_absolute_url(),
    ):
        assert url not in body
        assert client.get(url).status_code == 404
    assert check_in(client, activity, {mine: (False, "")}).status_code == 403
    assert Attendance.objects.get(cadre=mine).status == "attended"


def test_another_units_activity_without_ones_cadres_is_still_not_found(
    client, staff, unit_a, unit_b
):
    attended_by_others = ActivityFactory(unit=unit_b)
    AttendanceFactory(activity=attended_by_others, cadre=CadreFactory(unit=unit_b))
    client.force_login(staff)
    assert client.get(attended_by_others.get_absolute_url()).status_code == 404
    assert client.get(ActivityFactory(unit=unit_b).get_absolute_url()).status_code == 404


def test_list_and_calendar_include_other_units_activities_of_ones_cadres(
    client, staff, unit_a, unit_b
):
    mine = CadreFactory(unit=unit_a)
    ActivityFactory(unit=unit_a, title="本单位活动", starts_at=at(2026, 5, 4))
    visited = ActivityFactory(unit=unit_b, title="外单位活动", starts_at=at(2026, 5, 5))
    AttendanceFactory(activity=visited, cadre=mine, status="attended", volunteer_hours=3)
    for _ in range(2):
        AttendanceFactory(activity=visited, cadre=CadreFactory(unit=unit_b), status="attended")
    ActivityFactory(unit=unit_b, title="无关活动", starts_at=at(2026, 5, 6))
    client.force_login(staff)
    response = client.get(LIST)
    rows = {row.title: row for row in response.context["page"]}
    assert set(rows) == {"本单位活动", "外单位活动"}
    assert rows["本单位活动"].is_own and not rows["外单位活动"].is_own
    # Another unit's activity counts the viewer's cadres only, as its page lists them.
    assert (rows["外单位活动"].attended_count, rows["外单位活动"].listed_count) == (1, 1)
    assert rows["外单位活动"].hours_total == Decimal("3")
    assert response.content.decode().count("其他单位组织") == 1
    month = client.get(CALENDAR, {"month": "2026-05"}).content.decode()
    assert "外单位活动" in month and "无关活动" not in month
    # Bureau staff see everything, all their own.
    client.force_login(UserFactory(unit=unit_a.parent, role=User.Role.BUREAU_STAFF))
    everything = client.get(LIST).context["page"]
    assert len(everything) == 3 and all(row.is_own for row in everything)
    assert everything[1].listed_count == 3


def test_list_query_count_with_other_units_activities(client, staff, unit_a, unit_b):
    client.force_login(staff)
    AttendanceFactory(activity=ActivityFactory(unit=unit_b), cadre=CadreFactory(unit=unit_a))
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(10):
        activity = ActivityFactory(unit=unit_b, team=TeamFactory(unit=unit_b))
        AttendanceFactory(activity=activity, cadre=CadreFactory(unit=unit_a))
        AttendanceFactory(activity=activity)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"]) == 11
    assert len(many) == len(few)
