"""The activity list (attendance and hours per row, filters, search, pages) and the month
calendar, with query counts that do not grow with rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, Attendance
from tests.activities import activity_pages
from tests.activities.activity_pages import CALENDAR, LIST, at, titles
from tests.factories import ActivityFactory, AttendanceFactory, TeamFactory

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = activity_pages.staff


def test_list_shows_attendance_and_hours_per_row(client, staff, unit_a):
    activity = ActivityFactory(title="社区义诊", unit=unit_a, kind=Activity.Kind.VOLUNTEER)
    for hours in ("2.5", "3"):
        AttendanceFactory(
            activity=activity, status=Attendance.Status.ATTENDED, volunteer_hours=Decimal(hours)
        )
    AttendanceFactory(activity=activity, status=Attendance.Status.ABSENT)
    ActivityFactory(title="无人报名", unit=unit_a)
    client.force_login(staff)
    response = client.get(LIST)
    rows = {row.title: row for row in response.context["page"]}
    assert (rows["社区义诊"].attended_count, rows["社区义诊"].listed_count) == (2, 3)
    assert rows["社区义诊"].hours_total == Decimal("5.5")
    assert (rows["无人报名"].listed_count, rows["无人报名"].hours_total) == (0, 0)
    body = response.content.decode()
    assert "2 / 3" in body and "5.5" in body


def test_list_filters_and_search(client, staff, unit_a, unit_a_child, unit_b):
    team = TeamFactory(unit=unit_a)
    ActivityFactory(title="春节联欢", unit=unit_a, kind="festival", starts_at=at(2026, 2, 10))
    ActivityFactory(title="门球比赛", unit=unit_a_child, kind="sports", starts_at=at(2026, 5, 3))
    ActivityFactory(title="义务理发", unit=unit_a, team=team, starts_at=at(2026, 5, 31, 23))
    ActivityFactory(title="财政局活动", unit=unit_b)
    client.force_login(staff)
    assert sorted(titles(client.get(LIST))) == sorted(["春节联欢", "门球比赛", "义务理发"])
    assert titles(client.get(LIST, {"q": "门球"})) == ["门球比赛"]
    assert titles(client.get(LIST, {"kind": "festival"})) == ["春节联欢"]
    assert titles(client.get(LIST, {"unit": unit_a_child.pk})) == ["门球比赛"]
    assert titles(client.get(LIST, {"team": team.pk})) == ["义务理发"]
    # Dates are days in local time: 23:00 on 31 May counts for 31 May.
    in_may = client.get(LIST, {"date_from": "2026-05-01", "date_to": "2026-05-31"})
    assert titles(in_may) == ["义务理发", "门球比赛"]
    # Another unit is not a valid choice.
    assert "unit" in client.get(LIST, {"unit": unit_b.pk}).context["form"].errors


def test_list_is_paginated(client, staff, unit_a):
    for day in range(1, 32):
        ActivityFactory(unit=unit_a, starts_at=at(2026, 1, day))
    client.force_login(staff)
    assert len(client.get(LIST).context["page"]) == 30
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 1
    # The page links keep the search.
    body = client.get(LIST, {"q": "健康"}).content.decode()
    assert 'href="?q=%E5%81%A5%E5%BA%B7&amp;page=2"' in body


def test_list_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    AttendanceFactory(activity=ActivityFactory(unit=unit_a, team=TeamFactory(unit=unit_a)))
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(20):
        activity = ActivityFactory(unit=unit_a, team=TeamFactory(unit=unit_a))
        AttendanceFactory(activity=activity, status="attended", volunteer_hours=2)
        AttendanceFactory(activity=activity)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"]) == 21
    assert len(many) == len(few)


# The calendar -----------------------------------------------------------------------------


def test_calendar_month_grid_with_links_and_neighbours(client, staff, unit_a, unit_b):
    mine = ActivityFactory(title="重阳登高", unit=unit_a, starts_at=at(2026, 10, 18, 8))
    late = ActivityFactory(title="夜间讲座", unit=unit_a, starts_at=at(2026, 10, 31, 23))
    ActivityFactory(title="财政局活动", unit=unit_b, starts_at=at(2026, 10, 18))
    ActivityFactory(title="下月活动", unit=unit_a, starts_at=at(2026, 11, 20))
    client.force_login(staff)
    response = client.get(CALENDAR, {"month": "2026-10"})
    weeks = response.context["weeks"]
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0]["date"] == datetime.date(2026, 9, 28)  # a Monday
    days = {day["date"]: day["activities"] for week in weeks for day in week}
    assert days[datetime.date(2026, 10, 18)] == [mine]
    assert days[datetime.date(2026, 10, 31)] == [late]  # local day, not UTC
    body = response.content.decode()
    assert reverse("activities:detail", args=[mine.pk]) in body
    assert "财政局活动" not in body and "下月活动" not in body
    assert "星期一" in body and "星期日" in body
    assert "?month=2026-09" in body and "?month=2026-11" in body
    # Phone width: the days with activities as a list.
    assert [day["date"].day for day in response.context["days_with_activities"]] == [18, 31]


def test_calendar_defaults_to_this_month_and_wraps_the_year(client, staff):
    client.force_login(staff)
    today = datetime.date.today()
    assert client.get(CALENDAR, {"month": "junk"}).context["first"] == today.replace(day=1)
    december = client.get(CALENDAR, {"month": "2026-12"}).context
    assert december["next"] == datetime.date(2027, 1, 1)
    assert december["previous"] == datetime.date(2026, 11, 1)


def test_calendar_query_count_does_not_grow_with_activities(client, staff, unit_a):
    client.force_login(staff)
    ActivityFactory(unit=unit_a, starts_at=at(2026, 3, 2))
    client.get(CALENDAR, {"month": "2026-03"})
    with CaptureQueriesContext(connection) as few:
        client.get(CALENDAR, {"month": "2026-03"})
    for day in range(3, 28):
        ActivityFactory(unit=unit_a, starts_at=at(2026, 3, day))
    with CaptureQueriesContext(connection) as many:
        response = client.get(CALENDAR, {"month": "2026-03"})
    assert len(response.context["days_with_activities"]) == 26
    assert len(many) == len(few)
