"""The statistics pages: the index under the year's theme, the table page, the year on
offer, the .xlsx download and its record, and query counts that do not grow with rows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from activities.models import Activity, Attendance
from branches.models import BranchRole
from cadres.models import LivingSituation
from reminders.models import Holiday
from reports.models import ExportRecord, YearTheme
from reports.statistics import STANDARD_TABLES, TABLES_BY_SLUG
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UnitFactory,
    VisitFactory,
)
from tests.reports import statistics_world
from tests.reports.statistics_world import page

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
frozen_clock = statistics_world.frozen_clock
bureau_staff = statistics_world.bureau_staff
staff_a = statistics_world.staff_a
world = statistics_world.world
branches = statistics_world.branches


def theme_heading(year):
    return gettext("Work theme for %(year)s") % {"year": year}


def test_index_lists_every_table_under_the_years_theme(client, bureau_staff):
    YearTheme.objects.create(year=2023, theme="党建引领、情暖夕阳", description="全年工作主线")
    client.force_login(bureau_staff)
    response = client.get(reverse("reports:index"), {"year": 2023})
    content = response.content.decode()
    assert response.context["year"] == 2023
    assert "党建引领、情暖夕阳" in content and theme_heading(2023) in content
    for table in STANDARD_TABLES:
        assert reverse("reports:table", args=[table.slug]) + "?year=2023" in content
    this_year = client.get(reverse("reports:index")).content.decode()
    assert "党建引领、情暖夕阳" not in this_year
    assert gettext("Statistical reports for %(year)s") % {"year": 2026} in this_year


def test_the_table_page_is_headed_by_the_theme_and_can_be_printed(client, world, bureau_staff):
    YearTheme.objects.create(year=2026, theme="银龄同心、服务暖心")
    client.force_login(bureau_staff)
    content = page(client, "hardship", year=2026).content.decode()
    assert theme_heading(2026) in content and "银龄同心、服务暖心" in content
    assert "data-print" in content and "js/print-button.js" in content and "<svg" in content
    assert "format=xlsx" in content


def test_a_year_not_on_offer_falls_back_to_the_current_year(client, world, bureau_staff):
    client.force_login(bureau_staff)
    for year in ("2031", "abc", "1800"):
        assert page(client, "visits", year=year).context["year"] == 2026


def test_unknown_table_is_404(client, bureau_staff):
    client.force_login(bureau_staff)
    assert page(client, "no-such-table").status_code == 404


@pytest.mark.parametrize("slug", [table.slug for table in STANDARD_TABLES])
def test_xlsx_download_matches_the_page_and_is_recorded(client, world, branches, staff_a, slug):
    YearTheme.objects.create(year=2026, theme="银龄同心、服务暖心")
    client.force_login(staff_a)
    shown = page(client, slug, year=2026).context["report"]
    response = page(client, slug, year=2026, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "银龄同心、服务暖心" in values[0][0]
    assert values[1][0] == str(TABLES_BY_SLUG[slug].title)
    header = values.index([column.label for column in shown.columns])
    body = values[header + 1 : header + 1 + len(shown.rows)]

    def same(cell):
        if cell == "" or cell is None:
            return None
        return round(float(cell), 9) if isinstance(cell, int | float | Decimal) else cell

    assert [[same(c) for c in row] for row in body] == [
        [same(c) for c in row] for row in shown.rows
    ]
    assert [same(c) for c in values[header + 1 + len(shown.rows)]] == [same(c) for c in shown.total]
    record = ExportRecord.objects.get()
    assert record.user == staff_a and record.kind == ExportRecord.Kind.REPORT
    assert record.parameters == {"table": slug, "year": 2026}
    assert record.row_count == len(shown.rows)


def test_the_download_of_another_year_is_recorded_with_that_year(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "visits", year=2025, format="xlsx")
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert record.parameters == {"table": "visits", "year": 2025} and record.row_count == 1


def _queries(client, slug):
    with CaptureQueriesContext(connection) as queries:
        assert page(client, slug, year=2026).status_code == 200
    return len(queries)


@pytest.mark.parametrize("slug", [table.slug for table in STANDARD_TABLES])
def test_query_count_does_not_grow_with_rows(client, staff_a, unit_a, slug):
    client.force_login(staff_a)
    spring = Holiday.objects.get(name="春节").occasion
    cadre = CadreFactory(unit=unit_a)
    VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 2, 1), condolence_money=100)
    few = _queries(client, slug)
    for number in range(6):
        school = UnitFactory(parent=unit_a)
        branch = PartyBranchFactory(unit=school)
        activity = ActivityFactory(unit=school, kind=Activity.Kind.VOLUNTEER)
        for index in range(3):
            cadre = CadreFactory(
                unit=school,
                birth_date=datetime.date(1935 + number * 5, 1 + index, 1),
                living_situation=LivingSituation.ALONE,
                residential_community=f"第{number}社区",
            )
            VisitFactory(
                cadre=cadre,
                occasion=spring,
                visited_on=datetime.date(2026, 1 + index, 1),
                condolence_money=300,
            )
            VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 3 + number, 2))
            AttendanceFactory(
                activity=activity,
                cadre=cadre,
                status=Attendance.Status.ATTENDED,
                volunteer_hours=index + 1,
            )
            BranchRoleFactory(
                branch=branch,
                cadre=cadre,
                role=BranchRole.Role.SECRETARY if index == 0 else BranchRole.Role.MEMBER,
            )
    assert len(page(client, slug, year=2026).context["report"].rows) > 1
    assert _queries(client, slug) == few
