"""End to end: a real Celery worker and a real Celery beat (database scheduler) deliver
the daily digests to a real SMTP listener (aiosmtpd), one per staff member, exactly once,
while beat fires the daily plan again and again — and the mail server is down from the
first attempt until each digest has been refused six times, longer than the old retry
budget (five attempts) allowed, so the digests go out only through the sweep's retries.

On the embedded defaults this runs on a SQLite file and the filesystem:// broker; with
REDIS_URL and DATABASE_URL set (CI's second pass) it runs on Redis and PostgreSQL.
"""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

SETUP = r"""
import datetime, django
django.setup()
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from accounts.models import Unit, User
from cadres.models import Cadre
from cadres.services import cadre_create
from reminders.models import ReminderKind, ReminderRule
from stdnum.cn import ric

today = timezone.localdate()
ReminderRule.objects.exclude(kind=ReminderKind.BIRTHDAY).update(is_active=False)
ReminderRule.objects.filter(kind=ReminderKind.BIRTHDAY).update(lead_days=7)
bureau = Unit.objects.create(name="县委老干部局", code="B", kind="bureau")
office = Unit.objects.create(name="县教育局", code="EDU", kind="employer", parent=bureau)
for username, name in [("liaison", "联络员甲"), ("colleague", "同事乙")]:
    User.objects.create_user(username, f"{username}@example.com", "x-pw-12345",
                             full_name=name, unit=office, role="unit_staff")
def person(name, years, liaison):
    born = (today + datetime.timedelta(days=3)).replace(year=today.year - years)
    body = f"110105{born:%Y%m%d}{len(name) * 2 + 11:03d}"
    cadre_create(name=name, gender="M", birth_date=born,
                 id_number=body + ric.calc_check_digit(body + "0"),
                 retirement_kind="tuixiu", unit=office, liaison=liaison)
person("张三", 80, User.objects.get(username="liaison"))
person("李四丰", 75, None)  # no liaison: both staff of the unit hear of him
every = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS)
PeriodicTask.objects.filter(task="reminders.tasks.plan_daily_reminders").update(
    interval=every, crontab=None)
# The sweep that sends what is due (seeded by a migration): every two seconds here.
assert PeriodicTask.objects.filter(task="reminders.tasks.send_due_reminders").update(
    interval=every) == 1
print("ready")
"""

COUNT_SENT = r"""
import django
django.setup()
from django.db.models import Min
from reminders.models import Digest, PlanRun
print(Digest.objects.filter(status="sent").count(), Digest.objects.count(), PlanRun.objects.count(),
      Digest.objects.aggregate(fewest=Min("attempts"))["fewest"])
"""
# The old delivery (at most five attempts, backoff 1, 2, 4, 8 s from
# REMINDER_RETRY_BASE_SECONDS here) failed a digest for good 15 s after its first
# attempt, sooner when plan runs re-queued it. The SMTP listener stays down longer than
# both: until each digest has been refused a sixth time, and at least this long after
# the first refusal. Now a digest keeps trying every REMINDER_RETRY_MAX_SECONDS.
SMTP_OUTAGE_SECONDS = 16
OLD_MAX_ATTEMPTS = 5


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def snapshot(self):
        with self.lock:
            return list(self.messages)


def _database_url(tmp_path):
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'e2e.sqlite3'}", None
    import psycopg

    name = f"yinling_e2e_{uuid.uuid4().hex[:8]}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}", (admin_url, name)


def _drop(database):
    if database is None:
        return
    import psycopg

    admin_url, name = database
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env, *args, script=None):
    command = [sys.executable, *args] if script is None else [sys.executable, "-c", script]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_worker_and_beat_deliver_one_digest_per_staff_member_exactly_once(tmp_path):
    inbox = Inbox()
    port = _free_port()
    # Not started yet: connections to the port are refused, as when the server is off.
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    database_url, database = _database_url(tmp_path)
    redis_url = os.environ.get("REDIS_URL", "")
    if os.environ.get("YINLING_EXPECT_SERVICES"):
        # CI's second pass: the real broker and database, never the embedded fallbacks.
        assert redis_url.startswith("redis://") and database is not None
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=str(tmp_path),
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        SITE_URL="http://yinling.test",
        DEBUG="false",
        REMINDER_RETRY_BASE_SECONDS="1",
        REMINDER_RETRY_MAX_SECONDS="2",
    )
    if redis_url:
        env["CELERY_BROKER_URL"] = redis_url.rsplit("/", 1)[0] + "/14"
        subprocess.run(["redis-cli", "-u", env["CELERY_BROKER_URL"], "FLUSHDB"], check=False)
    processes = []
    logs = {}
    try:
        _run(env, "manage.py", "migrate", "-v0")
        assert "ready" in _run(env, script=SETUP)
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        # The log files stay open as long as the processes write to them.
        logs |= {name: open(tmp_path / f"{name}.log", "w") for name in ("worker", "beat")}  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [*celery, "worker", "--pool", "solo", "--loglevel", "INFO"],
                cwd=ROOT,
                env=env,
                stdout=logs["worker"],
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    *celery,
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--scheduler",
                    "django_celery_beat.schedulers:DatabaseScheduler",
                    "--schedule",
                    str(tmp_path / "beat-schedule"),
                ],
                cwd=ROOT,
                env=env,
                stdout=logs["beat"],
                stderr=subprocess.STDOUT,
            )
        )

        def alive_until(done, seconds):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not done():
                for process in processes:
                    assert process.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.5)

        def worker_log():
            return (tmp_path / "worker.log").read_text()

        alive_until(lambda: "Connection refused" in worker_log(), 120)
        outage_ends = time.monotonic() + SMTP_OUTAGE_SECONDS
        beyond_old_budget = f"attempt {OLD_MAX_ATTEMPTS + 1}: [Errno 111] Connection refused"
        alive_until(lambda: worker_log().count(beyond_old_budget) >= 2, 90)
        assert worker_log().count(beyond_old_budget) == 2, worker_log()[-3000:]
        alive_until(lambda: False, outage_ends - time.monotonic())
        controller.start()
        alive_until(lambda: len(inbox.snapshot()) >= 2, 60)
        assert len(inbox.snapshot()) >= 2, (tmp_path / "worker.log").read_text()[-3000:] + (
            tmp_path / "beat.log"
        ).read_text()[-2000:]
        # Beat goes on firing the plan every two seconds: nothing more may arrive.
        time.sleep(10)
        sent, total, runs, fewest_attempts = map(int, _run(env, script=COUNT_SENT).split())
        beat_log = (tmp_path / "beat.log").read_text()
        assert beat_log.count("Scheduler: Sending due task") >= 3, beat_log[-2000:]
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()
        controller.stop(no_assert=True)  # it may not have been started
        _drop(database)

    messages = inbox.snapshot()
    recipients = sorted(rcpt for rcpts, _ in messages for rcpt in rcpts)
    assert recipients == ["colleague@example.com", "liaison@example.com"]
    assert (sent, total, runs) == (2, 2, 1)
    # Each digest outlasted the old retry budget and still arrived once.
    assert fewest_attempts > OLD_MAX_ATTEMPTS
    by_recipient = {rcpts[0]: message for rcpts, message in messages}
    liaison_mail = by_recipient["liaison@example.com"]
    text = liaison_mail.get_body(preferencelist=("plain",)).get_content()
    html = liaison_mail.get_body(preferencelist=("html",)).get_content()
    assert "提醒" in _subject(liaison_mail)
    assert "张三" in text and "80岁生日" in text and "李四丰" in text
    assert "http://yinling.test/cadres/" in html
    colleague_text = (
        by_recipient["colleague@example.com"].get_body(preferencelist=("plain",)).get_content()
    )
    assert "李四丰" in colleague_text and "张三" not in colleague_text
