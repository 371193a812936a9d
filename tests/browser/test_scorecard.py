"""The unit scorecard in a browser: bureau staff open it from the menu, the units are
ranked by their score, and a figure opens the list behind it (the cadres counted and
not counted; a unit's branches)."""

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import (
    BranchMeetingFactory,
    CadreFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
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


def test_the_scorecard_ranks_units_and_opens_the_lists_behind_figures(live_server, page, shot):
    today = timezone.localdate()
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    education = UnitFactory(name="县教育局", code="EDU", parent=bureau, sort_order=1)
    finance = UnitFactory(name="县财政局", code="FIN", parent=bureau, sort_order=2)
    UserFactory(username="bureau", role=User.Role.BUREAU_STAFF, unit=bureau)
    visited = [CadreFactory(name=name, unit=education) for name in ("王建国", "李秀英")]
    not_visited = CadreFactory(name="赵未访", unit=education)
    for cadre in (*visited, *(CadreFactory(name=n, unit=finance) for n in ("钱已访", "孙已访"))):
        VisitFactory(cadre=cadre, visited_on=today)
    branch = PartyBranchFactory(unit=education, name="教育局退休干部第一党支部")
    BranchMeetingFactory(branch=branch, held_on=today)

    sign_in(page, live_server.url, "bureau")
    page.wait_for_selector("text=我的提醒")
    page.click("nav >> text=统计与导出")
    page.click("text=单位目标考核")
    page.wait_for_selector("table.scorecard-table")
    scorecard_url = page.url
    rows = page.locator("table.scorecard-table tbody tr")
    assert rows.count() == 2
    # 县财政局 visited everyone; 县教育局 two of three: the finance bureau ranks first.
    assert rows.nth(0).locator("th").inner_text() == "县财政局"
    assert rows.nth(0).get_attribute("data-rank") == "1"
    assert rows.nth(1).locator("th").inner_text() == "县教育局"
    assert rows.nth(1).get_attribute("data-rank") == "2"
    coverage = rows.nth(1).locator("a[data-figure=visit_coverage]")
    assert coverage.inner_text() == "2/3"
    shot("scorecard")

    coverage.click()
    page.wait_for_selector("table.scorecard-list")
    listed = page.locator("table.scorecard-list tbody")
    for cadre in (*visited, not_visited):
        assert listed.locator(f"text={cadre.name}").count() == 1
    assert page.locator("text=钱已访").count() == 0
    page.click("text=未计入")
    page.wait_for_selector("table.scorecard-list >> text=赵未访")
    assert page.locator("table.scorecard-list >> text=王建国").count() == 0
    page.click(f"table.scorecard-list >> text={not_visited.name}")
    page.wait_for_url(f"**/cadres/{not_visited.pk}/")

    page.goto(scorecard_url)
    page.click("table.scorecard-table tbody tr:nth-child(2) a[data-figure=branch_meetings]")
    page.wait_for_selector(f"text={branch.name}")
    assert f"unit={education.pk}" in page.url
