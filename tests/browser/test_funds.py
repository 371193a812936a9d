"""慰问经费 in a real browser: the administrator sets the year's standards and computes
the budget, which appears per unit; unit staff record a 春节 visit with money and see
the remaining budget fall as they type and after saving; the 慰问经费 report shows the
same figures on the page and in its .xlsx."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from accounts.models import User
from cadres.models import VisitOccasion
from tests.factories import CadreFactory, UnitFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "pw-for-tests-1"


def sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("nav.site-navbar")


def add_standard(page, *, kind_label: str, amount: str):
    form = page.locator("form[data-standard-form]")
    form.locator("select[name=occasion]").select_option(label="春节慰问")
    form.locator("select[name=retirement_kind]").select_option(label=kind_label)
    form.locator("select[name=basis]").select_option("per_head")
    form.locator("input[name=amount]").fill(amount)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=标准已保存")


def row(page, unit: str, line: str):
    return page.locator(f"tr[data-unit='{unit}'][data-line='{line}']")


def test_standards_budget_visit_and_report(live_server, browser):
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    UserFactory(username="admin", unit=None, role=User.Role.ADMINISTRATOR, full_name="管理员")
    UserFactory(username="unit", unit=office, full_name="单位联络员")
    visited = CadreFactory(unit=office, name="王建国")
    CadreFactory(unit=office, name="李明")
    CadreFactory(
        unit=office,
        name="赵老",
        retirement_kind="lixiu",
        birth_date=date(1932, 5, 1),
    )
    year = timezone.localdate().year
    spring = VisitOccasion.objects.get(code="spring_festival")
    base = live_server.url

    # The administrator sets the year's standards and computes the budget.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = admin.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "admin")
    page.click("nav.site-navbar .dropdown-toggle[href='/cadres/visits/']")
    page.click("nav.site-navbar >> text=慰问标准")
    page.wait_for_selector(f"h1:has-text('慰问标准 · {year}')")
    add_standard(page, kind_label="退休", amount="800")
    add_standard(page, kind_label="离休", amount="1000")
    assert page.locator("table[data-standards] tbody tr").count() == 2
    page.click("main >> text=测算预算")
    page.click("main >> text=显示测算结果")
    page.wait_for_selector("table[data-compute-preview]")
    preview = row(page, "县教育局", "spring_festival")
    assert preview.locator("[data-computed]").inner_text() == "2,600.00"
    assert preview.locator("[data-difference]").inner_text() == "+2,600.00"
    page.click("text=应用此预算")
    page.wait_for_selector("text=预算已测算")
    budget = row(page, "县教育局", "spring_festival")
    assert budget.locator("[data-budget]").inner_text() == "2,600.00"
    assert budget.locator("[data-remaining]").inner_text().startswith("2,600.00")
    admin.close()

    # Unit staff record a 春节 visit with money and gifts, and see the remaining fall.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = staff.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "unit")
    page.goto(f"{base}/cadres/visits/new/?occasion={spring.pk}")
    panel = page.locator("#visit-budget")
    # The cadre is chosen with the picker: the unit's remaining budget appears.
    page.fill("#cadre-search", "王建国")
    page.click(f"[data-cadre-id='{visited.pk}']")
    panel.locator("text=2,600.00").wait_for()
    page.fill("input[name=condolence_money]", "500")
    page.fill("input[name=gifts_value]", "300")
    panel.locator("text=1,800.00").wait_for()
    assert "超出预算" not in panel.inner_text()
    page.fill("input[name=gifts_value]", "2300")
    panel.locator("[data-overspends]").wait_for()
    page.fill("input[name=gifts_value]", "300")
    panel.locator("text=1,800.00").wait_for()
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已登记对 王建国 的走访")
    page.goto(f"{base}/funds/?year={year}")
    line = row(page, "县教育局", "spring_festival")
    assert line.locator("[data-spent]").inner_text() == "800.00"
    assert line.locator("[data-remaining]").inner_text().startswith("1,800.00")

    # The report shows the same figures on the page and in its .xlsx.
    page.goto(f"{base}/funds/report/?year={year}")
    text = page.locator("main").inner_text()
    assert "2,600.00" in text and "800.00" in text and "1,800.00" in text
    with page.expect_download() as download:
        page.click("[data-xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as xlsx:
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.read())).worksheets[0]
    found = {
        (cells[0].value, cells[1].value): [c.value for c in cells]
        for cells in sheet.iter_rows(min_row=5)
        if cells[0].value
    }
    spring_row = found[("县教育局", "春节慰问")]
    assert [Decimal(str(v)) for v in spring_row[2:8]] == [
        Decimal("2600"),
        Decimal("800"),
        Decimal("0"),
        Decimal("800"),
        Decimal("0"),
        Decimal("1800"),
    ]
    staff.close()
