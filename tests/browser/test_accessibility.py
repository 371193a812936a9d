"""Accessibility: axe-core (axe-playwright-python, which carries axe-core itself, no
internet) on every kind of staff page, in Chinese and in English, finds nothing serious
or critical. Elderly branch secretaries read these pages."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Team
from branches.models import PartyBranch
from cadres.models import Cadre, Visit
from reports.statistics import STANDARD_TABLES

from .test_reminders_pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DEMO_PASSWORD = "yinling-demo-2026"
SERIOUS = {"serious", "critical"}


def staff_pages() -> list[str]:
    """One page of every kind, with records from the demo data."""
    cadre = Cadre.objects.order_by("pk").first()
    visit = Visit.objects.order_by("pk").first()
    activity = Activity.objects.order_by("pk").first()
    branch = PartyBranch.objects.order_by("pk").first()
    team = Team.objects.order_by("pk").first()
    table = STANDARD_TABLES[0].slug
    # December 2026 starts on a Tuesday: its calendar shows 30 November, greyed, with an
    # activity on it (its link must keep its contrast there too).
    greyed_day = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))
    Activity.objects.filter(pk=Activity.objects.order_by("-pk").values("pk")[:1]).update(
        starts_at=greyed_day, ends_at=greyed_day + datetime.timedelta(hours=2)
    )
    pages = [
        reverse("reports:dashboard"),
        reverse("cadres:registry"),
        reverse("cadres:detail", args=[cadre.pk]),
        reverse("cadres:edit", args=[cadre.pk]),
        reverse("cadres:history", args=[cadre.pk]),
        reverse("cadres:new"),
        reverse("cadres:family_new", args=[cadre.pk]),
        reverse("cadres:visits"),
        reverse("cadres:visit_todo"),
        reverse("cadres:visit_new"),
        reverse("cadres:visit_detail", args=[visit.pk]),
        reverse("cadres:visit_edit", args=[visit.pk]),
        reverse("cadres:needs"),
        reverse("cadres:need_new"),
        reverse("reminders:campaign"),
        reverse("reminders:mine"),
        reverse("reminders:log"),
        reverse("activities:list"),
        reverse("activities:calendar"),
        f"{reverse('activities:calendar')}?month=2026-12",
        reverse("activities:new"),
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:teams"),
        reverse("activities:team", args=[team.pk]),
        reverse("activities:honours"),
        reverse("activities:suggestions"),
        reverse("branches:list"),
        reverse("branches:detail", args=[branch.pk]),
        reverse("branches:meeting_new", args=[branch.pk]),
        reverse("reports:index"),
        reverse("reports:table", args=[table]),
        reverse("reports:export_cadres"),
        reverse("reports:export_visits"),
        reverse("reports:export_attendance"),
        reverse("ledger:upload"),
        reverse("accounts:profile"),
        *funds_pages(),
    ]
    return pages


def funds_pages() -> list[str]:
    """The money's pages bureau staff use (the demo has this year's budget)."""
    from funds.models import BudgetLine, Expense

    line = BudgetLine.objects.order_by("pk").first()
    expense = Expense.objects.order_by("pk").first()
    return [
        reverse("funds:overview"),
        reverse("funds:line_detail", args=[line.pk]),
        reverse("funds:line_new"),
        reverse("funds:expenses"),
        reverse("funds:expense_new"),
        reverse("funds:expense_detail", args=[expense.pk]),
        reverse("funds:report"),
        reverse("funds:reach"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_serious_accessibility_findings_on_staff_pages(live_server, page, language):
    from axe_playwright_python.sync_playwright import Axe

    call_command("seed_demo", cadres=40, seed=3, verbosity=0)
    User.objects.filter(username="bureau").update(language=language)
    sign_in(page, live_server.url, "bureau", DEMO_PASSWORD)
    page.wait_for_selector("nav.site-navbar .dropdown")
    axe = Axe()
    findings = []
    for path in staff_pages():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"][0] for node in violation["nodes"][:6]]
                findings.append(
                    f"{path} {violation['id']} ({len(violation['nodes'])} nodes) {targets}"
                )
    assert findings == [], "\n".join(findings)


def test_no_serious_findings_on_the_new_pages_at_phone_width(live_server, page):
    """At 390 px a wide table scrolls inside its box: the box must be reachable from the
    keyboard (axe: scrollable-region-focusable), as must everything else."""
    from axe_playwright_python.sync_playwright import Axe

    from assistance.models import AssistanceCase
    from checkups.models import CheckupCampaign
    from distributions.models import Distribution

    call_command("seed_demo", cadres=60, seed=3, verbosity=0)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "bureau", DEMO_PASSWORD)
    paths = [
        reverse("assistance:list"),
        reverse("assistance:detail", args=[AssistanceCase.objects.order_by("pk").first().pk]),
        reverse("checkups:campaign", args=[CheckupCampaign.objects.order_by("pk").first().pk]),
        reverse("distributions:list"),
        reverse("distributions:detail", args=[Distribution.objects.order_by("pk").first().pk]),
        reverse("distributions:coverage"),
        reverse("reports:scorecard"),
        reverse("funds:overview"),
    ]
    axe = Axe()
    findings = []
    for path in paths:
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                findings.append(f"{path} {violation['id']} ({len(violation['nodes'])} nodes)")
    assert findings == [], "\n".join(findings)
