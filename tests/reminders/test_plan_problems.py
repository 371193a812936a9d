"""One bad record never stops the plan: a rule skips the record, logs it with its id and
lists it for administrators; everyone else's reminders still go. A lunar birthday before
the lunar calendar's first day (31 January 1900) is such a record, and is refused at
entry and import."""

import datetime
import logging
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from borax.calendars.lunardate import LunarDate
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadres.models import EARLIEST_LUNAR_BIRTH_DATE
from reminders.calendar import LUNAR_FIRST_DAY, LunarRangeError, lunar_month_day
from reminders.feed_selectors import feed_events
from reminders.models import Digest, PlanProblem, ReminderKind, ReminderRule
from reminders.problems import collecting_problems
from reminders.rules import due_items_by_recipient
from reminders.services import reminders_plan_day
from reminders.tasks import plan_daily_reminders
from tests.factories import CadreFactory, CalendarFeedFactory, make_id_number

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = D(2026, 11, 22)
BROKEN_BIRTH = D(1900, 1, 15)  # lunar 1899, before the calendar's first day


@pytest.fixture
def registry(liaison, colleague, office):
    """Birthdays coming up for the liaison and the unit, and one record the lunar
    calendar cannot compute, already in the database (entered before the check)."""
    ReminderRule.objects.filter(
        kind__in=[ReminderKind.OVERDUE_VISIT, ReminderKind.HOSPITAL_VISIT]
    ).update(is_active=False)
    return {
        "zhang": CadreFactory(
            name="张三", unit=office, liaison=liaison, birth_date=D(1946, 11, 25)
        ),
        "li": CadreFactory(name="李四", unit=office, liaison=None, birth_date=D(1950, 11, 26)),
        "broken": CadreFactory(
            name="钱老",
            unit=office,
            liaison=liaison,
            birth_date=BROKEN_BIRTH,
            celebrates_lunar_birthday=True,
        ),
    }


def test_the_lunar_calendar_starts_where_the_registry_check_does():
    assert LUNAR_FIRST_DAY == EARLIEST_LUNAR_BIRTH_DATE == LunarDate(1900, 1, 1).to_solar_date()
    with pytest.raises(LunarRangeError, match=r"1900-01-15.*1900-01-31"):
        lunar_month_day(BROKEN_BIRTH)
    assert (lunar_month_day(LUNAR_FIRST_DAY).month, lunar_month_day(LUNAR_FIRST_DAY).day) == (1, 1)


def test_a_plan_day_with_one_broken_record_delivers_everyone_elses_digest(registry, caplog):
    caplog.set_level(logging.WARNING, logger="reminders.rules")
    with time_machine.travel(datetime.datetime(2026, 11, 22, 7, 30, tzinfo=SHANGHAI), tick=False):
        plan_daily_reminders.delay()
    assert sorted(m.to[0] for m in mail.outbox) == ["c@example.com", "l@example.com"]
    assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.SENT}
    liaison_mail = next(m for m in mail.outbox if m.to == ["l@example.com"])
    assert "张三" in liaison_mail.body and "钱老" not in liaison_mail.body
    # Holiday visits still reach the broken record: only the birthday rule skipped it.
    [problem] = PlanProblem.objects.all()
    assert (problem.day, problem.kind, problem.cadre) == (DAY, "birthday", registry["broken"])
    assert problem.subject_key == f"cadre:{registry['broken'].pk}"
    assert "LunarRangeError" in problem.error and "1900-01-15" in problem.error
    logged = [r for r in caplog.records if str(registry["broken"].pk) in r.getMessage()]
    assert logged and logged[0].levelno == logging.ERROR and logged[0].exc_info


def test_replanning_after_the_record_is_put_right_clears_the_problem(registry):
    reminders_plan_day(day=DAY)
    reminders_plan_day(day=DAY)  # a second run keeps one row per record
    assert PlanProblem.objects.count() == 1
    registry["broken"].celebrates_lunar_birthday = False
    registry["broken"].save()
    reminders_plan_day(day=DAY)
    assert not PlanProblem.objects.exists()


def test_a_rule_that_fails_as_a_whole_stops_only_itself(registry):
    with mock.patch(
        "reminders.rules.holiday_visit_items", side_effect=RuntimeError("holiday data")
    ):
        created, digests = reminders_plan_day(day=DAY)
    assert created and len(digests) == 2
    rule = PlanProblem.objects.get(kind=ReminderKind.HOLIDAY_VISIT)
    assert (rule.cadre, rule.subject_key, rule.error) == (
        None,
        "rule",
        "RuntimeError: holiday data",
    )
    assert PlanProblem.objects.filter(kind=ReminderKind.BIRTHDAY).count() == 1


def test_readers_of_the_rules_skip_the_record_without_storing_it(registry, client, liaison, caplog):
    """The dashboard, the calendar feed and "my reminders" of everyone in the unit
    still answer, with the other cadres' birthdays."""
    caplog.set_level(logging.WARNING, logger="reminders.rules")
    with time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(liaison)
        dashboard = client.get(reverse("reports:dashboard"))
        assert dashboard.status_code == 200 and "张三" in dashboard.content.decode()
        assert client.get(reverse("reminders:mine")).status_code == 200
        feed = CalendarFeedFactory(user=liaison)
        response = client.get(reverse("reminders:feed", args=[feed.token]))
        assert response.status_code == 200 and "张三" in response.content.decode()
        events = feed_events(user=liaison, today=DAY)
        assert any("张三" in event.summary for event in events)
    assert not PlanProblem.objects.exists()
    assert any(str(registry["broken"].pk) in r.getMessage() for r in caplog.records)


def test_problems_are_collected_only_inside_the_plan(registry):
    with collecting_problems() as problems:
        due_items_by_recipient(DAY)
    assert [(p.kind, p.cadre_id) for p in problems] == [("birthday", registry["broken"].pk)]
    due_items_by_recipient(DAY)  # outside: logged only
    assert len(problems) == 1


# Refused at entry and at import ----------------------------------------------------------


def test_a_lunar_birthday_before_the_lunar_calendar_is_refused_with_a_clear_message(office):
    """Refused in Chinese, on the field (the form and admin show it there)."""
    cadre = CadreFactory.build(unit=office, birth_date=BROKEN_BIRTH, celebrates_lunar_birthday=True)
    with pytest.raises(ValidationError) as refused:
        cadre.full_clean(validate_unique=False, validate_constraints=False)
    [message] = refused.value.message_dict["celebrates_lunar_birthday"]
    assert "1900年1月31日" in message and "公历" in message
    cadre.celebrates_lunar_birthday = False  # by the solar calendar it is fine
    cadre.full_clean(validate_unique=False, validate_constraints=False)
    cadre.birth_date, cadre.celebrates_lunar_birthday = LUNAR_FIRST_DAY, True
    cadre.id_number = make_id_number(LUNAR_FIRST_DAY, True)
    cadre.full_clean(validate_unique=False, validate_constraints=False)


def test_the_ledger_import_refuses_the_row_in_chinese(client):
    from accounts.models import User
    from ledger.models import ImportJob
    from ledger.services import import_job_create, import_job_validate
    from tests.factories import UnitFactory, UserFactory
    from tests.ledger.conftest import person, upload_file, xlsx

    unit = UnitFactory(name="县教育局")
    staff = UserFactory(role=User.Role.UNIT_STAFF, unit=unit)
    row = person(1, unit, 过农历生日="是", 入党时间="")
    row.update(出生日期=BROKEN_BIRTH.isoformat(), 身份证号=make_id_number(BROKEN_BIRTH, True))
    row["政治面貌"] = "群众"
    with time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)):
        from django.utils import translation

        with translation.override("zh-hans"):
            job, sheet = import_job_create(user=staff, upload=upload_file(xlsx([row])))
            job = import_job_validate(job=job, sheet=sheet)
    assert job.status == ImportJob.Status.INVALID
    [error] = job.errors
    assert error["column"] == "过农历生日"
    assert "1900年1月31日" in error["message"]
