"""The registry on a phone (390 × 844): the registry, the visit list and the visits to do
show one card per cadre or visit, the filters fold behind one button, and no page —
those lists, a cadre's page, the visit-completion form — scrolls sideways or has an
element wider than the screen."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cadres.models import Cadre, Visit
from tests.browser.conftest import SCREENSHOTS
from tests.factories import VisitFactory

from .test_reminders_pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "yinling-demo-2026"

# Visible elements whose box reaches past the viewport's right edge (or starts left of
# it). Elements inside a scrolling box are clipped by it, so they are not counted.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      let scrolled = false;
      for (let up = element.parentElement; up; up = up.parentElement) {
        const overflow = getComputedStyle(up).overflowX;
        if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") {
          scrolled = true;
          break;
        }
      }
      if (!scrolled) found.push(`${element.tagName}.${element.className} ${box.right}`);
    }
  }
  return found;
}"""


@pytest.fixture
def demo():
    """The demo data, and a few planned visits of the unit's cadres (one overdue)."""
    call_command("seed_demo", cadres=60, seed=7, verbosity=0)
    today = timezone.localdate()
    cadres = Cadre.objects.filter(unit__users__username="unit").order_by("pk")[:3]
    for offset, cadre in zip((-4, 0, 3), cadres, strict=False):
        VisitFactory(
            cadre=cadre,
            status=Visit.Status.PLANNED,
            visited_on=None,
            mode="",
            due_on=today + datetime.timedelta(days=offset),
        )


def assert_fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "window.innerWidth"
    )
    assert page.evaluate(OVERFLOWING) == []


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_unit_staff_work_the_registry_on_a_phone(live_server, browser, demo):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "unit", DEMO_PASSWORD)
    page.wait_for_selector("h1:has-text('工作台')")
    assert_fits(page)
    shot(page, "phone-dashboard")

    page.goto(f"{live_server.url}/cadres/")
    page.wait_for_selector("h1:has-text('台账')")
    assert page.locator("table").first.is_hidden()
    cards = page.locator("ul.phone-cards > li.card")
    assert cards.count() > 0
    assert not page.locator("#registry-filters").is_visible()
    assert_fits(page)
    shot(page, "phone-registry")
    page.click("button[data-bs-target='#registry-filters']")
    page.wait_for_selector("#registry-filters.show input[name=q]")
    assert_fits(page)
    shot(page, "phone-registry-filters")

    page.goto(f"{live_server.url}/cadres/visits/")
    page.wait_for_selector("ul.phone-cards")
    assert not page.locator("#visit-filters").is_visible()
    assert_fits(page)
    shot(page, "phone-visits")

    page.goto(f"{live_server.url}/cadres/visits/todo/")
    page.wait_for_selector("h1:has-text('待办走访')")
    assert page.locator("ul.phone-cards > li.card").count() >= 2
    assert not page.locator("#todo-filters").is_visible()
    assert_fits(page)
    shot(page, "phone-visit-todo")

    cadre = Cadre.objects.filter(unit__users__username="unit").first()
    page.goto(f"{live_server.url}{cadre.get_absolute_url()}")
    page.wait_for_selector(f"h1:has-text('{cadre.name}')")
    assert_fits(page)
    shot(page, "phone-cadre")

    visit = Visit.objects.filter(
        status=Visit.Status.PLANNED, cadre__unit__users__username="unit"
    ).first()
    page.goto(f"{live_server.url}/cadres/visits/{visit.pk}/complete/")
    page.wait_for_selector("h1:has-text('完成走访')")
    assert_fits(page)
    # The save button is within the thumb's reach: on screen without scrolling.
    box = page.locator("main button[type=submit]").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    shot(page, "phone-visit-complete")
    context.close()
