"""/healthz: 200 only when the database and the broker answer and the daily plan ran
within 26 hours; otherwise 503 naming the check that failed. No sign-in, nothing cached."""

import datetime
import socket
import time
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.urls import reverse

from reminders.models import PlanRun

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PLANNED = datetime.datetime(2026, 12, 1, 7, 30, tzinfo=SHANGHAI)


@pytest.fixture
def planned():
    """The daily plan ran at 07:30 on 1 December."""
    with time_machine.travel(PLANNED, tick=False):
        return PlanRun.objects.create(day=PLANNED.date())


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(client):
    return client.get(reverse("healthz"))


def test_all_good_answers_200_without_sign_in_and_is_never_cached(client, planned):
    with time_machine.travel(PLANNED + datetime.timedelta(hours=25), tick=False):
        response = get(client)
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "plan": "ok",
        "last_plan": "2026-12-01T07:30:00+08:00",
        "status": "ok",
    }
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"
    assert reverse("healthz") == "/healthz"


def test_a_signed_in_user_and_a_head_request_get_the_same_answer(client, planned, liaison):
    client.force_login(liaison)
    with time_machine.travel(PLANNED + datetime.timedelta(hours=1), tick=False):
        assert get(client).status_code == 200
        assert client.head(reverse("healthz")).status_code == 200
        assert client.post(reverse("healthz")).status_code == 405


def test_a_plan_older_than_26_hours_answers_503(client, planned):
    with time_machine.travel(PLANNED + datetime.timedelta(hours=26, minutes=1), tick=False):
        response = get(client)
    assert response.status_code == 503
    body = response.json()
    assert (body["plan"], body["status"]) == ("stale", "failed")
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert body["last_plan"] == "2026-12-01T07:30:00+08:00"


def test_no_plan_ever_answers_503(client):
    response = get(client)
    assert response.status_code == 503
    assert (response.json()["plan"], response.json()["last_plan"]) == ("never", None)


def test_the_newest_run_counts(client, planned):
    later = PLANNED + datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        PlanRun.objects.create(day=later.date())
    with time_machine.travel(later + datetime.timedelta(hours=2), tick=False):
        response = get(client)
    assert response.status_code == 200
    assert response.json()["last_plan"] == "2026-12-02T07:30:00+08:00"


def test_an_unreachable_broker_answers_503_within_seconds(client, planned, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    started = time.monotonic()
    with time_machine.travel(PLANNED + datetime.timedelta(hours=1), tick=True):
        response = get(client)
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response.json()["broker"] == "failed"
    assert response.json()["database"] == "ok"


def test_missing_queue_folders_fail_the_embedded_broker(client, planned, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
    }
    with time_machine.travel(PLANNED + datetime.timedelta(hours=1), tick=False):
        assert get(client).json()["broker"] == "failed"
        (tmp_path / "queue").mkdir()
        response = get(client)
    assert (response.status_code, response.json()["broker"]) == (200, "ok")


def test_a_database_that_does_not_answer_answers_503(client, planned):
    with (
        time_machine.travel(PLANNED + datetime.timedelta(hours=1), tick=False),
        mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")),
    ):
        response = get(client)
    assert response.status_code == 503
    assert response.json() == {
        "database": "failed",
        "broker": "ok",
        "plan": "unknown",
        "last_plan": None,
        "status": "failed",
    }
    # The reason goes to the log, not to whoever asks.
    assert b"server closed" not in response.content


def test_production_answers_a_monitor_on_the_server_over_plain_http(
    client, planned, settings, monkeypatch
):
    """Behind nginx every other page redirects plain HTTP to HTTPS; a monitor asking
    gunicorn directly (http://127.0.0.1:8000/healthz) gets the answer itself."""
    from tests.test_settings import production_settings

    production = production_settings(monkeypatch)
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    with time_machine.travel(PLANNED + datetime.timedelta(hours=1), tick=False):
        assert get(client).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301
