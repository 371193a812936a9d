"""A case waiting for a step is in the digest of whoever must take it, once per step."""

import datetime

import pytest
import time_machine
from django.core import mail

from reminders.delivery_services import digest_send
from reminders.models import ReminderItem, ReminderKind
from reminders.rules import due_items_by_recipient
from reminders.selectors import upcoming_sections
from reminders.services import reminders_plan_day
from tests.factories import UserFactory

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def assistance_recipients(day):
    plan = due_items_by_recipient(day)
    return {
        user_id: [item.subject_key for item in items if item.kind == ReminderKind.ASSISTANCE_STEP]
        for user_id, items in plan.items()
        if any(item.kind == ReminderKind.ASSISTANCE_STEP for item in items)
    }


def test_each_step_goes_to_whoever_takes_it(make_case, people):
    submitted = make_case("submitted")
    reviewed = make_case("reviewed")
    approved = make_case("approved")
    paid = make_case("paid")
    make_case("closed")
    make_case("refused")
    make_case("draft")
    day = datetime.date.today()
    recipients = assistance_recipients(day)
    # The review: the unit's staff but the drafter; the rest: the bureau.
    assert recipients[people["colleague"].pk] == [f"assistance:{submitted.pk}:review"]
    assert people["drafter"].pk not in recipients
    assert people["other_unit"].pk not in recipients
    assert sorted(recipients[people["bureau"].pk]) == sorted(
        [
            f"assistance:{reviewed.pk}:decide",
            f"assistance:{approved.pk}:pay",
            f"assistance:{paid.pk}:close",
        ]
    )
    assert people["admin"].pk not in recipients and people["secretary"].pk not in recipients


def test_a_unit_without_another_reviewer_looks_up_the_tree(make_case, people, unit_a):
    people["colleague"].receives_reminders = False
    people["colleague"].save()
    above = UserFactory(unit=unit_a.parent, role="unit_staff")
    case = make_case("submitted")
    recipients = assistance_recipients(datetime.date.today())
    assert recipients == {above.pk: [f"assistance:{case.pk}:review"]}


def test_the_digest_names_the_case_once_and_links_it(make_case, people):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        case = make_case("reviewed")
    with time_machine.travel(datetime.datetime(2026, 6, 3, 7, 30, tzinfo=SHANGHAI), tick=False):
        _count, digests = reminders_plan_day(day=datetime.date(2026, 6, 3))
        item = ReminderItem.objects.get(kind=ReminderKind.ASSISTANCE_STEP)
        assert item.recipient == people["bureau"] and item.occurrence == datetime.date(2026, 6, 1)
        for digest_id in digests:
            digest_send(digest_id=digest_id)
        body = next(m for m in mail.outbox if m.to == [people["bureau"].email]).body
        assert case.cadre.name in body
        assert f"/assistance/{case.pk}/" in body
        # The next day's plan does not remind the same step again.
        assert reminders_plan_day(day=datetime.date(2026, 6, 4))[0] == 0 or not (
            ReminderItem.objects.filter(kind=ReminderKind.ASSISTANCE_STEP).count() > 1
        )
        assert ReminderItem.objects.filter(kind=ReminderKind.ASSISTANCE_STEP).count() == 1


def test_my_reminders_page_lists_only_my_steps(make_case, people):
    case = make_case("submitted")
    sections = upcoming_sections(user=people["colleague"], today=datetime.date.today())
    texts = [
        item["text"] for s in sections if s["kind"] == "assistance_step" for item in s["items"]
    ]
    assert len(texts) == 1 and case.cadre.name in texts[0]
    assert not [
        s
        for s in upcoming_sections(user=people["other_unit"], today=datetime.date.today())
        if s["kind"] == "assistance_step"
    ]
