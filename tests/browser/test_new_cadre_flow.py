"""A new retiree registered on a phone, without admin: unit staff open 新增老干部 from
the registry, are warned that a cadre with the same name and date of birth is already
registered, confirm it is a different person, and add two family contacts on the new
cadre's page."""

import datetime

import pytest
from django.urls import reverse

from cadres.models import Cadre, CadreStatus
from tests.factories import CadreFactory, UnitFactory, UserFactory, make_id_number

from .test_reminders_pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BIRTH = datetime.date(1948, 6, 1)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def unit_a():
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    unit = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    UserFactory(username="staff-a", full_name="联络员甲", unit=unit)
    # An earlier record of the same name and birth date: another man, who has died.
    CadreFactory(
        name="赵建国",
        unit=unit,
        birth_date=BIRTH,
        status=CadreStatus.DECEASED,
        died_on=datetime.date(2021, 3, 1),
    )
    return unit


def add_contact(page, link, *, name, relation, phone, emergency):
    page.click(f"{link} a:has-text('添加家属联系人')")
    page.wait_for_selector("h1:has-text('添加家属联系人')")
    page.fill("input[name=name]", name)
    page.select_option("select[name=relation]", relation)
    page.fill("input[name=phone]", phone)
    if emergency:
        page.check("input[name=is_emergency_contact]")
    page.click("main button:has-text('保存')")
    page.wait_for_selector(f".alert-success:has-text('{name}')")


def test_register_a_new_retiree_and_the_family_on_a_phone(live_server, phone, unit_a):
    page = phone
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    shots = []

    def shot(name):
        from .conftest import SCREENSHOTS

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    sign_in(page, live_server.url, "staff-a")
    page.wait_for_selector("h1:has-text('工作台')")
    page.goto(f"{live_server.url}{reverse('cadres:registry')}")
    page.click("main a:has-text('新增老干部')")
    page.wait_for_selector("h1:has-text('新增老干部')")
    page.fill("input[name=name]", "赵建国")
    page.select_option("select[name=gender]", "M")
    page.fill("input[name=birth_date]", BIRTH.isoformat())
    page.fill("input[name=id_number]", make_id_number(BIRTH, male=True))
    page.select_option("select[name=retirement_kind]", "tuixiu")
    page.fill("input[name=retirement_date]", "2008-07-01")
    page.fill("input[name=phone]", "13800001111")
    page.fill("input[name=residential_community]", "城东社区")
    shot("cadre-new-phone")
    page.click("main button.btn-lg:has-text('保存')")

    warning = page.wait_for_selector("#namesake-warning")
    assert "台账中已有同名同出生日期的老干部" in warning.inner_text()
    assert "已故" in warning.inner_text()  # the earlier record, with its status
    assert Cadre.objects.filter(name="赵建国").count() == 1
    shot("cadre-new-duplicate-warning-phone")
    page.check("#namesake-warning input[name=confirm_not_duplicate]")
    page.click("#namesake-warning button:has-text('保存')")

    page.wait_for_selector(".alert-success:has-text('请继续添加家属联系人')")
    cadre = Cadre.objects.get(name="赵建国", status=CadreStatus.ON_REGISTER)
    assert page.url.endswith(cadre.get_absolute_url())
    assert cadre.unit == unit_a  # the unit staff's own unit, preselected

    # The success message invites to add the family; then the family section's button.
    add_contact(
        page, ".alert-success", name="赵小红", relation="child", phone="13900002222", emergency=True
    )
    add_contact(
        page, "#family", name="钱桂芳", relation="spouse", phone="13900003333", emergency=False
    )
    family = page.inner_text("#family")
    assert "赵小红" in family and "钱桂芳" in family and "紧急联系人" in family
    page.locator("#family").scroll_into_view_if_needed()
    shot("cadre-family-phone")

    assert sorted(cadre.family_contacts.values_list("name", flat=True)) == ["赵小红", "钱桂芳"]
    assert not [url for url in requested if "/admin/" in url]
    assert all(path.stat().st_size > 0 for path in shots)
