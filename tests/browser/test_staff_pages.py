"""The daily work of a unit staff member in a real browser: check in who came to an
activity, see it on the cadre's timeline, open the branch page and its history."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Attendance
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
)

from .test_reminders_pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def office():
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    UserFactory(username="liaison", full_name="联络员甲", unit=office)
    return office


def test_check_in_attendance_and_see_it_on_the_timeline(live_server, page, shot, office):
    came = CadreFactory(name="张三", unit=office)
    stayed_home = CadreFactory(name="李四", unit=office)
    activity = ActivityFactory(
        title="重阳节登高",
        unit=office,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )
    for cadre in (came, stayed_home):
        AttendanceFactory(activity=activity, cadre=cadre, status=Attendance.Status.REGISTERED)
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("h1:has-text('工作台')")
    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    page.wait_for_selector("h1:has-text('重阳节登高')")
    page.check(f"#row-{came.pk} input[type=checkbox]")
    page.fill(f"#row-{came.pk} input[type=number]", "2.5")
    shot("activity-check-in")
    page.click("#save-check-in")
    page.wait_for_selector(".alert-success")
    shot("activity-checked-in")
    assert Attendance.objects.get(cadre=came).status == Attendance.Status.ATTENDED
    assert str(Attendance.objects.get(cadre=came).volunteer_hours) == "2.5"
    assert Attendance.objects.get(cadre=stayed_home).status == Attendance.Status.ABSENT
    page.click(f"#row-{came.pk} a:has-text('张三')")
    page.wait_for_selector("#timeline")
    assert "重阳节登高" in page.inner_text("#timeline")
    shot("cadre-timeline")
    page.click("a.nav-link:has-text('修改记录')")
    page.wait_for_selector("h1:has-text('张三')")
    shot("cadre-history")


def test_branch_page_and_meeting_form(live_server, page, shot, office):
    branch = PartyBranchFactory(name="教育局离退休干部第一党支部", unit=office)
    BranchRoleFactory(
        branch=branch, cadre=CadreFactory(name="王书记", unit=office), role="secretary"
    )
    BranchRoleFactory(branch=branch, cadre=CadreFactory(name="赵党员", unit=office))
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("h1:has-text('工作台')")
    page.click("a.nav-link:has-text('党支部')")
    page.wait_for_selector("text=教育局离退休干部第一党支部")
    shot("branch-list")
    page.click("text=教育局离退休干部第一党支部")
    page.wait_for_selector("h1:has-text('教育局离退休干部第一党支部')")
    assert "王书记" in page.content() and "赵党员" in page.content()
    shot("branch-page")
