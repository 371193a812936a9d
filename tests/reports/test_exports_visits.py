"""The visits export: the period, the visit list's filters, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres.validators import mask_resident_id
from reports.models import ExportRecord
from tests.factories import CadreFactory, UserFactory, VisitFactory
from tests.reports import export_sheets
from tests.reports.export_sheets import VISITS_URL, column, sheet_rows

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = export_sheets.staff
bureau_staff = export_sheets.bureau_staff


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
