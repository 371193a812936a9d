import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from activities.models import Activity, Attendance
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CadreFactory,
    SuggestionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
LIST = reverse("activities:list")
CALENDAR = reverse("activities:calendar")


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


@pytest.fixture
def secretary(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)


def titles(response):
    return [activity.title for activity in response.context["page"]]


# The list ---------------------------------------------------------------------------------


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


# The activity page and check-in -----------------------------------------------------------


def check_in(client, activity, rows, **extra):
    """POST the check-in form: rows maps a cadre to (attended, hours)."""
    data = {"row": [str(cadre.pk) for cadre in rows]}
    for cadre, (attended, hours) in rows.items():
        if attended:
            data[f"attended-{cadre.pk}"] = "on"
        data[f"hours-{cadre.pk}"] = hours
    data.update(extra)
    return client.post(reverse("activities:detail", args=[activity.pk]), data)


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


# Creating and editing ---------------------------------------------------------------------


def activity_data(unit, **overrides):
    data = {
        "title": "老年大学书法课",
        "kind": "senior_university",
        "starts_at": "2026-09-01T09:00",
        "ends_at": "2026-09-01T11:00",
        "place": "老干部活动中心",
        "unit": unit.pk,
        "organiser": "县委老干部局",
        "capacity": "40",
    }
    data.update(overrides)
    return data


def test_creating_and_editing_an_activity(client, staff, unit_a):
    team = TeamFactory(unit=unit_a)
    client.force_login(staff)
    assert client.get(reverse("activities:new"), {"team": team.pk}).status_code == 200
    response = client.post(reverse("activities:new"), activity_data(unit_a, team=team.pk))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.starts_at == at(2026, 9, 1) and activity.team == team
    assert activity.history.get().history_user == staff
    edit_url = reverse("activities:edit", args=[activity.pk])
    assert 'value="2026-09-01T09:00"' in client.get(edit_url).content.decode()  # local time
    client.post(edit_url, activity_data(unit_a, outcome="学员作品展出20幅"))
    activity.refresh_from_db()
    assert activity.outcome == "学员作品展出20幅" and activity.team is None
    # The history tab shows who changed which field, from what to what.
    history = client.get(reverse("activities:history", args=[activity.pk]))
    entry = history.context["entries"][0]
    assert entry.user == staff
    assert any(change.new == "学员作品展出20幅" for change in entry.changes)
    assert any(change.old == str(team) and change.new == "—" for change in entry.changes)


def test_an_activity_ending_before_it_starts_is_refused(client, staff, unit_a, unit_b):
    client.force_login(staff)
    response = client.post(
        reverse("activities:new"), activity_data(unit_a, ends_at="2026-09-01T08:00")
    )
    assert response.status_code == 200
    assert "结束时间早于开始时间" in response.content.decode()
    response = client.post(reverse("activities:new"), activity_data(unit_b))
    assert "unit" in response.context["form"].errors
    assert not Activity.objects.exists()


# Other units' activities in which one's own cadres took part -----------------------------


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
