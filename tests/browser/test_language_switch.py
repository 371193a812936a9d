"""The language switch in a real browser: English chosen from the user menu stays after
a reload and on the next sign-in, and the navbar stays on one line at office widths in
both languages (English labels run half as long again as the Chinese)."""

import pytest
from django.urls import reverse

from accounts.models import Language, User
from tests.factories import UnitFactory, UserFactory

from .test_reminders_pages import PASSWORD, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# The navbar folds behind the menu button below 1200 px; from there it is one line.
OFFICE_WIDTHS = (1200, 1366)

NAVBAR_LAYOUT = """() => {
  const nav = document.querySelector('nav.site-navbar');
  const items = [...nav.querySelectorAll('.navbar-brand, #nav > ul > li')]
    .filter(e => e.getBoundingClientRect().width > 0);
  const tops = items.map(e => Math.round(e.getBoundingClientRect().top));
  return {
    height: nav.getBoundingClientRect().height,
    lineHeight: nav.querySelector('.nav-link').getBoundingClientRect().height,
    tops: tops,
    right: Math.max(...items.map(e => e.getBoundingClientRect().right)),
    pageWidth: document.documentElement.scrollWidth,
    lang: document.documentElement.lang,
  };
}"""


@pytest.fixture
def staff():
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县人民政府办公室", code="GOV", parent=bureau)
    # A long name: the user menu must not push the navbar onto a second line.
    return UserFactory(
        username="liaison", full_name="欧阳诸葛司马慕容", unit=office, role=User.Role.UNIT_STAFF
    )


def choose(page, language: str) -> None:
    page.click("nav .dropdown-toggle[title]")  # the user menu
    with page.expect_navigation():
        page.click(f"nav form.language-switch button[value='{language}']")


def assert_one_line(page, width: int) -> dict:
    layout = page.evaluate(NAVBAR_LAYOUT)
    # The brand sits a pixel lower than the links: a second line would be a line lower.
    spread = max(layout["tops"]) - min(layout["tops"])
    assert spread < layout["lineHeight"] / 2, f"{layout['lang']} at {width}px wraps: {layout}"
    assert layout["height"] < 2 * layout["lineHeight"], layout
    assert layout["right"] <= width and layout["pageWidth"] <= width, layout
    return layout


def test_english_is_kept_after_a_reload_and_the_next_sign_in(
    live_server, browser, page, shot, staff
):
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("h1:has-text('工作台')")
    choose(page, Language.ENGLISH)
    page.wait_for_selector("h1:has-text('Dashboard')")
    page.reload()
    page.wait_for_selector("h1:has-text('Dashboard')")
    assert page.evaluate("document.documentElement.lang") == "en"
    shot("language-english-dashboard")
    staff.refresh_from_db()
    assert staff.language == Language.ENGLISH
    # Another browser (no cookie of this one): English again once signed in.
    elsewhere = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    other = elsewhere.new_page()
    other.goto(f"{live_server.url}/")
    other.wait_for_selector("h1:has-text('登录')")
    other.fill("input[name=username]", "liaison")
    other.fill("input[name=password]", PASSWORD)
    other.click("main button[type=submit]")
    other.wait_for_selector("h1:has-text('Dashboard')")
    elsewhere.close()
    # And back to Chinese.
    choose(page, Language.CHINESE)
    page.wait_for_selector("h1:has-text('工作台')")


@pytest.mark.parametrize("width", OFFICE_WIDTHS)
def test_the_navbar_is_one_line_in_both_languages(live_server, page, shot, staff, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "liaison")
    page.wait_for_selector("h1:has-text('工作台')")
    for language, heading in ((Language.CHINESE, "工作台"), (Language.ENGLISH, "Dashboard")):
        if page.evaluate("document.documentElement.lang") != language:
            choose(page, language)
        page.wait_for_selector(f"h1:has-text('{heading}')")
        assert_one_line(page, width)
        shot(f"navbar-{language}-{width}")
        # Every section's pages share the navbar; the widest labels are on each.
        page.goto(f"{live_server.url}{reverse('reports:index')}")
        assert_one_line(page, width)
        page.goto(f"{live_server.url}/dashboard/")
