"""In a real browser: a unit opens a 特困帮扶 case, a colleague reviews it, the bureau
approves and pays it, and the year's 帮扶 reports — on screen, printed and as .xlsx —
show the same figures."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from assistance.models import AssistanceCase
from tests.browser.conftest import SCREENSHOTS
from tests.factories import CadreFactory, UnitFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def office(tmp_path, settings):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    unit = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    UserFactory(username="drafter", full_name="起草人", unit=unit)
    UserFactory(username="reviewer", full_name="审核人", unit=unit)
    UserFactory(username="bureau", full_name="局员", unit=bureau, role=User.Role.BUREAU_STAFF)
    cadre = CadreFactory(name="赵大明", unit=unit, hardship="extreme", living_situation="alone")
    return cadre


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")
    return context, page


def downloaded(download):
    """The downloaded workbook (Playwright's file has no .xlsx suffix)."""
    with open(download.path(), "rb") as file:
        return load_workbook(io.BytesIO(file.read()))


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_unit_case_approved_and_paid_shows_in_the_reports(live_server, browser, office, tmp_path):
    cadre = office
    year = timezone.localdate().year
    # The unit drafts the case, attaches a document and submits it.
    context, page = signed_in(browser, live_server, "drafter")
    page.goto(f"{live_server.url}{reverse('assistance:new')}?cadre={cadre.pk}")
    assert page.is_visible("[data-hint=hardship]") and page.is_visible("[data-hint=alone]")
    page.select_option("select[name=category]", "medical")
    page.fill("input[name=amount_requested]", "5000")
    page.fill("textarea[name=circumstances]", "突发脑梗住院，自付费用较高。")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=案件草稿已保存")
    page.click("text=上传材料")
    bill = tmp_path / "住院发票.pdf"
    bill.write_bytes(b"%PDF-1.4 bill")
    page.set_input_files("input[name=file]", str(bill))
    page.click("main button[type=submit]")
    page.wait_for_selector("a:has-text('住院发票.pdf')")
    page.click("[data-steps] >> text=提交")
    page.wait_for_selector("h1:has-text('提交')")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=案件已提交，等待单位审核")
    assert page.is_visible("text=本案件由您起草，由本单位其他同事审核")
    context.close()

    # A colleague of the unit reviews it from the list of assistance to do.
    context, page = signed_in(browser, live_server, "reviewer")
    page.goto(f"{live_server.url}{reverse('assistance:pending')}")
    page.click("table >> text=单位审核")
    page.fill("textarea[name=review_opinion]", "情况属实，同意上报。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=单位意见已记录")
    context.close()

    # The bureau sees it on the dashboard, approves 4,000.00 and pays it.
    context, page = signed_in(browser, live_server, "bureau")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}")
    assert page.inner_text("[data-figure=assistance_reviewed]") == "1"
    page.click("#assistance-pending >> text=打开待办帮扶")
    page.click("table >> text=审批")
    page.check("input[name=decision][value=approve]")
    page.fill("input[name=amount_approved]", "4000")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=案件已批准")
    page.click("[data-steps] >> text=登记拨付")
    page.select_option("select[name=payment_method]", "bank")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=拨付已登记")
    assert page.inner_text("[data-amount=paid]") == "4000.00"
    shot(page, "assistance-case-paid")
    case = AssistanceCase.objects.get()
    assert case.status == "paid" and case.amount_paid == Decimal("4000.00")
    assert case.expense.amount == Decimal("4000.00")

    # The year's reports: on screen, printed, and as .xlsx, the same figures.
    page.goto(f"{live_server.url}{reverse('assistance:report_cases')}?year={year}")
    total = page.locator("[data-table='1'] [data-total] td").all_inner_texts()
    assert total[0] == "合计" and total[1] == "1"
    assert total[-3:] == ["5,000.00", "4,000.00", "4,000.00"]
    page.emulate_media(media="print")
    assert page.is_visible("[data-table='1']")
    assert not page.is_visible("nav.navbar")
    printed = page.locator("[data-table='1'] [data-total] td").all_inner_texts()
    assert printed == total
    shot(page, "assistance-report-print")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("[data-xlsx]")
    sheet = downloaded(download.value).worksheets[0]
    row = [cell.value for cell in sheet[sheet.max_row]]
    assert row[1] == 1 and row[-3:] == [5000, 4000, 4000]
    assert sheet.cell(sheet.max_row, len(row)).number_format == "0.00"

    page.goto(f"{live_server.url}{reverse('assistance:report_scorecard')}?year={year}")
    score = page.locator("[data-table='1'] [data-total] td").all_inner_texts()
    # opened, handled, paid, amount paid, mean days, longest days, hardship cadres, visited
    assert score[1:9] == ["1", "1", "1", "4,000.00", "0.0", "0", "1", "0"]
    with page.expect_download() as download:
        page.click("[data-xlsx]")
    sheet = downloaded(download.value).worksheets[0]
    row = [cell.value for cell in sheet[sheet.max_row]]
    assert row[1:5] == [1, 1, 1, 4000] and row[7] == 1
    context.close()
