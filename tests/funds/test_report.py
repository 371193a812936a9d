"""The year's 慰问经费 report and the per-head amounts reached, against totals worked
out by hand; the page and the .xlsx (amounts as numbers with two decimals) agree."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import User
from cadres.models import RetirementKind, Visit, VisitOccasion
from funds.report import budget_tables, reach_table
from funds.services import budget_apply, budget_line_adjust, expense_record
from reports.models import ExportRecord
from tests.factories import CadreFactory, UserFactory, VisitFactory

from .factories import StandardFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year(today, unit_a, unit_b):
    """Units A (three cadres, one 离休) and B (one cadre); 春节 800 a head (离休 1000) and
    重阳 300; the budget counted on 10 January; visits, an expense and adjustments."""
    admin = UserFactory(unit=None, role=User.Role.ADMINISTRATOR)
    bureau = UserFactory(unit=unit_a.parent, role=User.Role.BUREAU_STAFF)
    spring = VisitOccasion.objects.get(code="spring_festival")
    autumn = VisitOccasion.objects.get(code="double_ninth")
    StandardFactory(occasion=spring, amount=Decimal("800.00"))
    StandardFactory(occasion=spring, retirement_kind=RetirementKind.LIXIU, amount=Decimal("1000"))
    StandardFactory(occasion=autumn, amount=Decimal("300.00"))
    a1 = CadreFactory(unit=unit_a, name="安一")
    a2 = CadreFactory(unit=unit_a, name="安二")
    a3 = CadreFactory(unit=unit_a, name="安三", retirement_kind="lixiu", birth_date=D(1932, 5, 1))
    b1 = CadreFactory(unit=unit_b, name="毕一")
    budget_apply(user=admin, year=2026, register_date=D(2026, 1, 10))
    line_b = unit_b.budget_lines.get(code="spring_festival")
    budget_line_adjust(user=bureau, line=line_b, amount=Decimal("200.00"), reason="增补")
    budget_line_adjust(
        user=bureau, unit=unit_a, code="activity", year=2026, amount=Decimal("2000"), reason="活动"
    )
    expense_record(
        user=bureau,
        unit=unit_a,
        line_code="activity",
        spent_on=D(2026, 5, 1),
        amount=Decimal("1234.56"),
        payee="县老年大学",
        source="activity",
    )
    visit = {"occasion": spring, "visited_on": D(2026, 1, 20)}
    VisitFactory(cadre=a1, condolence_money=Decimal("800.00"), **visit)
    VisitFactory(
        cadre=a2, condolence_money=Decimal("500.00"), gifts_value=Decimal("100.50"), **visit
    )
    VisitFactory(cadre=a2, occasion=spring, visited_on=D(2025, 12, 30), condolence_money=800)
    VisitFactory(
        cadre=a3,
        occasion=spring,
        status=Visit.Status.PLANNED,
        visited_on=None,
        due_on=D(2026, 12, 20),
    )
    VisitFactory(cadre=b1, mode=Visit.Mode.GROUP, **visit)
    VisitFactory(cadre=a1, occasion=autumn, visited_on=D(2026, 5, 5), condolence_money=300)
    return {"bureau": bureau, "unit_staff": UserFactory(unit=unit_a), "admin": admin}


def money(*values):
    return [Decimal(v) if isinstance(v, str) else v for v in values]


def test_budget_against_spending_by_unit_and_line(year):
    by_unit, by_line = budget_tables(user=year["bureau"], year=2026)
    rows = {(row[0], row[1]): row[2:] for row in by_unit.rows}
    # budget, on visits, other, spent, committed, remaining, share
    assert rows[("县教育局", "春节慰问")][:6] == money(
        "2600.00", "1400.50", "0.00", "1400.50", "1000.00", "1199.50"
    )
    assert rows[("县教育局", "重阳节慰问")][:6] == money(
        "900.00", "300.00", "0.00", "300.00", "0.00", "600.00"
    )
    assert rows[("县教育局", "集体活动")][:6] == money(
        "2000.00", "0.00", "1234.56", "1234.56", "0.00", "765.44"
    )
    assert rows[("县教育局", "小计")][:6] == money(
        "5500.00", "1700.50", "1234.56", "2935.06", "1000.00", "2564.94"
    )
    assert rows[("县财政局", "春节慰问")][:6] == money(
        "1000.00", "0.00", "0.00", "0.00", "0.00", "1000.00"
    )
    assert by_unit.total[2:8] == money(
        "6800.00", "1700.50", "1234.56", "2935.06", "1000.00", "3864.94"
    )
    assert by_unit.total[8] == Decimal("0.4316")  # 2935.06 / 6800
    lines = {row[0]: row[1:] for row in by_line.rows}
    assert lines["春节慰问"][:5] == money("3600.00", "1400.50", "0.00", "1400.50", "1000.00")
    assert lines["重阳节慰问"][0] == Decimal("1200.00")
    assert by_line.total[1] == Decimal("6800.00")


def test_unit_staff_get_their_units_figures(year):
    by_unit, _by_line = budget_tables(user=year["unit_staff"], year=2026)
    assert {row[0] for row in by_unit.rows} == {"县教育局"}
    assert by_unit.total[2] == Decimal("5500.00")


def test_who_got_less_than_the_standard_for_chunjie_and_why(year, today):
    reach = reach_table(user=year["bureau"], year=2026, today=today)
    assert reach.register_date == D(2026, 1, 10)
    assert (reach.heads, reach.heads_in_full, reach.heads_short) == (4, 1, 3)
    assert reach.standard_total == Decimal("3400.00")
    assert reach.reached_total == Decimal("1400.50")
    rows = {row[1]: row for row in reach.table.rows}
    assert set(rows) == {"安二", "安三", "毕一"}
    assert rows["安二"][4:7] == money("800.00", "600.50", "199.50")
    assert rows["安二"][7] == "低于标准发放"
    assert rows["安三"][4:8] == [*money("1000.00", "0.00", "1000.00"), "已安排走访，尚未完成"]
    assert rows["毕一"][4:8] == [*money("800.00", "0.00", "800.00"), "已走访，未发慰问金或礼品"]
    assert reach.table.total[4:7] == money("2600.00", "600.50", "1999.50")


def test_a_cadre_never_visited_is_listed_as_such(year, today, unit_b):
    CadreFactory(unit=unit_b, name="毕二")
    reach = reach_table(user=year["bureau"], year=2026, today=today)
    assert {row[1]: row[7] for row in reach.table.rows}["毕二"] == "未走访"
    assert reach.heads == 5


def _sheet_values(content: bytes, title_part: str):
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = next(s for s in book.worksheets if title_part in s.title)
    return sheet


def test_the_page_and_the_xlsx_show_the_same_figures(client, year):
    client.force_login(year["bureau"])
    page = client.get(reverse("funds:report"), {"year": 2026})
    body = page.content.decode()
    for text in ("2,935.06", "3,864.94", "1,234.56", "43.2%"):
        assert text in body
    download = client.get(reverse("funds:report_xlsx"), {"year": 2026})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _sheet_values(download.content, "单位")
    cells = {}
    for row in sheet.iter_rows(min_row=5):
        if row[0].value and row[1].value is not None:
            cells[(row[0].value, row[1].value)] = row
    spent = cells[("县教育局", "小计")][5]
    assert isinstance(spent.value, float | int | Decimal) and not isinstance(spent.value, str)
    assert Decimal(str(spent.value)) == Decimal("2935.06")
    assert spent.number_format == "#,##0.00"
    total = next(row for row in sheet.iter_rows(min_row=5) if row[0].value == "合计")
    assert Decimal(str(total[7].value)) == Decimal("3864.94")
    assert total[8].number_format == "0.0%"
    record = ExportRecord.objects.get()
    assert record.user == year["bureau"] and record.kind == ExportRecord.Kind.FUNDS_REPORT
    assert record.parameters == {"year": 2026} and record.row_count > 0


def test_the_per_head_page_and_xlsx(client, year):
    client.force_login(year["bureau"])
    body = client.get(reverse("funds:reach"), {"year": 2026}).content.decode()
    assert "安二" in body and "199.50" in body and "安一" not in body
    content = client.get(reverse("funds:reach_xlsx"), {"year": 2026}).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    found = {row[1].value: row for row in sheet.iter_rows(min_row=5) if row[1].value}
    assert Decimal(str(found["安二"][6].value)) == Decimal("199.50")
    assert found["安二"][6].number_format == "#,##0.00"
    assert found["安二"][7].value == "低于标准发放"
    # The download names cadres: it is in the export log, a row per cadre listed.
    record = ExportRecord.objects.get()
    assert record.user == year["bureau"] and record.kind == ExportRecord.Kind.FUNDS_REACH
    assert record.row_count == len(found)
