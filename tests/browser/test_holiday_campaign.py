"""The holiday campaign in a browser: last year's 春节 chosen by its year, a page of the
cadres still to visit ticked at once, a date outside the visit window refused with the
window, then the group event recorded and counted for that year."""

import datetime

import pytest
from django.utils import timezone

from cadres.models import Visit
from reminders.campaign_selectors import campaign_occurrences
from reminders.holiday_rules import holiday_visit_window
from reminders.models import Holiday
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


def test_a_group_event_for_last_years_spring_festival(live_server, browser, page, shot):
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    UserFactory(username="liaison", full_name="联络员甲", unit=office)
    cadres = [CadreFactory(unit=office) for _ in range(55)]
    spring = Holiday.objects.get(name="春节")
    # Last year's: its window is over, so any date in it has passed.
    last_year = campaign_occurrences(holiday=spring, today=timezone.localdate())[1]
    first, last = holiday_visit_window(spring, last_year)

    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("text=我的提醒")
    page.goto(f"{live_server.url}/reminders/campaign/{spring.pk}/")
    page.click(f"nav[aria-label='年度'] >> text={last_year.year}")
    page.wait_for_selector(f"text={first.isoformat()} 至 {last.isoformat()}")
    assert "尚未走访（55）" in page.content()
    page.click("button[data-tick=all]")
    assert page.inner_text("[data-ticked-count]") == "50"  # the first page
    page.fill("input[name=visited_on]", (last + datetime.timedelta(days=1)).isoformat())
    page.click("form[data-tick-box] button[type=submit]")
    page.wait_for_selector(".invalid-feedback, .alert-danger")
    assert f"走访日期应在 {first.isoformat()} 至 {last.isoformat()} 之间（春节慰问期）" in (
        page.content()
    )
    assert page.inner_text("[data-ticked-count]") == "50"  # still ticked after the refusal
    assert not Visit.objects.exists()
    shot("campaign-window-refused")

    page.fill("input[name=visited_on]", last.isoformat())
    page.click("form[data-tick-box] button[type=submit]")
    page.wait_for_selector("text=已走访（50）")
    assert "尚未走访（5）" in page.content()
    assert Visit.objects.filter(visited_on=last, cadre__in=cadres).count() == 50
    shot("campaign-recorded")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    small = phone.new_page()
    sign_in(small, live_server.url, "liaison")
    small.wait_for_selector("button.navbar-toggler")
    small.goto(f"{live_server.url}/reminders/campaign/{spring.pk}/?occurrence={last_year}")
    small.wait_for_selector("text=已走访（50）")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide at phone width"
    phone.close()
