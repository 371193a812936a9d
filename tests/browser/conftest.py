"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Under CI=true a missing browser fails the run; elsewhere these tests are skipped with
the reason (install it with `apt-get install -y chromium fonts-wqy-microhei`).
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = "Chromium is not installed (apt-get install -y chromium fonts-wqy-microhei)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the live server's ORM
    # calls happen in another thread, so Django's async-safety check must be relaxed.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def seeded_rows(transactional_db):
    """A transactional test's flush also removes the rows that data migrations seed
    (visit occasions, holidays, reminder rules, the daily schedule): seed them again."""
    from django.apps import apps

    for module in (
        "cadres.migrations.0002_seed_visit_occasions",
        "cadres.migrations.0012_visit_work_items_data",
        "reminders.migrations.0002_seed_holidays_rules_schedule",
        "reminders.migrations.0005_visit_reminder_kinds",
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
