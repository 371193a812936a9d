"""The language switch (中文 / English) in the user menu: Chinese unless the user chooses
English, remembered on their login so that every device they sign in on follows it."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Language, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SWITCH = reverse("accounts:language")
DASHBOARD = reverse("reports:dashboard")


@pytest.fixture
def staff(unit_a):
    user = UserFactory(unit=unit_a, username="liu")
    user.set_password("pw-for-tests-1")
    user.save()
    return user


def lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_chinese_by_default_even_for_an_english_browser(client, staff):
    client.force_login(staff)
    response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert lang(response) == "zh-hans" and "工作台" in response.content.decode()
    assert staff.language == Language.CHINESE


def test_the_user_menu_offers_both_languages_each_named_in_itself(client, staff):
    client.force_login(staff)
    body = client.get(DASHBOARD).content.decode()
    assert f'action="{SWITCH}"' in body
    assert 'value="zh-hans" lang="zh-hans" aria-pressed="true">中文</button>' in body
    assert 'value="en" lang="en">English</button>' in body


def test_switching_is_remembered_on_the_login(client, staff):
    client.force_login(staff)
    response = client.post(SWITCH, {"language": "en", "next": "/cadres/?q=zs"})
    assert response.status_code == 302 and response.url == "/cadres/?q=zs"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    staff.refresh_from_db()
    assert staff.language == Language.ENGLISH
    # Reloaded, and on another device signing in: English, whatever its cookie says.
    assert lang(client.get(DASHBOARD)) == "en"
    elsewhere = Client()
    elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert lang(elsewhere.get(reverse("accounts:login"))) == "zh-hans"
    signed_in = elsewhere.post(
        reverse("accounts:login"), {"username": "liu", "password": "pw-for-tests-1"}, follow=True
    )
    assert lang(signed_in) == "en" and "Dashboard" in signed_in.content.decode()
    # And back: the change is in the login's history.
    client.post(SWITCH, {"language": "zh-hans", "next": DASHBOARD})
    assert lang(client.get(DASHBOARD)) == "zh-hans"
    assert [row.language for row in staff.history.order_by("history_id")][-2:] == [
        "en",
        "zh-hans",
    ]


def test_signed_out_the_switch_sets_the_cookie_only(client, staff):
    assert f'action="{SWITCH}"' in client.get(reverse("accounts:login")).content.decode()
    response = client.post(SWITCH, {"language": "en", "next": reverse("accounts:login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert lang(client.get(reverse("accounts:login"))) == "en"
    assert User.objects.get(pk=staff.pk).language == Language.CHINESE


@pytest.mark.parametrize("language", ["fr", "", "zh-hant", "x" * 200])
def test_a_language_the_site_does_not_offer_changes_nothing(client, staff, language):
    client.force_login(staff)
    response = client.post(SWITCH, {"language": language, "next": DASHBOARD})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.language == Language.CHINESE
    assert lang(client.get(DASHBOARD)) == "zh-hans"


def test_the_switch_goes_back_to_the_site_only(client, staff):
    client.force_login(staff)
    response = client.post(SWITCH, {"language": "en", "next": "https://example.com/"})
    assert response.status_code == 302 and response.url == "/"


def test_the_switch_is_a_post(client, staff):
    client.force_login(staff)
    assert client.get(SWITCH, {"language": "en"}).status_code == 405
    staff.refresh_from_db()
    assert staff.language == Language.CHINESE


def test_knowing_the_users_language_costs_no_query(client, staff):
    client.force_login(staff)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as chinese:
        client.get(DASHBOARD)
    client.post(SWITCH, {"language": "en", "next": DASHBOARD})
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as english:
        client.get(DASHBOARD)
    user_reads = [q for q in english if 'FROM "accounts_user"' in q["sql"]]
    assert len(english) == len(chinese) and len(user_reads) == 1
