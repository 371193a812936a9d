"""The main pages in a real browser under the Content-Security-Policy and
Permissions-Policy: nothing refused, no console errors, and the page scripts (htmx's
cadre picker, the honour form, the admin's language switch and periodic-task form) still
work from their static files."""

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.models import User
from tests.factories import ActivityFactory, CadreFactory, UnitFactory, UserFactory

from .test_reminders_pages import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every securitypolicyviolation event of every document, kept on window.
COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
      `(${event.sourceFile || document.location.pathname}:${event.lineNumber})`
  );
});
"""


class Watcher:
    """Console errors, uncaught exceptions and policy violations of the page."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def _console(self, message):
        text = message.text
        if message.type == "error" or "Policy" in text or "policy" in text:
            self.problems.append(f"console {message.type}: {text}")

    def visit(self, url: str, ready: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(ready)
        self.check(url)

    def check(self, where: str) -> None:
        self.page.wait_for_load_state("networkidle")
        violations = self.page.evaluate("window.__violations")
        problems, self.problems = self.problems, []
        assert not violations and not problems, (where, violations, problems)


@pytest.fixture
def administrator():
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    office = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    user = UserFactory(
        username="chief",
        full_name="管理员甲",
        unit=bureau,
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
    cadre = CadreFactory(name="张三", unit=office)
    ActivityFactory(title="重阳节登高", unit=office)
    return user, cadre


def test_the_policy_refuses_inline_handlers_and_foreign_images(live_server, page):
    """The check below could fail: what the policy refuses is reported to the watcher."""
    watcher = Watcher(page)
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        '\'<button id="inline" onclick="window.__ran = true">x</button>'
        '<img src="http://elsewhere.invalid/x.png">\')'
    )
    page.click("#inline")
    page.wait_for_function("window.__violations.length >= 2")
    refused = " ".join(page.evaluate("window.__violations"))
    assert "script-src-attr" in refused and "img-src" in refused
    assert page.evaluate("window.__ran") is None
    with pytest.raises(AssertionError):
        watcher.check("login")


def test_main_pages_run_under_the_policy(live_server, page, shot, administrator):
    _user, cadre = administrator
    base = live_server.url
    watcher = Watcher(page)

    watcher.visit(f"{base}/", "input[name=username]")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('工作台')")
    watcher.check("dashboard")
    # Bootstrap's script: the user menu opens.
    page.click("a.dropdown-toggle:has-text('管理员甲')")
    page.wait_for_selector(".dropdown-menu.show")
    watcher.check("dashboard menu")

    watcher.visit(f"{base}{reverse('cadres:registry')}", "table >> text=张三")
    watcher.visit(f"{base}{reverse('cadres:detail', args=[cadre.pk])}", "h1:has-text('张三')")
    watcher.visit(f"{base}{reverse('reminders:mine')}", "h1")
    watcher.visit(f"{base}{reverse('cadres:visit_todo')}", "h1")

    # htmx's cadre picker on the visit form: type, choose, and the hidden field is set.
    watcher.visit(f"{base}{reverse('cadres:visit_new')}", "#cadre-search")
    page.fill("#cadre-search", "张")
    page.click("[data-cadre-id]")
    assert page.inner_text("[data-picker-chosen]").startswith("张三")
    assert page.input_value("input[name=cadre]") == str(cadre.pk)
    shot("csp-visit-form-picker")
    watcher.check("visit form picker")

    watcher.visit(f"{base}{reverse('activities:calendar')}", ".activity-calendar")
    # The honour form shows only the chosen recipient's field (static/js now).
    watcher.visit(f"{base}{reverse('activities:honour_new')}", "#honour-form")
    assert page.is_hidden("[data-recipient=branch]")
    page.check("input[name=recipient_kind][value=branch]")
    page.wait_for_selector("[data-recipient=branch]", state="visible")
    assert page.is_hidden("[data-recipient=cadre]")
    watcher.check("honour form")

    watcher.visit(f"{base}{reverse('reports:index')}", "h1")
    page.click("main a[href*='/statistics/']")
    page.wait_for_selector("button[data-print]")
    shot("csp-statistics-table")
    watcher.check("statistics table")

    # Admin: the changelist, a change form, the sign-in records, the periodic task form.
    watcher.visit(f"{base}{reverse('admin:cadres_cadre_changelist')}", "#result_list")
    watcher.visit(f"{base}{reverse('admin:cadres_cadre_change', args=[cadre.pk])}", "form")
    watcher.visit(f"{base}{reverse('admin:axes_accessfailurelog_changelist')}", "#content")
    task = PeriodicTask.objects.exclude(crontab=None).first()
    watcher.visit(
        f"{base}{reverse('admin:django_celery_beat_periodictask_change', args=[task.pk])}",
        "#id_crontab",
    )
    page.select_option("#id_crontab", str(task.crontab_id))
    page.wait_for_selector(".field-crontab .help:has-text('Translation:')")
    watcher.check("periodic task form")
    # The admin's language switch submits on change.
    page.select_option(".language-switch select", "en")
    page.wait_for_selector("html[lang=en]")
    shot("csp-admin-english")
    watcher.check("admin in English")
