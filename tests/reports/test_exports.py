import datetime
import io
import tempfile
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts.models import User
from branches.models import BranchRole
from cadres.models import CadreStatus, Health
from cadres.validators import mask_resident_id
from reports.export_records import Export
from reports.export_views import _download
from reports.export_writer import XLSX_CONTENT_TYPE, write_xlsx
from reports.exports import ledger_columns
from reports.models import ExportRecord
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    FamilyContactFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
CADRES_URL = reverse("reports:export_cadres")
VISITS_URL = reverse("reports:export_visits")
ATTENDANCE_URL = reverse("reports:export_attendance")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)


def default_columns():
    return [column.key for column in ledger_columns() if column.default]


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    kind = ExportRecord.objects.latest("id").get_kind_display()
    assert response["Content-Disposition"].startswith(
        content_disposition_header(True, f"{kind}_")[:-1]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def header_of(key: str) -> str:
    return next(column.header for column in ledger_columns() if column.key == key)


# The cadre ledger ------------------------------------------------------------------------


def test_ledger_has_the_import_templates_headers_and_the_users_cadres(
    client, staff, unit_a, unit_a_child, unit_b
):
    CadreFactory(name="张三", unit=unit_a)
    CadreFactory(name="李四", unit=unit_a_child)
    CadreFactory(name="王五", unit=unit_b)
    client.force_login(staff)
    page = client.get(CADRES_URL)
    assert page.status_code == 200 and page.context["count"] == 2
    rows = sheet_rows(client.post(CADRES_URL, {"columns": default_columns()}))
    assert rows[0] == [c.header for c in ledger_columns() if c.default]
    assert set(column(rows, header_of("name"))) == {"张三", "李四"}
    assert unit_b.name not in str(rows)  # another unit's cadres are never in the file


def test_ledger_carries_the_registry_filters_and_sort(client, staff, unit_a):
    CadreFactory(name="安康", unit=unit_a, health=Health.IN_HOSPITAL)
    CadreFactory(name="白云", unit=unit_a, health=Health.IN_HOSPITAL)
    CadreFactory(name="陈明", unit=unit_a, health=Health.GOOD)
    CadreFactory(
        name="丁亮", unit=unit_a, status=CadreStatus.DECEASED, died_on=datetime.date(2026, 1, 1)
    )
    client.force_login(staff)
    registry = client.get(reverse("cadres:registry"), {"health": "hospital", "sort": "-name"})
    link = f"{CADRES_URL}?health=hospital&amp;sort=-name"
    assert link in registry.content.decode()
    url = f"{CADRES_URL}?health=hospital&sort=-name"
    page = client.get(url)
    assert page.context["count"] == 2
    assert ("身体状况", "住院") in page.context["summary"]
    rows = sheet_rows(client.post(url, {"columns": ["name"]}))
    assert rows == [[header_of("name")], ["白云"], ["安康"]]
    # The default status filter of the registry applies too: the deceased is left out.
    everyone = sheet_rows(client.post(CADRES_URL, {"columns": ["name"]}))
    assert "丁亮" not in column(everyone, header_of("name"))


def test_ledger_has_only_the_chosen_columns_in_the_ledgers_order(client, staff, unit_a):
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    keys = [column.key for column in ledger_columns()]
    chosen = [keys[3], keys[0]]
    rows = sheet_rows(client.post(CADRES_URL, {"columns": chosen}))
    assert rows[0] == [header_of(keys[0]), header_of(keys[3])]


def test_ledger_needs_a_column(client, staff, unit_a):
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = client.post(CADRES_URL, {})
    assert response.status_code == 200 and "columns" in response.context["form"].errors
    assert not ExportRecord.objects.exists()


def test_ledger_masks_id_numbers_for_unit_staff_and_shows_them_to_the_bureau(
    client, staff, bureau_staff, unit_a
):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    masked = sheet_rows(client.post(CADRES_URL, {"columns": ["name", "id_number"]}))
    assert masked[1] == [cadre.name, mask_resident_id(cadre.id_number)]
    assert cadre.id_number not in str(masked)
    client.force_login(bureau_staff)
    full = sheet_rows(client.post(CADRES_URL, {"columns": ["name", "id_number"]}))
    assert full[1] == [cadre.name, cadre.id_number]
    records = list(ExportRecord.objects.order_by("id"))
    assert [(r.user, r.id_numbers_masked) for r in records] == [
        (staff, True),
        (bureau_staff, False),
    ]


def test_ledger_export_is_recorded(client, staff, unit_a):
    for _ in range(3):
        CadreFactory(unit=unit_a, health=Health.POOR)
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    sheet_rows(client.post(f"{CADRES_URL}?health=poor", {"columns": ["name", "gender"]}))
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (staff, "cadres", 3)
    assert record.parameters["columns"] == ["name", "gender"]
    assert record.parameters["filters"] == {"health": "poor"}
    # A file without ID numbers gives none away, whoever downloads it.
    assert record.id_numbers_masked


def test_branch_secretary_exports_their_members_only(client, unit_a):
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=unit_a)
    leader = CadreFactory(name="书记", unit=unit_a, account=secretary)
    BranchRoleFactory(branch=branch, cadre=leader, role=BranchRole.Role.SECRETARY)
    BranchRoleFactory(branch=branch, cadre=CadreFactory(name="党员", unit=unit_a))
    CadreFactory(name="同单位", unit=unit_a)  # same unit, not in the branch
    client.force_login(secretary)
    rows = sheet_rows(client.post(CADRES_URL, {"columns": ["name", "id_number"]}))
    assert set(column(rows, header_of("name"))) == {"党员", "书记"}
    assert ExportRecord.objects.get().id_numbers_masked


def test_ledger_export_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    every_column = [column.key for column in ledger_columns()]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            sheet_rows(client.post(CADRES_URL, {"columns": every_column}))
        return len(captured)

    CadreFactory(unit=unit_a, liaison=staff)
    few = queries()
    branch = PartyBranchFactory(unit=unit_a)
    for _ in range(15):
        cadre = CadreFactory(unit=unit_a, liaison=staff)
        BranchRoleFactory(branch=branch, cadre=cadre)
        FamilyContactFactory(cadre=cadre, is_emergency_contact=True)
    assert queries() == few


def test_an_exported_ledger_reads_back_as_the_same_cadres(client, bureau_staff, unit_a):
    """What the export writes, the import's own parsers read back to the same values."""
    cadre = CadreFactory(
        unit=unit_a,
        health=Health.IN_HOSPITAL,
        hobbies="书法",
        celebrates_lunar_birthday=True,
        phone="13800000000",
    )
    contact = FamilyContactFactory(cadre=cadre, is_emergency_contact=True, phone="13900000000")
    client.force_login(bureau_staff)
    columns = ledger_columns()
    rows = sheet_rows(client.post(CADRES_URL, {"columns": [c.key for c in columns]}))
    assert rows[0] == [c.header for c in columns]
    cells = dict(zip((c.key for c in columns), rows[1], strict=True))
    for column in columns:
        if column.attribute:
            parsed, stored = column.parse(cells[column.key]), getattr(cadre, column.attribute)
            assert parsed == stored or (parsed in (None, "") and stored in (None, "")), column.key
    assert cells["contact_name"] == contact.name
    assert cells["contact_phone"] == "13900000000"


# Visits ----------------------------------------------------------------------------------


def test_visits_export_has_the_period_and_the_users_visits(client, staff, unit_a, unit_b):
    cadre = CadreFactory(name="张三", unit=unit_a)
    visit = VisitFactory(
        cadre=cadre,
        visited_on=datetime.date(2026, 3, 2),
        condolence_money=Decimal("500.00"),
        gifts="米面油",
    )
    visit.visitors.set([staff])
    VisitFactory(cadre=cadre, status="planned", visited_on=None, due_on=datetime.date(2026, 3, 20))
    VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 4, 2))  # after the period
    VisitFactory(cadre=CadreFactory(unit=unit_b), visited_on=datetime.date(2026, 3, 5))
    client.force_login(staff)
    response = client.post(VISITS_URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert "_20260301-20260331.xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][:4] == ["走访日期", "应访日期", "老干部", "身份证号"]
    assert len(rows) == 3
    done, planned = rows[1], rows[2]
    assert done[:4] == [
        datetime.datetime(2026, 3, 2),
        None,
        "张三",
        mask_resident_id(cadre.id_number),
    ]
    assert column(rows, "走访工作人员")[0] == staff.display_name
    assert column(rows, "慰问金（元）")[0] == 500
    assert planned[1] == datetime.datetime(2026, 3, 20)
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.id_numbers_masked) == ("visits", 2, True)
    assert record.parameters == {"date_from": "2026-03-01", "date_to": "2026-03-31"}


def test_visits_export_applies_the_list_filters(client, bureau_staff, unit_a, unit_b):
    mine = VisitFactory(cadre=CadreFactory(unit=unit_a), visited_on=datetime.date(2026, 3, 2))
    VisitFactory(cadre=CadreFactory(unit=unit_b), visited_on=datetime.date(2026, 3, 3))
    client.force_login(bureau_staff)
    rows = sheet_rows(
        client.post(
            VISITS_URL,
            {"date_from": "2026-03-01", "date_to": "2026-03-31", "unit": unit_a.pk},
        )
    )
    assert column(rows, "身份证号") == [mine.cadre.id_number]  # in full for the bureau
    record = ExportRecord.objects.get()
    assert record.parameters["unit"] == {"id": unit_a.pk, "name": unit_a.name}
    assert not record.id_numbers_masked


def test_visits_page_starts_from_the_visit_lists_filters(client, staff, unit_a):
    client.force_login(staff)
    visits_page = client.get(reverse("cadres:visits"), {"status": "planned"})
    assert f"{VISITS_URL}?status=planned" in visits_page.content.decode()
    form = client.get(VISITS_URL, {"status": "planned", "date_from": "2026-02-01"}).context["form"]
    assert form.initial["status"] == "planned"
    assert form.initial["date_from"] == datetime.date(2026, 2, 1)
    assert form.initial["date_to"] == datetime.date.today()
    # An impossible date or a unit that is no id is left out: the period of this year.
    query = {"date_from": "2026-13-45", "unit": "²"}
    form = client.get(VISITS_URL, query).context["form"]
    assert form.initial["date_from"] == timezone.localdate().replace(month=1, day=1)
    assert "unit" not in form.initial


def test_visits_export_refuses_a_reversed_period(client, staff):
    client.force_login(staff)
    response = client.post(VISITS_URL, {"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert response.status_code == 200 and "date_to" in response.context["form"].errors
    assert not ExportRecord.objects.exists()


def test_visits_export_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    period = {"date_from": "2026-01-01", "date_to": "2026-12-31"}

    def queries():
        with CaptureQueriesContext(connection) as captured:
            sheet_rows(client.post(VISITS_URL, period))
        return len(captured)

    VisitFactory(cadre=CadreFactory(unit=unit_a)).visitors.set([staff])
    few = queries()
    for _ in range(15):
        VisitFactory(cadre=CadreFactory(unit=unit_a)).visitors.set([staff, UserFactory()])
    assert queries() == few


# Activity attendance ---------------------------------------------------------------------


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


# Common ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CADRES_URL, VISITS_URL, ATTENDANCE_URL])
def test_logged_out_goes_to_login_and_gets_no_file(client, url, unit_a):
    CadreFactory(unit=unit_a)
    for response in (client.get(url), client.post(url, {"columns": ["name"]})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not ExportRecord.objects.exists()


def test_the_temporary_file_is_closed_once_streamed(client, staff, unit_a, monkeypatch):
    created = []
    temporary_file = tempfile.TemporaryFile

    def spy(**kwargs):
        created.append(temporary_file(**kwargs))
        return created[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = client.post(CADRES_URL, {"columns": ["name"]})
    [stream] = created
    assert not stream.closed
    b"".join(response.streaming_content)
    response.close()
    assert stream.closed  # and with it gone from the disk: the file has no name
    assert "no-store" in response["Cache-Control"]


def test_a_chinese_filename_is_sent_as_rfc_5987(staff):
    record = ExportRecord(user=staff, kind="cadres")
    export = Export(file=io.BytesIO(b"xlsx"), filename="老干部台账_20260301.xlsx", record=record)
    response = _download(export)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%80%81%E5%B9%B2%E9%83%A8%E5%8F%B0%E8%B4%A6_20260301.xlsx"
    )
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Length"] == "4"


def test_writer_keeps_text_as_text():
    out = io.BytesIO()
    count = write_xlsx(
        out,
        title="表",
        headers=["备注"],
        rows=iter([['=HYPERLINK("http://x")'], ["响铃\x07字符"], [None]]),
    )
    assert count == 3
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "响铃字符"
