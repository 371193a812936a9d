"""``/healthz``: whether the reminders can be planned and sent, for a monitor to poll.

Three checks, each cheap: the database answers a query, the Celery broker accepts a
connection (within a couple of seconds), and the daily plan (beat → worker →
``reminders_plan_day``) ran within the last 26 hours — it runs at 07:30 every day, so a
missing day shows by mid-morning of the next. 200 when all three pass, 503 otherwise, with
each check's outcome in a small JSON body that names no person. No sign-in: a monitor
has none; nothing here is personal.
"""

from __future__ import annotations

import datetime
import logging
import os

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

from .models import PlanRun

logger = logging.getLogger(__name__)

# Daily at 07:30, plus two hours' grace for a slow catch-up or a restart at that moment.
PLAN_MAX_AGE = datetime.timedelta(hours=26)
# Seconds the broker has to answer: a monitor polls every minute or so and must not hang.
BROKER_TIMEOUT = 2


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def broker_answers() -> bool:
    """The broker accepts a connection. On the embedded ``filesystem://`` transport there
    is no server: the queue folders must exist and be writable."""
    url = settings.CELERY_BROKER_URL
    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {})
    if url.startswith("filesystem://"):
        folders = {options.get("data_folder_in"), options.get("data_folder_out")}
        return all(
            folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)
            for folder in folders
        )
    # Redis reads these from the transport options (kombu's connect_timeout is for AMQP).
    options.update(socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT)
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT, transport_options=options) as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
            )
        return True
    except Exception:
        logger.exception("Health check: the broker does not answer")
        return False


def last_plan_run() -> datetime.datetime | None:
    """When the daily plan last ran (the newest planning run's time)."""
    return PlanRun.objects.aggregate(last=Max("planned_at"))["last"]


@never_cache
@require_safe
def healthz(request):
    database = database_answers()
    broker = broker_answers()
    last_plan = None
    if database:
        try:
            last_plan = last_plan_run()
        except Exception:
            logger.exception("Health check: the planning runs cannot be read")
    if not database:
        plan = "unknown"
    elif last_plan is None:
        plan = "never"
    elif timezone.now() - last_plan > PLAN_MAX_AGE:
        plan = "stale"
    else:
        plan = "ok"
    healthy = database and broker and plan == "ok"
    body = {
        "database": "ok" if database else "failed",
        "broker": "ok" if broker else "failed",
        "plan": plan,
        "last_plan": timezone.localtime(last_plan).isoformat(timespec="seconds")
        if last_plan
        else None,
        "status": "ok" if healthy else "failed",
    }
    return JsonResponse(body, status=200 if healthy else 503)
