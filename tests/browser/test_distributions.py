"""The political treatment in a browser: a briefing ticked as delivered to everyone who
attended a branch meeting, then to one homebound cadre at home (送学上门); the cadre's
page shows it."""

import datetime

import pytest
from django.utils import timezone

from distributions.models import Delivery
from tests.factories import (
    BranchMeetingFactory,
    BranchRoleFactory,
    CadreFactory,
    DistributionFactory,
    PartyBranchFactory,
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


def test_a_briefing_reaches_a_meeting_and_a_homebound_cadre(live_server, page, shot):
    today = timezone.localdate()
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    UserFactory(username="liaison", full_name="联络员甲", unit=office)
    branch = PartyBranchFactory(unit=office, name="教育局退休干部第一党支部")
    attendees = [CadreFactory(name=name, unit=office) for name in ("王建国", "李秀英", "赵志强")]
    absent = CadreFactory(name="孙卧床", unit=office, health="bedridden")
    for cadre in (*attendees, absent):
        BranchRoleFactory(branch=branch, cadre=cadre)
    meeting = BranchMeetingFactory(
        branch=branch, held_on=today - datetime.timedelta(days=3), topic="学习情况通报"
    )
    meeting.attendees.set(attendees)
    DistributionFactory(
        unit=bureau,
        title="全区经济社会发展情况通报",
        issued_on=today - datetime.timedelta(days=10),
        year=today.year,
    )

    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("text=我的提醒")
    page.goto(f"{live_server.url}/distributions/")
    page.click("table >> text=全区经济社会发展情况通报")
    page.click("text=登记送达")
    page.wait_for_selector("text=尚未送达（4）")
    page.select_option("#deliver-meeting select[name=meeting]", str(meeting.pk))
    page.click("#deliver-meeting button[type=submit]")
    page.wait_for_selector("text=已为全区经济社会发展情况通报登记 3 条送达记录。")
    assert "尚未送达（1）" in page.content()
    assert {d.cadre.name for d in Delivery.objects.select_related("cadre")} == {
        "王建国",
        "李秀英",
        "赵志强",
    }
    assert set(Delivery.objects.values_list("delivered_on", "way", "branch_meeting")) == {
        (meeting.held_on, "meeting", meeting.pk)
    }
    shot("distribution-meeting-ticked")

    # The one who could not come: brought home by the liaison.
    row = page.locator("#deliver-cadres tr", has_text="孙卧床")
    assert "行动不便" in row.inner_text()
    row.locator("input[type=checkbox]").check()
    page.select_option("#deliver-cadres select[name=way]", "home")
    page.fill("#deliver-cadres input[name=delivered_on]", today.isoformat())
    page.click("#deliver-cadres button[type=submit]")
    page.wait_for_selector("text=已为全区经济社会发展情况通报登记 1 条送达记录。")
    assert "您可见的发放对象均已收到。" in page.content()
    home = Delivery.objects.get(cadre=absent)
    assert (home.way, home.delivered_on) == ("home", today)

    page.goto(f"{live_server.url}/cadres/{absent.pk}/")
    section = page.locator("#political-treatment")
    section.wait_for()
    text = section.inner_text()
    assert "全区经济社会发展情况通报" in text
    assert "送学上门" in text
    assert today.isoformat() in text
    shot("distribution-cadre-page")
