"""Cadres not yet checked are reminded to their liaison (or their unit's staff)
``lead_days`` before the campaign's window closes — not before, and not for those
checked or who declined — once per campaign, in the digest email with a link to the
checkup's form."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reminders.delivery_services import digest_send
from reminders.models import Digest, ReminderItem, ReminderKind, ReminderRule
from reminders.rules import due_items_by_recipient
from reminders.services import reminders_plan_day
from tests.factories import CadreFactory, CheckupFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# The campaign closes on 30 June; the rule's 14 days start on 16 June.
FIRST_DAY = D(2026, 6, 16)


@pytest.fixture(autouse=True)
def checkup_rule_only(db):
    ReminderRule.objects.exclude(kind=ReminderKind.CHECKUP_PENDING).update(is_active=False)


@pytest.fixture
def people(campaign, edu, fin, liaison):
    pending = CadreFactory(name="未检甲", unit=edu, liaison=liaison)
    checked = CadreFactory(name="已检乙", unit=edu, liaison=liaison)
    declined = CadreFactory(name="拒检丙", unit=edu, liaison=liaison)
    away = CadreFactory(name="外出丁", unit=edu, liaison=liaison)
    orphan = CadreFactory(name="无联络戊", unit=fin)
    CheckupFactory(campaign=campaign, cadre=checked)
    for person, reason in ((declined, "declined"), (away, "away")):
        CheckupFactory(
            campaign=campaign,
            cadre=person,
            checked_on=None,
            result="",
            hospital="",
            not_checked_reason=reason,
        )
    fin_staff = UserFactory(username="fin-staff", unit=fin)
    return {"pending": pending, "orphan": orphan, "away": away, "fin_staff": fin_staff}


def checkup_names(plan, user):
    return {
        item.details["name"]
        for item in plan.get(user.pk, [])
        if item.kind == ReminderKind.CHECKUP_PENDING
    }


def test_nothing_before_the_lead_days(people, liaison):
    assert due_items_by_recipient(FIRST_DAY - datetime.timedelta(days=1)) == {}


def test_on_the_first_day_the_liaison_hears_of_their_cadres_not_yet_checked(people, liaison):
    plan = due_items_by_recipient(FIRST_DAY)
    assert checkup_names(plan, liaison) == {"未检甲", "外出丁"}
    # Without a liaison: the staff of the cadre's unit.
    assert checkup_names(plan, people["fin_staff"]) == {"无联络戊"}


def test_after_the_window_closes_nothing_more(people):
    assert due_items_by_recipient(D(2026, 7, 1)) == {}


def test_my_reminders_lists_only_ones_own(people, liaison):
    plan = due_items_by_recipient(FIRST_DAY, only_for=liaison)
    assert checkup_names(plan, liaison) == {"未检甲", "外出丁"}
    assert set(plan) == {liaison.pk}


def test_the_digest_is_sent_once_with_a_link_to_the_form(people, liaison, campaign):
    moment = datetime.datetime(2026, 6, 16, 7, 30, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        created, _digests = reminders_plan_day(day=FIRST_DAY)
        assert created == 3
        digest = Digest.objects.get(recipient=liaison)
        assert digest_send(digest_id=digest.pk)
    body = mail.outbox[-1].body
    assert "未检甲" in body and "2026年健康体检" in body
    assert reverse("checkups:record", args=[campaign.pk, people["pending"].pk]) in body
    # The next day nothing new: one reminder per cadre and campaign.
    later = datetime.datetime(2026, 6, 17, 7, 30, tzinfo=SHANGHAI)
    with time_machine.travel(later, tick=False):
        assert reminders_plan_day(day=D(2026, 6, 17))[0] == 0
    assert ReminderItem.objects.filter(kind=ReminderKind.CHECKUP_PENDING).count() == 3


def test_a_cadre_checked_since_is_no_longer_reminded(people, liaison, campaign):
    CheckupFactory(campaign=campaign, cadre=people["pending"], checked_on=D(2026, 6, 9))
    plan = due_items_by_recipient(FIRST_DAY)
    assert checkup_names(plan, liaison) == {"外出丁"}


def test_an_inactive_rule_or_campaign_reminds_no_one(people, campaign):
    campaign.is_active = False
    campaign.save()
    assert due_items_by_recipient(FIRST_DAY) == {}
    campaign.is_active = True
    campaign.save()
    ReminderRule.objects.filter(kind=ReminderKind.CHECKUP_PENDING).update(is_active=False)
    assert due_items_by_recipient(FIRST_DAY) == {}
