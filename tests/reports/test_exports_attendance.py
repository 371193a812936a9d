"""The activity attendance export: the user's cadres per activity, one activity, choices
within scope, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import ExportRecord
from tests.factories import ActivityFactory, AttendanceFactory, CadreFactory
from tests.reports import export_sheets
from tests.reports.export_sheets import ATTENDANCE_URL, column, sheet_rows

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = export_sheets.staff


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 6, day, 2, tzinfo=datetime.UTC)  # 10:00 in Beijing


def test_attendance_export_lists_the_users_cadres_per_activity(client, staff, unit_a, unit_b):
    talk = ActivityFactory(title="健康讲座", starts_at=at(1), unit=unit_a, place="活动中心")
    AttendanceFactory(
        activity=talk,
        cadre=CadreFactory(name="张三", unit=unit_a),
        status="attended",
        volunteer_hours=Decimal("2.5"),
    )
    AttendanceFactory(activity=talk, cadre=CadreFactory(name="李四", unit=unit_a), status="absent")
    AttendanceFactory(activity=talk, cadre=CadreFactory(name="外单位", unit=unit_b))
    # An activity of another unit that one of the user's cadres went to.
    county = ActivityFactory(title="重阳游园", starts_at=at(20), unit=unit_b)
    AttendanceFactory(activity=county, cadre=CadreFactory(name="王五", unit=unit_a))
    AttendanceFactory(
        activity=ActivityFactory(starts_at=datetime.datetime(2026, 7, 2, tzinfo=datetime.UTC)),
        cadre=CadreFactory(unit=unit_a),
    )
    client.force_login(staff)
    rows = sheet_rows(
        client.post(ATTENDANCE_URL, {"date_from": "2026-06-01", "date_to": "2026-06-30"})
    )
    assert rows[0] == [
        "日期",
        "活动",
        "类型",
        "地点",
        "组织单位",
        "老干部",
        "身份证号",
        "单位",
        "状态",
        "志愿服务时长（小时）",
    ]
    assert [(row[1], row[5], row[8]) for row in rows[1:]] == [
        ("健康讲座", "李四", "缺席"),
        ("健康讲座", "张三", "已出席"),
        ("重阳游园", "王五", "已报名"),
    ]
    assert rows[2][0] == datetime.datetime(2026, 6, 1) and rows[2][9] == 2.5
    assert "外单位" not in str(rows)
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.id_numbers_masked) == ("attendance", 3, True)


def test_attendance_export_of_one_activity(client, staff, unit_a):
    talk = ActivityFactory(title="健康讲座", starts_at=at(1), unit=unit_a)
    AttendanceFactory(activity=talk, cadre=CadreFactory(unit=unit_a))
    other = ActivityFactory(title="书画展", starts_at=at(2), unit=unit_a)
    AttendanceFactory(activity=other, cadre=CadreFactory(unit=unit_a))
    client.force_login(staff)
    choices = client.get(ATTENDANCE_URL).context["form"].fields["activity"].queryset
    assert list(choices) == [other, talk]
    data = {"date_from": "2026-06-01", "date_to": "2026-06-30", "activity": talk.pk}
    rows = sheet_rows(client.post(ATTENDANCE_URL, data))
    assert column(rows, "活动") == ["健康讲座"]
    assert ExportRecord.objects.get().parameters["activity"]["id"] == talk.pk


def test_attendance_activity_choices_are_within_scope(client, staff, unit_a, unit_b):
    theirs = ActivityFactory(starts_at=at(1), unit=unit_b)
    AttendanceFactory(activity=theirs, cadre=CadreFactory(unit=unit_b))
    client.force_login(staff)
    response = client.post(
        ATTENDANCE_URL, {"date_from": "2026-06-01", "date_to": "2026-06-30", "activity": theirs.pk}
    )
    assert response.status_code == 200 and "activity" in response.context["form"].errors


def test_attendance_export_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    period = {"date_from": "2026-06-01", "date_to": "2026-06-30"}

    def queries():
        with CaptureQueriesContext(connection) as captured:
            sheet_rows(client.post(ATTENDANCE_URL, period))
        return len(captured)

    AttendanceFactory(activity__starts_at=at(3), cadre=CadreFactory(unit=unit_a))
    few = queries()
    for day in range(4, 19):
        AttendanceFactory(activity__starts_at=at(day), cadre=CadreFactory(unit=unit_a))
    assert queries() == few
