"""Security headers on every page: the Content-Security-Policy and Permissions-Policy,
and no-store on whatever a signed-in user or an admin page shows."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import CadreFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_content_security_policy_allows_this_site_only(client, staff):
    client.force_login(staff)
    policy = directives(client.get(reverse("reports:dashboard")))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline scripts, no eval
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("name", ["accounts:login", "admin:login"])
def test_signed_out_pages_have_the_same_headers(client, name):
    response = client.get(reverse(name))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_permissions_policy_turns_devices_off(client, staff):
    client.force_login(staff)
    header = client.get(reverse("reports:dashboard"))["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    # The calendar link's copy button needs the clipboard: left at its default.
    assert "clipboard-write" not in features


@pytest.mark.parametrize(
    "name", ["reports:dashboard", "cadres:registry", "cadres:detail", "accounts:profile"]
)
def test_signed_in_pages_are_never_stored(client, staff, name):
    cadre = CadreFactory(unit=staff.unit)
    client.force_login(staff)
    args = [cadre.pk] if name == "cadres:detail" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_downloads_and_error_pages_of_a_signed_in_user_are_never_stored(client, staff):
    client.force_login(staff)
    from reports.statistics import STANDARD_TABLES

    table = STANDARD_TABLES[0].slug
    export = client.get(reverse("reports:table", args=[table]), {"format": "xlsx"})
    assert export["Content-Type"].endswith("spreadsheetml.sheet")
    missing = client.get(reverse("cadres:detail", args=[999999]))
    assert missing.status_code == 404
    for response in (export, missing):
        assert "no-store" in response["Cache-Control"]


def test_admin_pages_are_never_stored_even_signed_out(client, superuser):
    assert "no-store" in client.get(reverse("admin:login"))["Cache-Control"]
    client.force_login(superuser)
    response = client.get(reverse("admin:cadres_cadre_changelist"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_static_files_keep_their_caching(client, staff):
    client.force_login(staff)
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    assert "Pragma" not in static


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(ROOT))
        for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
        for path in folder.rglob("*.html")
        if "email" not in path.parts  # mail is not a web page
    ),
)
def test_templates_have_no_inline_script(template):
    """The policy refuses inline scripts: page scripts live in static/js."""
    text = (ROOT / template).read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), template
    assert not EVENT_HANDLER.search(text), template
    assert "javascript:" not in text, template
