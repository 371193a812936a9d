import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reminders.models import Digest, ReminderKind, ReminderRule
from tests.factories import CadreFactory, DigestFactory, ReminderItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)):
        yield


def test_pages_need_login(client):
    for name in ("reminders:mine", "reminders:log", "accounts:profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_my_reminders_lists_whats_due_for_me(client, frozen, liaison, office):
    ReminderRule.objects.filter(kind=ReminderKind.BIRTHDAY).update(lead_days=7)
    cadre = CadreFactory(
        name="张三", unit=office, liaison=liaison, birth_date=datetime.date(1946, 11, 25)
    )
    other = CadreFactory(
        name="王五",
        unit=office,
        liaison=UserFactory(unit=office),
        birth_date=datetime.date(1946, 11, 26),
    )
    client.force_login(liaison)
    body = client.get(reverse("reminders:mine")).content.decode()
    assert "张三" in body and "80岁生日" in body
    assert reverse("cadres:detail", args=[cadre.pk]) in body
    assert other.name not in body  # someone else's liaison cadre


def test_delivery_log_is_scoped_and_failed_digests_can_be_resent(client, liaison, colleague):
    failed = DigestFactory(recipient=colleague, status=Digest.Status.FAILED, last_error="SMTP 421")
    ReminderItemFactory(digest=failed)
    outsider = DigestFactory(status=Digest.Status.FAILED)  # a user of another unit
    client.force_login(liaison)
    page = client.get(reverse("reminders:log"))
    assert list(page.context["page"]) == [failed]
    assert client.get(reverse("reminders:resend", args=[outsider.pk])).status_code == 404
    confirm = client.get(reverse("reminders:resend", args=[failed.pk]))
    assert confirm.status_code == 200 and "重新发送" in confirm.content.decode()
    response = client.post(reverse("reminders:resend", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    # Celery runs eagerly in tests: queued again, then sent once on commit.
    assert failed.status in (Digest.Status.QUEUED, Digest.Status.SENT)


def test_resend_refuses_a_digest_that_did_not_fail(client, liaison):
    sent = DigestFactory(recipient=liaison, status=Digest.Status.SENT, sent_at="2026-11-22T08:00Z")
    client.force_login(liaison)
    response = client.post(reverse("reminders:resend", args=[sent.pk]), follow=True)
    assert "只有发送失败" in response.content.decode()
    assert len(mail.outbox) == 0


def test_profile_switches_reminders_off_and_sets_lead_time(client, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "联络员甲", "email": "l@example.com", "phone": "", "reminder_lead_days": "3"},
        follow=True,
    )
    assert "已保存" in response.content.decode()
    liaison.refresh_from_db()
    assert liaison.receives_reminders is False and liaison.reminder_lead_days == 3
    bad = client.post(
        reverse("accounts:profile"), {"email": "not-an-email", "reminder_lead_days": "99"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors.keys() >= {
        "email",
        "reminder_lead_days",
    }


def test_cadre_page_is_scoped_and_shows_the_reminders_sent(client, liaison, office):
    cadre = CadreFactory(name="张三", unit=office, liaison=liaison)
    digest = DigestFactory(
        recipient=liaison, status=Digest.Status.SENT, sent_at="2026-11-22T00:00Z"
    )
    ReminderItemFactory(digest=digest, cadre=cadre)
    stranger = CadreFactory(name="赵六")  # another unit
    client.force_login(liaison)
    page = client.get(reverse("cadres:detail", args=[cadre.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "张三" in body and "已发送" in body
    assert cadre.id_number not in body and cadre.masked_id_number in body
    assert client.get(reverse("cadres:detail", args=[stranger.pk])).status_code == 404


def test_lockout_after_repeated_failures_is_explained_in_chinese(client, liaison, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(
            reverse("accounts:login"), {"username": "liaison", "password": "wrong"}
        )
    assert response.status_code == 429 or response.status_code == 403
    assert "登录失败次数过多" in response.content.decode()


def test_my_reminders_in_pinyin_order_and_in_english(client, frozen, liaison, office):
    ReminderRule.objects.filter(kind=ReminderKind.BIRTHDAY).update(lead_days=7)
    for name in ("程刚", "陈建国"):
        CadreFactory(
            name=name, unit=office, liaison=liaison, birth_date=datetime.date(1946, 11, 25)
        )
    client.force_login(liaison)
    body = client.get(reverse("reminders:mine")).content.decode()
    assert body.index("陈建国") < body.index("程刚")
    assert "11月25日" in body and "2026年11月22日" in body
    liaison.language = "en"
    liaison.save()
    english = client.get(reverse("reminders:mine")).content.decode()
    assert "陈建国 turns 80 on November 25" in english and "Nov. 22, 2026" in english
    assert "11月" not in english and "年" not in english
