"""The 帮扶 reports against totals computed by hand, on screen, in .xlsx and in scope."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assistance.reports import case_tables, scorecard
from reports.models import ExportRecord
from tests.factories import AssistanceCaseFactory, CadreFactory, UserFactory, VisitFactory

from .conftest import SHANGHAI, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_cases(cadre, people, unit_a, unit_b):
    """Unit A: 5,000.00 requested and paid 4,000.00 (submitted 3 Mar, paid 13 Mar: 10
    days), 1,200.50 paid in full (submitted 1 Apr, paid 21 Apr: 20 days), 800.00
    refused, 300.00 still a draft. Unit B: 2,000.00 approved at 1,500.00, not paid. And
    one case of 2025, which does not count."""
    b_staff = UserFactory(unit=unit_b)
    b_reviewer = UserFactory(unit=unit_b)
    b_people = {**people, "drafter": b_staff, "colleague": b_reviewer}

    def case_on(day, amount, category="medical", who=people, unit_cadre=cadre):
        with time_machine.travel(datetime.datetime(*day, 9, 0, tzinfo=SHANGHAI), tick=False):
            return AssistanceCaseFactory(
                cadre=unit_cadre,
                created_by=who["drafter"],
                amount_requested=Decimal(amount),
                category=category,
            )

    def at(day, case, status, **kwargs):
        with time_machine.travel(datetime.datetime(*day, 9, 0, tzinfo=SHANGHAI), tick=False):
            return advance(case, status, kwargs.pop("who", people), **kwargs)

    first = case_on((2026, 3, 1), "5000.00")
    first = at((2026, 3, 3), first, "submitted")
    first = at((2026, 3, 5), first, "approved", amount=Decimal("4000.00"))
    at((2026, 3, 13), first, "paid", paid_on=datetime.date(2026, 3, 13))
    second = case_on((2026, 4, 1), "1200.50", category="living")
    second = at((2026, 4, 1), second, "approved")
    second = at((2026, 4, 21), second, "closed", paid_on=datetime.date(2026, 4, 21))
    third = case_on((2026, 5, 1), "800.00", category="living")
    at((2026, 5, 2), third, "refused")
    case_on((2026, 6, 1), "300.00")
    b_cadre = CadreFactory(unit=unit_b, hardship="difficult")
    fourth = case_on((2026, 2, 1), "2000.00", category="housing", who=b_people, unit_cadre=b_cadre)
    at((2026, 2, 2), fourth, "approved", who=b_people, amount=Decimal("1500.00"))
    case_on((2025, 12, 30), "9999.00")
    # Hardship cadres: A has `cadre` (visited in 2026) and one not visited; B has b_cadre.
    CadreFactory(unit=unit_a, hardship="difficult")
    VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 2, 1))
    VisitFactory(cadre=b_cadre, visited_on=datetime.date(2025, 12, 1))
    return unit_a, unit_b


def test_cases_by_unit_category_and_status(year_of_cases, people):
    unit_a, unit_b = year_of_cases
    by_unit, by_category, by_status = case_tables(user=people["bureau"], year=2026)
    # [name, cases, draft, submitted, reviewed, approved, refused, paid, closed,
    #  requested, approved, paid]
    assert by_unit.rows == [
        [unit_a.name, 4, 1, 0, 0, 0, 1, 1, 1,
         Decimal("7300.50"), Decimal("5200.50"), Decimal("5200.50")],
        [unit_b.name, 1, 0, 0, 0, 1, 0, 0, 0,
         Decimal("2000.00"), Decimal("1500.00"), Decimal("0.00")],
    ]  # fmt: skip
    assert by_unit.total[1:] == [
        5, 1, 0, 0, 1, 1, 1, 1, Decimal("9300.50"), Decimal("6700.50"), Decimal("5200.50"),
    ]  # fmt: skip
    categories = {str(row[0]): row[1] for row in by_category.rows}
    assert sorted(categories.values()) == [1, 2, 2]
    assert by_category.total[1:] == by_unit.total[1:]
    assert sum(row[1] for row in by_status.rows) == 5
    assert by_status.total[2] == Decimal("9300.50")
    # Unit staff of A see A only.
    mine = case_tables(user=people["drafter"], year=2026)[0]
    assert [row[0] for row in mine.rows] == [unit_a.name]
    assert mine.total[1] == 4


def test_scorecard(year_of_cases, people):
    unit_a, unit_b = year_of_cases
    table = scorecard(user=people["bureau"], year=2026)
    # unit, opened, handled, paid, amount paid, mean days, longest, hardship, visited, share
    assert table.rows == [
        [unit_a.name, 4, 3, 2, Decimal("5200.50"), Decimal("15.0"), 20, 2, 1, Decimal("0.5")],
        [unit_b.name, 1, 1, 0, Decimal("0.00"), None, None, 1, 0, Decimal("0")],
    ]
    assert table.total[1:] == [5, 4, 2, Decimal("5200.50"), Decimal("15.0"), 20, 3, 1,
                               Decimal(1) / Decimal(3)]  # fmt: skip


def test_screen_print_and_xlsx_show_the_same_figures(client, year_of_cases, people):
    client.force_login(people["bureau"])
    page = client.get(reverse("assistance:report_cases"), {"year": 2026})
    html = page.content.decode()
    assert "9,300.50" in html and "6,700.50" in html and "5,200.50" in html
    assert "data-print" in html and "report-sheet" in html
    response = client.get(reverse("assistance:report_cases_xlsx"), {"year": 2026})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    total = list(sheet[sheet.max_row])
    assert [c.value for c in total[-3:]] == [9300.5, 6700.5, 5200.5]
    assert all(c.data_type == "n" and c.number_format == "0.00" for c in total[-3:])
    score = client.get(reverse("assistance:report_scorecard_xlsx"), {"year": 2026})
    sheet = load_workbook(io.BytesIO(score.content)).worksheets[0]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[1:8] == [5, 4, 2, 5200.5, 15, 20, 3]
    # Both downloads are in the export log, with their tables' rows.
    cases, card = ExportRecord.objects.order_by("id")
    assert {cases.kind, card.kind} == {ExportRecord.Kind.ASSISTANCE_REPORT}
    assert cases.user == card.user == people["bureau"]
    assert cases.parameters == {"report": "cases", "year": 2026}
    assert card.parameters == {"report": "scorecard", "year": 2026}
    tables = case_tables(user=people["bureau"], year=2026)
    assert cases.row_count == sum(len(table.rows) for table in tables)
    assert card.row_count == len(scorecard(user=people["bureau"], year=2026).rows)
    html = client.get(reverse("assistance:report_scorecard"), {"year": 2026}).content.decode()
    assert "5,200.50" in html and "15.0" in html and "33.3%" in html


def test_a_bad_year_answers_the_current_one(client, people):
    client.force_login(people["drafter"])
    for value in ("x", "1999", "²"):
        response = client.get(reverse("assistance:report_scorecard"), {"year": value})
        assert response.status_code == 200
