"""From the morning's digest to a done condolence visit, on a phone: the link of the
planned condolence visit opens its completion form (after signing in), the visit is
completed, and the next day's plan no longer asks for it."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from cadres.services import cadre_mark_deceased
from reminders.delivery_services import digest_send
from reminders.models import Digest, ReminderKind, ReminderRule
from reminders.rules import due_items_by_recipient
from reminders.services import reminders_plan_day
from tests.browser.conftest import SCREENSHOTS
from tests.factories import CadreFactory, UnitFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "pw-for-tests-1"
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def condolence():
    """A cadre marked deceased yesterday by their liaison: the condolence visit is planned."""
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    liaison = UserFactory(
        username="liaison", full_name="联络员甲", unit=office, email="liaison@example.com"
    )
    ReminderRule.objects.exclude(kind=ReminderKind.PLANNED_VISIT).update(is_active=False)
    cadre = CadreFactory(name="王五", unit=office, liaison=liaison)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    visit = cadre_mark_deceased(cadre=cadre, died_on=yesterday, by=liaison)
    return liaison, cadre, visit


def test_complete_the_condolence_visit_from_the_digest_link_on_a_phone(
    live_server, browser, condolence
):
    liaison, _cadre, visit = condolence
    today = timezone.localdate()
    reminders_plan_day(day=today)
    digest_send(digest_id=Digest.objects.get(recipient=liaison).pk)
    [message] = mail.outbox
    assert message.body.index("【计划走访到期】") < message.body.index("王五：计划走访（去世吊唁）")
    link = re.search(r"http://testserver(/cadres/visits/\d+/complete/)", message.body).group(1)

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{link}")
    page.fill("input[name=username]", "liaison")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('完成走访')")
    assert "此次走访为慰问家属" in page.content()
    assert page.is_checked(f"input[name=visitors][value='{liaison.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "visit-complete-phone")
    page.fill("input[name=condolence_money]", "2000")
    page.fill("input[name=leaders]", "局长")
    page.fill("textarea[name=notes]", "慰问家属，协助办理后事。")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已完成对 王五 的去世吊唁走访")
    page.wait_for_selector("h1:has-text('待办走访')")
    assert "没有到期的计划走访" in page.content()
    shot(page, "visit-todo-after-complete-phone")
    context.close()

    visit.refresh_from_db()
    assert (visit.status, visit.visited_on, visit.condolence_money) == ("done", today, 2000)
    assert list(visit.visitors.all()) == [liaison]
    assert due_items_by_recipient(today + datetime.timedelta(days=1)) == {}
