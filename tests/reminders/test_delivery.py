"""Delivery until delivered, in simulated time: the mail server down for hours, or all
day; the sweep every few minutes; duplicate plan runs and tasks; a worker that died
while sending; the administrators' alert and the dashboard banner."""

import datetime
import io
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from reminders.delivery_selectors import delivery_troubles
from reminders.models import DeliveryAlert, Digest, PlanProblem, PlanRun, ReminderKind, ReminderRule
from reminders.tasks import plan_daily_reminders, send_due_reminders
from tests.factories import CadreFactory, DigestFactory, PlanProblemFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = D(2026, 11, 22)
SWEEP = datetime.timedelta(minutes=2)


def at(hour: int, minute: int = 0, day: D = DAY) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


class Smtp:
    """The test mail backend with a switch: while ``down``, every connection is
    refused, as when the mail server is off."""

    def __init__(self):
        self.down = False
        self.refused = 0


@pytest.fixture
def smtp(monkeypatch):
    state = Smtp()
    real = locmem.EmailBackend.send_messages

    def send_messages(backend, messages):
        if state.down:
            state.refused += 1
            raise ConnectionRefusedError(111, "Connection refused")
        return real(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_messages)
    return state


@pytest.fixture
def birthdays(liaison, colleague, office):
    """Two digests to send on DAY: the liaison's and their colleague's."""
    ReminderRule.objects.exclude(kind=ReminderKind.BIRTHDAY).update(is_active=False)
    ReminderRule.objects.filter(kind=ReminderKind.BIRTHDAY).update(lead_days=7)
    CadreFactory(name="张三", unit=office, liaison=liaison, birth_date=D(1946, 11, 25))
    CadreFactory(name="李四", unit=office, liaison=None, birth_date=D(1950, 11, 26))


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin", role=User.Role.ADMINISTRATOR, unit=None, email="admin@example.com"
    )


def run_sweeps(clock, until: datetime.datetime, step=SWEEP, twice=False, smtp=None, up_at=None):
    """Beat's sweep every ``step`` until ``until`` (fired twice each time with
    ``twice``, as two beats would); the mail server comes back at ``up_at``."""
    while datetime.datetime.now(tz=SHANGHAI) + step <= until:
        clock.shift(step)
        if up_at is not None and datetime.datetime.now(tz=SHANGHAI) >= up_at:
            smtp.down = False
        send_due_reminders.delay()
        if twice:
            send_due_reminders.delay()


def recipients_of(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_an_outage_of_three_hours_from_0730_delays_the_digests_but_loses_none(
    birthdays, smtp, settings
):
    assert settings.REMINDER_RETRY_BASE_SECONDS == 60
    assert settings.REMINDER_RETRY_MAX_SECONDS == 30 * 60
    smtp.down = True
    with time_machine.travel(at(7, 30), tick=False) as clock:
        plan_daily_reminders.delay()
        plan_daily_reminders.delay()  # a second beat: nothing is due again yet
        assert set(Digest.objects.values_list("attempts", flat=True)) == {1}
        run_sweeps(clock, at(9, 0), twice=True, smtp=smtp)
        plan_daily_reminders.delay()  # fired again by hand at 09:00: spends no attempt
        run_sweeps(clock, at(12, 0), twice=True, smtp=smtp, up_at=at(10, 30))
    assert recipients_of(mail.outbox) == ["c@example.com", "l@example.com"]
    for digest in Digest.objects.all():
        # Tried at 07:30, 07:32, 07:34, 07:38, 07:46, 08:02 (backoff 1, 2, 4, 8, 16
        # minutes), then every 30 minutes (the cap) until 10:32, when the server answered.
        assert digest.status == Digest.Status.SENT
        assert digest.attempts == 11
        assert digest.sent_at == at(10, 32)
        assert digest.last_error == ""
    # Each try of each digest was one refused connection: no attempt was spent twice.
    assert smtp.refused == 2 * 10
    assert not DeliveryAlert.objects.exists()


def test_an_outage_all_day_fails_each_digest_once_and_alerts_the_administrators_once(
    birthdays, smtp, administrator, caplog
):
    smtp.down = True
    caplog.set_level(logging.ERROR, logger="reminders.delivery_services")
    next_day = DAY + datetime.timedelta(days=1)
    with time_machine.travel(at(7, 30), tick=False) as clock:
        plan_daily_reminders.delay()
        run_sweeps(clock, at(23, 50), step=datetime.timedelta(minutes=10))
        assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.QUEUED}
        deadline = at(0, 0, day=next_day)
        assert set(Digest.objects.values_list("next_attempt_at", flat=True)) == {deadline}
        run_sweeps(clock, at(0, 30, day=next_day), step=datetime.timedelta(minutes=10))
        digests = list(Digest.objects.all())
        assert {d.status for d in digests} == {Digest.Status.FAILED}
        attempts = {d.pk: d.attempts for d in digests}
        assert "ConnectionRefusedError" in digests[0].last_error
        [alert] = DeliveryAlert.objects.all()
        assert (alert.day, alert.status) == (DAY, DeliveryAlert.Status.QUEUED)
        # The server comes back at 08:00 the next day; beat plans that day at 07:30.
        clock.move_to(at(7, 30, day=next_day))
        plan_daily_reminders.delay()
        run_sweeps(
            clock, at(12, 0, day=next_day), twice=True, smtp=smtp, up_at=at(8, 0, day=next_day)
        )
    [message] = mail.outbox
    assert message.to == ["admin@example.com"]
    assert "11月22日" in message.subject and "2" in message.subject
    assert "联络员甲" in message.body and "同事乙" in message.body
    assert "send_reminders --retry-failed --date 2026-11-22" in message.body
    assert "status__exact=failed" in message.alternatives[0][0]
    alert.refresh_from_db()
    assert alert.status == DeliveryAlert.Status.SENT and alert.recipients == "admin@example.com"
    # Failed once each: nothing tried them again after the deadline.
    assert {d.pk: d.attempts for d in Digest.objects.all()} == attempts
    assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.FAILED}
    failed_logs = [r for r in caplog.records if "failed for good" in r.getMessage()]
    assert len(failed_logs) == 2

    # Sent again by hand, once.
    with time_machine.travel(at(12, 5, day=next_day), tick=False):
        out = io.StringIO()
        call_command("send_reminders", "--retry-failed", "--date", "2026-11-22", stdout=out)
        assert "2 failed digests queued again" in out.getvalue()
        assert "2 digests sent" in out.getvalue()
        out = io.StringIO()
        call_command("send_reminders", "--retry-failed", stdout=out)
        assert "0 failed digests queued again" in out.getvalue()
        send_due_reminders.delay()
    assert recipients_of(mail.outbox) == ["admin@example.com", "c@example.com", "l@example.com"]
    assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.SENT}


def test_a_digest_left_sending_by_a_dead_worker_is_taken_again_by_the_sweep(birthdays, smtp):
    with time_machine.travel(at(7, 30), tick=False) as clock:
        smtp.down = True
        plan_daily_reminders.delay()
        smtp.down = False
        # The worker claimed the digests, then was killed before it could send.
        Digest.objects.update(
            status=Digest.Status.SENDING, claimed_at=at(7, 31), next_attempt_at=at(7, 31)
        )
        run_sweeps(clock, at(7, 44))
        assert mail.outbox == []  # another worker may still be at it
        run_sweeps(clock, at(8, 0))
    assert recipients_of(mail.outbox) == ["c@example.com", "l@example.com"]
    # Taken again by the first sweep more than 15 minutes after the claim.
    assert set(Digest.objects.values_list("sent_at", flat=True)) == {at(7, 48)}


def test_a_digest_queued_late_in_its_day_still_has_two_hours(birthdays, smtp):
    smtp.down = True
    with time_machine.travel(at(23, 30), tick=False) as clock:
        plan_daily_reminders.delay()
        assert set(Digest.objects.values_list("deadline", flat=True)) == {
            at(1, 30, day=DAY + datetime.timedelta(days=1))
        }
        run_sweeps(clock, at(1, 0, day=DAY + datetime.timedelta(days=1)), smtp=smtp)
        assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.QUEUED}
        smtp.down = False
        run_sweeps(clock, at(1, 30, day=DAY + datetime.timedelta(days=1)))
    assert len(mail.outbox) == 2


def test_the_alert_waits_for_an_administrators_address_and_drops_when_all_were_resent(
    birthdays, smtp, liaison
):
    with time_machine.travel(at(7, 30), tick=False) as clock:
        smtp.down = True
        plan_daily_reminders.delay()
        clock.move_to(at(0, 0, day=DAY + datetime.timedelta(days=1)))
        send_due_reminders.delay()
        [alert] = DeliveryAlert.objects.all()
        # No administrator has an address: the alert fails, and says why.
        clock.shift(SWEEP)
        send_due_reminders.delay()
        alert.refresh_from_db()
        assert alert.status == DeliveryAlert.Status.FAILED
        assert "管理员" in alert.last_error
        # A later failure of the same day opens no second alert.
        smtp.down = False
        call_command("send_reminders", "--retry-failed", stdout=io.StringIO())
        assert DeliveryAlert.objects.count() == 1
    assert len(mail.outbox) == 2


def test_an_alert_whose_digests_were_all_sent_again_is_dropped(birthdays, smtp, administrator):
    with time_machine.travel(at(7, 30), tick=False) as clock:
        smtp.down = True
        plan_daily_reminders.delay()
        clock.move_to(at(0, 0, day=DAY + datetime.timedelta(days=1)))
        send_due_reminders.delay()
        assert DeliveryAlert.objects.count() == 1
        smtp.down = False
        call_command("send_reminders", "--retry-failed", stdout=io.StringIO())
    assert recipients_of(mail.outbox) == ["c@example.com", "l@example.com"]
    assert not DeliveryAlert.objects.exists()


def test_send_reminders_send_due_sends_only_what_is_due(birthdays, smtp):
    with time_machine.travel(at(7, 30), tick=False) as clock:
        smtp.down = True
        with pytest.raises(CommandError, match="2 digests could not be sent"):
            call_command("send_reminders", stdout=io.StringIO(), stderr=io.StringIO())
        smtp.down = False
        out = io.StringIO()
        call_command("send_reminders", "--send-due", stdout=out)
        assert "0 digests sent" in out.getvalue()  # the next attempt is at 07:31
        clock.shift(datetime.timedelta(minutes=1))
        out = io.StringIO()
        call_command("send_reminders", "--send-due", stdout=out)
        assert "0 new items, 2 digests sent, 0 failed" in out.getvalue()
    assert PlanRun.objects.count() == 1


# The dashboard banner ------------------------------------------------------------------


def test_administrators_see_failed_digests_and_skipped_records_on_the_dashboard(
    client, administrator, office
):
    today = D(2026, 11, 22)
    with time_machine.travel(at(9, 0), tick=False):
        PlanRun.objects.create(day=today)
        cadre = CadreFactory(name="王老", unit=office)
        PlanProblemFactory(day=today, cadre=cadre, error="LunarRangeError: 1900-01-15")
        DigestFactory(send_on=today, status=Digest.Status.FAILED, last_error="SMTP 421")
        client.force_login(administrator)
        body = client.get(reverse("reports:dashboard")).content.decode()
        with CaptureQueriesContext(connection) as one:
            delivery_troubles(user=administrator, today=today)
        assert 'id="delivery-troubles"' in body
        assert "自11月15日以来，有1封提醒邮件最终发送失败" in body
        assert "11月22日的提醒计划跳过了1条记录" in body
        assert "王老" in body and "LunarRangeError" in body
        assert reverse("admin:cadres_cadre_change", args=[cadre.pk]) in body
        assert reverse("admin:reminders_digest_changelist") + "?status__exact=failed" in body
        assert reverse("admin:reminders_planproblem_changelist") + "?day=2026-11-22" in body
        for n in range(8):
            PlanProblemFactory(day=today, cadre=CadreFactory(unit=office), error=f"error {n}")
            DigestFactory(send_on=today, status=Digest.Status.FAILED)
        with CaptureQueriesContext(connection) as many:
            troubles = delivery_troubles(user=administrator, today=today)
            [problem.cadre.name for problem in troubles["problems"]]
        assert len(many) == len(one) == 4
        body = client.get(reverse("reports:dashboard")).content.decode()
        assert "有9封提醒邮件最终发送失败" in body
        assert "跳过了9条记录" in body
        assert body.count("error ") == 4  # the first five are listed


def test_other_roles_see_no_banner_and_all_is_quiet_when_all_went(client, liaison, administrator):
    with time_machine.travel(at(9, 0), tick=False):
        PlanRun.objects.create(day=DAY)
        PlanProblemFactory(day=DAY)
        client.force_login(liaison)
        assert (
            'id="delivery-troubles"'
            not in client.get(reverse("reports:dashboard")).content.decode()
        )
        PlanProblem.objects.all().delete()
        DigestFactory(send_on=DAY, status=Digest.Status.SENT, sent_at=at(7, 31))
        client.force_login(administrator)
        assert (
            'id="delivery-troubles"'
            not in client.get(reverse("reports:dashboard")).content.decode()
        )


def test_the_sweep_is_a_schedule_in_the_database_beside_the_daily_plan():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from config.celery_app import app

    schedules = {task.task: task for task in PeriodicTask.objects.filter(enabled=True)}
    sweep = schedules["reminders.tasks.send_due_reminders"]
    assert (sweep.interval.every, sweep.interval.period) == (2, IntervalSchedule.MINUTES)
    plan = schedules["reminders.tasks.plan_daily_reminders"]
    assert (plan.crontab.hour, plan.crontab.minute) == ("7", "30")
    for name in ("send_due_reminders", "send_digest", "send_delivery_alert"):
        assert f"reminders.tasks.{name}" in app.tasks


def test_the_deadline_is_a_setting(settings):
    from reminders.delivery_services import digest_deadline, retry_delay

    settings.REMINDER_DEADLINE_HOURS = 36  # until noon the next day
    assert digest_deadline(send_on=DAY, now=at(7, 30)) == at(
        12, 0, day=DAY + datetime.timedelta(days=1)
    )
    settings.REMINDER_RETRY_MAX_SECONDS = 600
    delays = [retry_delay(n).total_seconds() for n in range(1, 8)]
    assert delays == [60, 120, 240, 480, 600, 600, 600]
