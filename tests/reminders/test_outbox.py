"""Exactly once: planning twice, sending twice, SMTP failures, missed days."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from reminders.delivery_services import digest_requeue, digest_send
from reminders.models import Digest, PlanRun, ReminderItem, ReminderKind, ReminderRule
from reminders.services import reminders_plan_day, reminders_plan_due_days
from reminders.tasks import plan_daily_reminders
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def birthdays(liaison, colleague, office):
    """Two cadres with birthdays coming up: one liaison's, and one without a liaison,
    whom both staff members of the unit hear about."""
    ReminderRule.objects.exclude(kind=ReminderKind.BIRTHDAY).update(is_active=False)
    ReminderRule.objects.filter(kind=ReminderKind.BIRTHDAY).update(lead_days=7)
    return [
        CadreFactory(name="张三", unit=office, liaison=liaison, birth_date=D(1946, 11, 25)),
        CadreFactory(name="李四", unit=office, liaison=None, birth_date=D(1950, 11, 26)),
    ]


def test_planning_twice_creates_nothing_new(birthdays, day):
    created, digests = reminders_plan_day(day=day)
    assert created == 3 and len(digests) == 2
    snapshot = (ReminderItem.objects.count(), Digest.objects.count())
    assert reminders_plan_day(day=day) == (0, [])
    assert (ReminderItem.objects.count(), Digest.objects.count()) == snapshot
    # The next day the same birthdays are still due but already planned: nothing new.
    assert reminders_plan_day(day=day + datetime.timedelta(days=1)) == (0, [])


def test_sending_twice_sends_one_email(birthdays, day, liaison):
    reminders_plan_day(day=day)
    digest = Digest.objects.get(recipient=liaison)
    assert digest_send(digest_id=digest.pk) is True
    assert digest_send(digest_id=digest.pk) is False
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT and digest.sent_at is not None


def test_the_digest_is_chinese_html_and_text_with_links(birthdays, day, liaison):
    reminders_plan_day(day=day)
    digest_send(digest_id=Digest.objects.get(recipient=liaison).pk)
    [message] = mail.outbox
    assert message.to == ["l@example.com"]
    assert "提醒" in message.subject
    assert "张三" in message.body and "80" in message.body and "生日" in message.body
    assert f"/cadres/{birthdays[0].pk}/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and f'href="http://testserver/cadres/{birthdays[0].pk}/"' in html
    assert message.extra_headers["Message-ID"].startswith("<yinling-digest-")


def test_new_items_after_the_digest_went_out_make_a_second_part(birthdays, day, liaison, office):
    reminders_plan_day(day=day)
    digest_send(digest_id=Digest.objects.get(recipient=liaison).pk)
    CadreFactory(name="王五", unit=office, liaison=liaison, birth_date=D(1950, 11, 27))
    created, [digest_id] = reminders_plan_day(day=day)
    assert created == 1
    assert Digest.objects.get(pk=digest_id).part == 2


# 08:00 on 22 November in Asia/Shanghai.
MORNING = datetime.datetime(2026, 11, 22, 0, 0, tzinfo=datetime.UTC)


def test_smtp_failure_then_success_sends_exactly_once(birthdays, day, liaison):
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(self, *args, **kwargs)

    with (
        time_machine.travel(MORNING, tick=False) as clock,
        mock.patch.object(EmailMultiAlternatives, "send", flaky),
    ):
        reminders_plan_day(day=day)
        digest = Digest.objects.get(recipient=liaison)
        assert digest_send(digest_id=digest.pk) is False  # refused: no exception
        digest.refresh_from_db()
        assert (digest.status, digest.attempts) == (Digest.Status.QUEUED, 1)
        assert "connection lost" in digest.last_error
        assert digest.next_attempt_at == MORNING + datetime.timedelta(seconds=60)
        # Not due yet: a second task spends no attempt.
        assert digest_send(digest_id=digest.pk) is False
        clock.shift(datetime.timedelta(seconds=60))
        assert digest_send(digest_id=digest.pk) is True
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert (digest.status, digest.attempts, digest.last_error) == (Digest.Status.SENT, 2, "")


def test_a_failure_after_the_deadline_is_final_and_can_be_requeued(birthdays, day, liaison):
    with time_machine.travel(MORNING, tick=False) as clock:
        reminders_plan_day(day=day)
        digest = Digest.objects.get(recipient=liaison)
        # The end of 22 November in Asia/Shanghai.
        assert digest.deadline == datetime.datetime(2026, 11, 22, 16, 0, tzinfo=datetime.UTC)
        with mock.patch.object(EmailMultiAlternatives, "send", side_effect=OSError("refused")):
            assert digest_send(digest_id=digest.pk) is False
            clock.move_to(digest.deadline)
            assert digest_send(digest_id=digest.pk) is False
        digest.refresh_from_db()
        assert (digest.status, digest.attempts) == (Digest.Status.FAILED, 2)
        assert digest_send(digest_id=digest.pk) is False  # a failed digest is not retried alone
        digest_requeue(digest=digest)
        digest.refresh_from_db()
        assert (digest.status, digest.attempts) == (Digest.Status.QUEUED, 0)
        assert digest.deadline == digest.next_attempt_at + datetime.timedelta(hours=2)
        assert digest_send(digest_id=digest.pk) is True
    assert len(mail.outbox) == 1


def test_a_digest_claimed_by_another_worker_is_left_alone(birthdays, day, liaison):
    reminders_plan_day(day=day)
    digest = Digest.objects.get(recipient=liaison)
    with time_machine.travel(datetime.datetime(2026, 11, 22, 8, 0, tzinfo=datetime.UTC)):
        Digest.objects.filter(pk=digest.pk).update(
            status=Digest.Status.SENDING, claimed_at=datetime.datetime.now(datetime.UTC)
        )
        assert digest_send(digest_id=digest.pk) is False
    # Twenty minutes later the claim is stale (its worker died): it is taken again.
    with time_machine.travel(datetime.datetime(2026, 11, 22, 8, 20, tzinfo=datetime.UTC)):
        assert digest_send(digest_id=digest.pk) is True
    assert len(mail.outbox) == 1


def test_missed_days_are_caught_up_once_into_todays_digest(birthdays, liaison, office):
    PlanRun.objects.create(day=D(2026, 11, 15))
    CadreFactory(name="赵六", unit=office, liaison=liaison, birth_date=D(1950, 11, 19))
    # The system was down from the 16th to the 21st: the birthday on the 19th was never
    # announced. Today's run plans the missed days once, into today's digest.
    digests = reminders_plan_due_days(today=D(2026, 11, 22))
    assert set(PlanRun.objects.values_list("day", flat=True)) == {
        D(2026, 11, 15) + datetime.timedelta(days=n) for n in range(8)
    }
    assert Digest.objects.filter(send_on=D(2026, 11, 22)).count() == len(digests) == 2
    names = set(
        ReminderItem.objects.filter(recipient=liaison).values_list("details__name", flat=True)
    )
    assert names == {"张三", "李四", "赵六"}
    for digest_id in digests:
        digest_send(digest_id=digest_id)
    assert len(mail.outbox) == 2
    assert reminders_plan_due_days(today=D(2026, 11, 22)) == []
    assert ReminderItem.objects.count() == 4


@override_settings(REMINDER_CATCH_UP_DAYS=2)
def test_catch_up_is_bounded(birthdays):
    PlanRun.objects.create(day=D(2026, 10, 1))
    reminders_plan_due_days(today=D(2026, 11, 22))
    assert set(PlanRun.objects.values_list("day", flat=True)) == {
        D(2026, 10, 1),
        D(2026, 11, 20),
        D(2026, 11, 21),
        D(2026, 11, 22),
    }


def test_the_daily_task_sends_one_digest_per_recipient_even_when_fired_twice(birthdays):
    with time_machine.travel(datetime.datetime(2026, 11, 21, 23, 30, tzinfo=datetime.UTC)):
        # 07:30 on 22 November in Asia/Shanghai.
        plan_daily_reminders.delay()
        plan_daily_reminders.delay()
    assert sorted(m.to[0] for m in mail.outbox) == ["c@example.com", "l@example.com"]
    assert Digest.objects.filter(status=Digest.Status.SENT).count() == 2


def test_the_send_task_leaves_retries_to_the_database_not_the_broker(birthdays, day, liaison):
    from reminders.tasks import send_digest

    with time_machine.travel(MORNING, tick=False):
        reminders_plan_day(day=day)
        digest = Digest.objects.get(recipient=liaison)
        with (
            mock.patch.object(
                EmailMultiAlternatives, "send", side_effect=smtplib.SMTPConnectError(421, "busy")
            ),
            mock.patch.object(send_digest, "retry") as retry,
        ):
            assert send_digest.run(digest.pk) is False
    retry.assert_not_called()  # no ETA message held by a worker
    digest.refresh_from_db()
    assert digest.status == Digest.Status.QUEUED
    assert digest.next_attempt_at == MORNING + datetime.timedelta(seconds=60)
