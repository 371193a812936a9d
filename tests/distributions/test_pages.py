"""The cadre page's section, the list, and the coverage report against figures worked
out by hand (the homebound first), with its .xlsx."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from distributions.selectors import coverage_by_unit
from reports.models import ExportRecord
from tests.factories import CadreFactory, DeliveryFactory, DistributionFactory

pytestmark = pytest.mark.django_db


def test_the_cadre_page_shows_what_reached_them_this_year(client, office, office_staff):
    cadre = CadreFactory(unit=office)
    this_year = DistributionFactory(unit=office, title="二季度情况通报")
    last_year = DistributionFactory(
        unit=office, title="去年的学习资料", issued_on=datetime.date(2025, 6, 1), year=2025
    )
    DeliveryFactory(
        distribution=this_year, cadre=cadre, way="home", delivered_on=datetime.date(2026, 4, 3)
    )
    DeliveryFactory(distribution=last_year, cadre=cadre, delivered_on=datetime.date(2025, 6, 2))
    client.force_login(office_staff)
    html = client.get(reverse("cadres:detail", args=[cadre.pk])).content.decode()
    section = html.split('id="political-treatment"')[1].split("</ul>")[0]
    assert "二季度情况通报" in section
    assert "2026-04-03" in section
    assert "送学上门" in section
    assert "去年的学习资料" not in section


@pytest.fixture
def quarter(bureau, office, school, finance):
    """Q2 2026: the bureau's briefing to everyone, the office's study material to its
    party members; a Q1 bulletin whose deliveries do not count for Q2."""
    people = {
        "甲": CadreFactory(name="甲", unit=office),
        "乙卧床": CadreFactory(name="乙卧床", unit=office, health="bedridden"),
        "丙": CadreFactory(name="丙", unit=office, political_status="masses"),
        "丁住院": CadreFactory(name="丁住院", unit=school, health="hospital"),
        "戊": CadreFactory(name="戊", unit=school),
        "己": CadreFactory(name="己", unit=finance),
        "庚体弱": CadreFactory(name="庚体弱", unit=finance, health="poor"),
    }
    briefing = DistributionFactory(unit=bureau, issued_on=datetime.date(2026, 4, 1))
    material = DistributionFactory(
        unit=office, kind="study", audience="party", issued_on=datetime.date(2026, 5, 1)
    )
    bulletin = DistributionFactory(
        unit=bureau, kind="bulletin", issue_number=7, issued_on=datetime.date(2026, 2, 1)
    )
    DeliveryFactory(
        distribution=briefing, cadre=people["甲"], delivered_on=datetime.date(2026, 4, 2)
    )
    DeliveryFactory(
        distribution=material,
        cadre=people["乙卧床"],
        way="home",
        delivered_on=datetime.date(2026, 5, 2),
    )
    DeliveryFactory(
        distribution=briefing, cadre=people["戊"], delivered_on=datetime.date(2026, 4, 2)
    )
    DeliveryFactory(
        distribution=briefing, cadre=people["己"], delivered_on=datetime.date(2026, 4, 2)
    )
    # Reached in Q1 only: nothing this quarter.
    DeliveryFactory(
        distribution=bulletin, cadre=people["丙"], delivered_on=datetime.date(2026, 2, 3)
    )
    return people


def test_coverage_by_unit_for_the_scorecard(quarter):
    lines = {
        line.unit_name: (line.audience, line.reached)
        for line in coverage_by_unit(year=2026, quarter=2)
    }
    assert lines == {"县教育局": (3, 2), "县第一中学": (2, 1), "县财政局": (2, 1)}
    # The year: the Q1 bulletin reached 丙.
    year = {line.unit_name: (line.audience, line.reached) for line in coverage_by_unit(year=2026)}
    assert year["县教育局"] == (3, 3)


def test_the_coverage_report_lists_the_homebound_first(client, quarter, bureau_staff):
    client.force_login(bureau_staff)
    response = client.get(reverse("distributions:coverage"), {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    assert (response.context["audience"], response.context["reached"]) == (7, 4)
    assert [c.name for c in response.context["page"]] == ["丁住院", "庚体弱", "丙"]
    lines = {line.unit_name: line.homebound_missed for line in response.context["lines"]}
    assert lines == {"县教育局": 0, "县第一中学": 1, "县财政局": 1}


def test_the_coverage_report_filters_by_unit_and_kind(client, quarter, bureau_staff, office):
    client.force_login(bureau_staff)
    url = reverse("distributions:coverage")
    by_unit = client.get(url, {"year": 2026, "quarter": 2, "unit": office.pk})
    assert [c.name for c in by_unit.context["page"]] == ["丁住院", "丙"]
    study = client.get(url, {"year": 2026, "quarter": 2, "kind": "study"})
    # The study material's audience: the party members of the office and the school
    # below it (not 丙); 乙 was reached at home.
    assert (study.context["audience"], study.context["reached"]) == (4, 1)
    assert [c.name for c in study.context["page"]] == ["丁住院", "甲", "戊"]


def test_unit_staff_see_only_their_units(client, quarter, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("distributions:coverage"), {"year": 2026, "quarter": 2})
    assert [line.unit_name for line in response.context["lines"]] == ["县教育局", "县第一中学"]
    assert "庚体弱" not in response.content.decode()


def test_the_coverage_workbook_has_numbers(client, quarter, bureau_staff):
    client.force_login(bureau_staff)
    response = client.get(reverse("distributions:coverage_xlsx"), {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    units, missed = workbook.worksheets
    rows = list(units.iter_rows(values_only=True))
    assert rows[1][:4] == ("县教育局", 3, 2, 1)
    assert rows[-1][1:4] == (7, 4, 3)
    assert [row[0] for row in list(missed.iter_rows(values_only=True))[1:]] == [
        "丁住院",
        "庚体弱",
        "丙",
    ]
    # The download is in the export log: the units' rows and the three named.
    record = ExportRecord.objects.get()
    assert record.user == bureau_staff and record.kind == ExportRecord.Kind.COVERAGE
    assert record.row_count == len(rows) - 2 + 3  # less the heading and total rows
    assert record.parameters == {"year": 2026, "quarter": 2}


def test_the_report_is_the_current_quarter_by_default(client, quarter, bureau_staff):
    client.force_login(bureau_staff)
    response = client.get(reverse("distributions:coverage"))
    assert response.context["first"] == datetime.date(2026, 4, 1)
    assert response.context["last"] == datetime.date(2026, 6, 30)


def test_the_reports_queries_do_not_grow_with_cadres(client, quarter, bureau_staff, office):
    client.force_login(bureau_staff)
    url = reverse("distributions:coverage")
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"year": 2026, "quarter": 2})
    for _ in range(20):
        CadreFactory(unit=office, health="bedridden")
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"year": 2026, "quarter": 2})
    assert len(after) == len(before)


def test_the_list_shows_the_years_distributions(client, quarter, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("distributions:list"), {"year": 2026})
    titles = [d.kind for d in response.context["page"]]
    assert sorted(titles) == ["briefing", "bulletin", "study"]
