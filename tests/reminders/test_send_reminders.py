import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cadres.models import Cadre, CadreStatus
from reminders.birthday_rules import _lunar_birthday
from reminders.calendar import lunar_occurrences
from reminders.models import Digest, ReminderItem

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_on_the_demo_lists_a_lunar_birthday_the_day_before():
    call_command("seed_demo", cadres=300, seed=11, stdout=io.StringIO())
    cadre = (
        Cadre.objects.filter(celebrates_lunar_birthday=True, status=CadreStatus.ON_REGISTER)
        .order_by("id")
        .first()
    )
    start = datetime.date(2026, 12, 1)
    [birthday] = list(
        lunar_occurrences(
            _lunar_birthday(cadre.birth_date), start, start + datetime.timedelta(days=365)
        )
    )[:1]
    output = run("--date", (birthday - datetime.timedelta(days=1)).isoformat(), "--dry-run")
    assert cadre.name in output and "农历" in output
    assert ReminderItem.objects.count() == 0 and Digest.objects.count() == 0
    assert len(mail.outbox) == 0


def test_a_real_run_plans_and_sends_once(liaison, office):
    from tests.factories import CadreFactory

    CadreFactory(name="张三", unit=office, liaison=liaison, birth_date=datetime.date(1946, 11, 25))
    first = run("--date", "2026-11-22")
    assert "1 digests sent" in first
    second = run("--date", "2026-11-22")
    assert "0 new items, 0 digests sent" in second
    assert [m.to for m in mail.outbox] == [["l@example.com"]]


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "2026-13-01")
