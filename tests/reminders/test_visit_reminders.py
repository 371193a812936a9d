"""Reminders ask for what is planned: planned visits (the condolence visit first),
follow-ups by their 跟进 date and return visits after an answered need reach the
responsible person's digest and "我的提醒", each with a link to its completion form."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cadres.models import Visit, VisitOccasion
from cadres.need_services import care_need_resolve
from cadres.services import cadre_mark_deceased
from cadres.visit_services import (
    visit_cancel,
    visit_complete,
    visit_record,
    visit_reschedule,
)
from reminders.delivery_services import digest_send
from reminders.models import Digest, ReminderItem, ReminderKind, ReminderRule
from reminders.rules import due_items_by_recipient
from reminders.services import reminders_plan_day
from tests.factories import CadreFactory, CareNeedFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = D(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 7, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture(autouse=True)
def visit_rules_only(db):
    ReminderRule.objects.exclude(
        kind__in=[
            ReminderKind.PLANNED_VISIT,
            ReminderKind.FOLLOW_UP_VISIT,
            ReminderKind.RETURN_VISIT,
        ]
    ).update(is_active=False)


def occasion(code):
    return VisitOccasion.objects.get(code=code)


def planned(cadre, due_on, code="routine", **fields):
    return VisitFactory(
        cadre=cadre,
        occasion=occasion(code),
        status=Visit.Status.PLANNED,
        visited_on=None,
        due_on=due_on,
        **fields,
    )


def sent_digest(recipient):
    digest = Digest.objects.get(recipient=recipient, send_on=DAY)
    digest_send(digest_id=digest.pk)
    [message] = [m for m in mail.outbox if m.to == [recipient.email]]
    return message


def test_the_seeded_rules():
    rules = {r.kind: r.lead_days for r in ReminderRule.objects.filter(kind__contains="visit")}
    assert rules["planned_visit"] == 3
    assert rules["follow_up_visit"] == 0 and rules["return_visit"] == 0


def test_a_condolence_visit_due_comes_first_in_the_liaisons_digest(liaison, office):
    """Marked deceased yesterday: the condolence visit (due in two days) heads the digest,
    before visits planned earlier and overdue, and links to its completion form."""
    ReminderRule.objects.filter(kind=ReminderKind.HOSPITAL_VISIT).update(is_active=True)
    in_hospital = CadreFactory(
        unit=office, liaison=liaison, health="hospital", health_changed_on=D(2026, 11, 1)
    )
    routine = planned(CadreFactory(unit=office, liaison=liaison, name="甲"), D(2026, 11, 20))
    deceased = CadreFactory(unit=office, liaison=liaison, name="王五")
    with time_machine.travel(datetime.datetime(2026, 11, 21, 16, 0, tzinfo=SHANGHAI), tick=False):
        condolence = cadre_mark_deceased(cadre=deceased, died_on=D(2026, 11, 21), by=liaison)
    assert condolence.due_on == D(2026, 11, 24)
    reminders_plan_day(day=DAY)
    message = sent_digest(liaison)
    text = message.body
    complete_url = "http://testserver" + reverse("cadres:visit_complete", args=[condolence.pk])
    first = text.index("【计划走访到期】")
    assert first < text.index("【住院未探望】")
    assert text.index("王五：计划走访（去世吊唁），11月24日到期") < text.index("甲：计划走访")
    assert "甲：计划走访（日常走访），11月20日到期（已逾期2天）" in text
    assert complete_url in text
    assert "http://testserver" + reverse("cadres:visit_todo") in text
    html = message.alternatives[0][0]
    assert f'href="{complete_url}"' in html
    assert in_hospital.pk and routine.pk


def test_completing_or_cancelling_takes_a_visit_off_the_next_days_plan(liaison, office):
    done = planned(CadreFactory(unit=office, liaison=liaison), DAY)
    called_off = planned(CadreFactory(unit=office, liaison=liaison), DAY)
    left = planned(CadreFactory(unit=office, liaison=liaison), DAY)
    reminders_plan_day(day=DAY)
    assert ReminderItem.objects.filter(kind="planned_visit").count() == 3
    visit_complete(visit=done, by=liaison, visited_on=DAY)
    visit_cancel(visit=called_off, by=liaison, reason="家属婉拒")
    tomorrow = DAY + datetime.timedelta(days=1)
    keys = [item.subject_key for item in due_items_by_recipient(tomorrow)[liaison.pk]]
    assert keys == [f"visit:{left.pk}"]
    # Still planned and reminded already: not a new item of the next digest.
    assert reminders_plan_day(day=tomorrow) == (0, [])


def test_a_rescheduled_visit_is_reminded_again_on_its_new_date(liaison, office):
    visit = planned(CadreFactory(unit=office, liaison=liaison), DAY)
    reminders_plan_day(day=DAY)
    visit_reschedule(visit=visit, by=liaison, due_on=D(2026, 11, 30), reason="老人住院")
    assert due_items_by_recipient(D(2026, 11, 26)) == {}  # beyond the three lead days
    created, _digests = reminders_plan_day(day=D(2026, 11, 27))
    assert created == 1


def test_a_follow_up_is_reminded_on_its_date(liaison, office):
    cadre = CadreFactory(unit=office, liaison=liaison, name="赵六")
    visit = visit_record(
        by=liaison,
        cadre=cadre,
        occasion=occasion("hospital"),
        visited_on=D(2026, 11, 15),
        follow_up_needed=True,
        follow_up_by=D(2026, 11, 23),
    )
    follow_up = visit.follow_ups.get()
    assert due_items_by_recipient(DAY) == {}  # lead 0: on its day
    [item] = due_items_by_recipient(D(2026, 11, 23))[liaison.pk]
    assert (item.kind, item.subject_key) == ("follow_up_visit", f"visit:{follow_up.pk}")
    reminders_plan_day(day=D(2026, 11, 23))
    digest = Digest.objects.get(recipient=liaison)
    digest_send(digest_id=digest.pk)
    [message] = mail.outbox
    assert "【跟进到期】" in message.body
    assert "赵六：11月15日走访的跟进，11月23日到期" in message.body
    assert reverse("cadres:visit_complete", args=[follow_up.pk]) in message.body


def test_a_return_visit_goes_to_the_needs_assignee(liaison, colleague, office):
    cadre = CadreFactory(unit=office, liaison=liaison, name="钱七")
    need = CareNeedFactory(
        cadre=cadre, raised_on=D(2026, 11, 1), assignee=colleague, category="housing"
    )
    care_need_resolve(
        need=need,
        by=colleague,
        resolution="已协调维修",
        resolved_on=D(2026, 11, 10),
        return_visit_on=DAY,
    )
    plan = due_items_by_recipient(DAY)
    assert liaison.pk not in plan
    [item] = plan[colleague.pk]
    assert item.kind == "return_visit" and item.details["category"] == "住房"
    reminders_plan_day(day=DAY)
    message = sent_digest(colleague)
    assert "钱七：住房诉求的回访，11月22日到期" in message.body


def test_my_reminders_lists_planned_visits_with_their_completion_links(
    client, liaison, colleague, office
):
    mine = planned(CadreFactory(unit=office, liaison=liaison, name="孙八"), D(2026, 11, 23))
    other_unit = UserFactory()
    planned(CadreFactory(unit=other_unit.unit, name="他人"), DAY)
    client.force_login(liaison)
    response = client.get(reverse("reminders:mine"))
    body = response.content.decode()
    assert "孙八：计划走访（日常走访），11月23日到期" in body
    assert reverse("cadres:visit_complete", args=[mine.pk]) in body
    assert "他人" not in body
    [section] = response.context["sections"]
    assert section["kind"] == "planned_visit"


def test_a_visit_done_by_a_colleague_is_not_asked_for_again(client, liaison, colleague, office):
    visit = planned(CadreFactory(unit=office, liaison=liaison), DAY)
    client.force_login(liaison)
    assert (
        reverse("cadres:visit_complete", args=[visit.pk])
        in client.get(reverse("reminders:mine")).content.decode()
    )
    visit_complete(visit=visit, by=colleague, visited_on=DAY)
    assert client.get(reverse("reminders:mine")).context["sections"] == []
