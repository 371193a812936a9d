"""In a real browser: the bureau opens this year's checkup campaign and sees who is
still to be checked per unit; a liaison records a checkup with a finding to follow up,
and the follow-up visit appears in their visits to do."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from cadres.models import Visit
from checkups.models import Checkup
from tests.factories import (
    CadreFactory,
    CheckupCampaignFactory,
    CheckupFactory,
    UnitFactory,
    UserFactory,
)

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


def test_the_bureau_sees_who_is_still_to_check_and_a_liaison_records_a_finding(
    live_server, browser, page, shot, settings, tmp_path
):
    settings.PRIVATE_FILES_ROOT = tmp_path
    today = timezone.localdate()
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    edu = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    fin = UnitFactory(name="县财政局", code="FIN", parent=bureau)
    UserFactory(username="bureau", full_name="局干部", role=User.Role.BUREAU_STAFF, unit=bureau)
    liaison = UserFactory(username="liaison", full_name="联络员甲", unit=edu)
    campaign = CheckupCampaignFactory(
        name=f"{today.year}年健康体检",
        year=today.year,
        opens_on=max(today.replace(month=1, day=1), today - datetime.timedelta(days=20)),
        closes_on=today + datetime.timedelta(days=20),
    )
    wang = CadreFactory(name="王建国", unit=edu, liaison=liaison)
    CadreFactory(name="李秀英", unit=edu, liaison=liaison)
    CadreFactory(name="赵德明", unit=fin)
    CheckupFactory(campaign=campaign, cadre=CadreFactory(name="陈已检", unit=fin), checked_on=today)

    sign_in(page, live_server.url, "bureau")
    page.click("a.nav-link:has-text('走访慰问')")
    page.click("a.dropdown-item:has-text('健康体检')")
    page.click(f"a:has-text('{campaign.name}')")
    page.wait_for_selector("h1:has-text('健康体检')")
    by_unit = page.locator("#by-unit")
    assert by_unit.locator("tr:has-text('县教育局')").inner_text().count("0/2") == 1
    assert "1/2" in by_unit.locator("tr:has-text('县财政局')").inner_text()
    listed = page.locator(".checkup-list").inner_text()
    assert all(name in listed for name in ("王建国", "李秀英", "赵德明"))
    assert "陈已检" not in listed
    shot("checkup-campaign-bureau")
    # Who is still to be checked in one unit.
    by_unit.locator("a:has-text('县财政局')").click()
    page.wait_for_selector(".checkup-list")
    listed = page.locator(".checkup-list").inner_text()
    assert "赵德明" in listed and "王建国" not in listed

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    liaison_page = context.new_page()
    liaison_page.set_default_timeout(15_000)
    sign_in(liaison_page, live_server.url, "liaison")
    liaison_page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    liaison_page.locator("li[data-cadre='王建国'] a:has-text('登记体检')").click()
    liaison_page.wait_for_selector("h1:has-text('登记体检')")
    follow_up_on = today + datetime.timedelta(days=5)
    liaison_page.fill("input[name=checked_on]", today.isoformat())
    liaison_page.check("input[name=result][value=follow_up]")
    liaison_page.fill("textarea[name=result_summary]", "血压偏高，建议复查")
    liaison_page.fill("input[name=follow_up_on]", follow_up_on.isoformat())
    liaison_page.click("button[name=action][value=record]")
    liaison_page.wait_for_selector("text=已登记王建国的体检")
    liaison_page.click("a.nav-link:has-text('走访慰问')")
    liaison_page.click("a.dropdown-item:has-text('待办走访')")
    liaison_page.wait_for_selector("h1:has-text('待办走访')")
    row = liaison_page.locator("table.visit-todo tr:has-text('王建国')")
    assert follow_up_on.isoformat() in row.inner_text()
    context.close()

    checkup = Checkup.objects.get(campaign=campaign, cadre=wang)
    assert checkup.result == "follow_up"
    assert checkup.follow_up_visit.status == Visit.Status.PLANNED
    assert checkup.follow_up_visit.due_on == follow_up_on
