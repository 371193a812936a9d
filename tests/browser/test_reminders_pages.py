import datetime

import pytest
from django.utils import timezone

from reminders.models import ReminderKind, ReminderRule
from tests.factories import CadreFactory, UnitFactory, UserFactory

# serialized_rollback: rows seeded by data migrations (occasions, holidays, rules) are
# restored after each transactional test flushes the database.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def staff():
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    user = UserFactory(username="liaison", full_name="联络员甲", unit=office)
    ReminderRule.objects.filter(kind=ReminderKind.BIRTHDAY).update(lead_days=7)
    soon = timezone.localdate() + datetime.timedelta(days=2)
    cadre = CadreFactory(
        name="张三", unit=office, liaison=user, birth_date=soon.replace(year=soon.year - 80)
    )
    return user, cadre


def sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_sign_in_see_my_reminders_and_open_the_cadre(live_server, page, shot, staff):
    user, cadre = staff
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("h1:has-text('工作台')")
    shot("dashboard")
    page.click("a.nav-link:has-text('我的提醒')")
    page.wait_for_selector("h1:has-text('我的提醒')")
    assert "张三" in page.content() and "80岁生日" in page.content()
    shot("reminders-mine")
    page.click("text=张三")
    page.wait_for_selector("h1:has-text('张三')")
    assert "在册" in page.content() and cadre.masked_id_number in page.content()
    shot("cadre-page")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.uncheck("input[name=receives_reminders]")
    page.fill("input[name=reminder_lead_days]", "3")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=个人设置已保存")
    shot("profile-saved")
    user.refresh_from_db()
    assert user.receives_reminders is False and user.reminder_lead_days == 3


def test_another_units_cadre_is_not_found(live_server, page, staff):
    stranger = CadreFactory(name="赵六")
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("text=我的提醒")
    response = page.goto(f"{live_server.url}/cadres/{stranger.pk}/")
    assert response.status == 404


def test_phone_width_shows_the_menu_button(live_server, browser, staff):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("button.navbar-toggler")
    page.click("button.navbar-toggler")
    page.wait_for_selector("a.nav-link:has-text('党支部')")
    context.close()


def test_find_by_pinyin_initials_and_record_a_visit(live_server, page, shot, staff):
    _user, cadre = staff
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("text=我的提醒")
    page.click("a.nav-link:has-text('台账')")
    page.fill("input[name=q]", "zs")
    page.click("main button[type=submit]")
    page.wait_for_selector("table >> text=张三")
    shot("registry-search-zs")
    page.goto(f"{live_server.url}/cadres/visits/new/")
    page.fill("#cadre-search", "zs")
    page.wait_for_selector("[data-cadre-id]")
    page.click("[data-cadre-id]")
    assert "张三" in page.inner_text("[data-picker-chosen]")
    page.select_option("select[name=occasion]", label="日常走访")
    page.select_option("select[name=mode]", value="home")
    page.fill("textarea[name=notes]", "身体硬朗，精神很好。")
    shot("visit-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已登记对 张三 的走访")
    assert "日常走访" in page.content()
    shot("cadre-page-after-visit")
    page.click("a.nav-link:has-text('工作台')")
    page.wait_for_selector("h1:has-text('工作台')")
    assert "日常走访：1" in page.content()  # the visit is in this month's bar
    assert cadre.visits.filter(notes="身体硬朗，精神很好。").exists()
