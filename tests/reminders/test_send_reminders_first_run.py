"""``send_reminders --if-never-planned`` (run by ``make run``): a newcomer's database gets
today's digests at once; once any day has been planned it does nothing."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from reminders.models import Digest, PlanRun

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_database_that_never_planned_gets_todays_digests_at_once():
    call_command("seed_demo", cadres=120, seed=5, stdout=io.StringIO())
    assert not PlanRun.objects.exists()

    output = run("--if-never-planned")

    assert PlanRun.objects.exists()
    assert Digest.objects.filter(status=Digest.Status.SENT).exists()
    assert len(mail.outbox) == Digest.objects.filter(status=Digest.Status.SENT).count() > 0
    assert "已生成今天的提醒邮件，见" in output


def test_once_a_day_has_been_planned_it_does_nothing():
    run("--date", "2026-03-01")
    runs = PlanRun.objects.count()
    sent = len(mail.outbox)

    assert run("--if-never-planned") == ""

    assert PlanRun.objects.count() == runs and len(mail.outbox) == sent
