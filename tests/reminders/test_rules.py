import datetime

import pytest
from borax.calendars.lunardate import LunarDate

from branches.models import BranchRole
from cadres.models import CadreStatus, Health, PoliticalStatus, RetirementKind, VisitOccasion
from reminders.birthday_rules import is_birthday_milestone, is_party_milestone
from reminders.models import Holiday, ReminderKind, ReminderRule
from reminders.rules import due_items_by_recipient
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def only(db):
    """Each test switches on the rules it is about."""
    ReminderRule.objects.update(is_active=False)

    def enable(*kinds, **changes):
        ReminderRule.objects.filter(kind__in=kinds).update(is_active=True, **changes)

    return enable


def kinds_for(plan, user):
    return sorted((i.kind, i.subject_key, i.occurrence) for i in plan.get(user.pk, []))


def test_solar_birthday_within_lead_days_goes_to_the_liaison(only, liaison, office, day):
    only(ReminderKind.BIRTHDAY, lead_days=7)
    cadre = CadreFactory(unit=office, liaison=liaison, birth_date=D(1946, 11, 25))
    plan = due_items_by_recipient(day)
    [item] = plan[liaison.pk]
    assert (item.kind, item.occurrence, item.cadre_id) == ("birthday", D(2026, 11, 25), cadre.pk)
    assert item.details["age"] == 80 and item.details["milestone"]
    assert due_items_by_recipient(D(2026, 11, 17)) == {}  # eight days ahead: not yet


def test_lunar_birthday_is_found_on_its_lunar_date(only, liaison, office):
    only(ReminderKind.BIRTHDAY, lead_days=1)
    born = LunarDate(1953, 10, 20).to_solar_date()
    assert born.replace(year=2026) != LunarDate(2026, 10, 20).to_solar_date()
    cadre = CadreFactory(
        unit=office, liaison=liaison, birth_date=born, celebrates_lunar_birthday=True
    )
    occurrence = LunarDate(2026, 10, 20).to_solar_date()
    plan = due_items_by_recipient(occurrence - datetime.timedelta(days=1))
    [item] = plan[liaison.pk]
    assert (item.cadre_id, item.occurrence, item.details["lunar"]) == (cadre.pk, occurrence, True)
    # The solar anniversary is not announced for a lunar-birthday cadre.
    assert due_items_by_recipient(born.replace(year=2026) - datetime.timedelta(days=1)) == {}


def test_a_staff_members_own_lead_time_applies(only, liaison, office, day):
    only(ReminderKind.BIRTHDAY, lead_days=7)
    CadreFactory(unit=office, liaison=liaison, birth_date=D(1950, 11, 25))
    liaison.reminder_lead_days = 1
    liaison.save()
    assert due_items_by_recipient(day) == {}
    assert len(due_items_by_recipient(D(2026, 11, 24))[liaison.pk]) == 1


def test_recipients_fall_back_to_unit_staff_and_up_the_tree(only, liaison, colleague, office, day):
    only(ReminderKind.BIRTHDAY, lead_days=7)
    liaison.receives_reminders = False
    liaison.save()
    with_optout_liaison = CadreFactory(unit=office, liaison=liaison, birth_date=D(1950, 11, 23))
    school = UnitFactory(name="县第一中学", code="EDU1", parent=office)  # no staff of its own
    in_school = CadreFactory(unit=school, liaison=None, birth_date=D(1950, 11, 24))
    plan = due_items_by_recipient(day)
    assert set(plan) == {colleague.pk}
    assert {i.cadre_id for i in plan[colleague.pk]} == {with_optout_liaison.pk, in_school.pk}


def test_deceased_and_transferred_cadres_never_appear(only, liaison, office, day):
    only(ReminderKind.BIRTHDAY, ReminderKind.OVERDUE_VISIT, lead_days=7)
    CadreFactory(
        unit=office,
        liaison=liaison,
        birth_date=D(1950, 11, 23),
        status=CadreStatus.DECEASED,
        died_on=D(2026, 5, 1),
    )
    CadreFactory(
        unit=office,
        liaison=liaison,
        birth_date=D(1950, 11, 24),
        status=CadreStatus.TRANSFERRED,
        transferred_on=D(2026, 5, 1),
    )
    assert due_items_by_recipient(day) == {}


def test_political_birthday_marks_fifty_years(only, liaison, office, day):
    only(ReminderKind.POLITICAL_BIRTHDAY, lead_days=7)
    CadreFactory(unit=office, liaison=liaison, party_joined_on=D(1976, 11, 25))
    CadreFactory(
        unit=office,
        liaison=liaison,
        political_status=PoliticalStatus.MASSES,
        party_joined_on=None,
        birth_date=D(1951, 11, 25),
    )
    [item] = due_items_by_recipient(day)[liaison.pk]
    assert item.details == {"name": item.details["name"], "years": 50, "milestone": True}
    assert is_party_milestone(60) and not is_party_milestone(55) and not is_party_milestone(40)
    assert is_birthday_milestone(80) and is_birthday_milestone(93) and not is_birthday_milestone(85)


def test_holiday_visit_lists_the_audience_not_yet_visited(only, liaison, office):
    only(ReminderKind.HOLIDAY_VISIT)
    spring = Holiday.objects.get(name="春节")  # lunar 1-1, everyone, 21 days ahead
    visited = CadreFactory(unit=office, liaison=liaison)
    waiting = CadreFactory(unit=office, liaison=liaison)
    day = D(2027, 1, 20)  # Spring Festival 2027 is on 6 February
    VisitFactory(cadre=visited, occasion=spring.occasion, visited_on=D(2027, 1, 10))
    VisitFactory(
        cadre=waiting, occasion=VisitOccasion.objects.get(code="routine"), visited_on=D(2027, 1, 10)
    )
    items = due_items_by_recipient(day)[liaison.pk]
    assert [(i.cadre_id, i.occurrence, i.details["holiday"]) for i in items] == [
        (waiting.pk, D(2027, 2, 6), "春节")
    ]
    assert due_items_by_recipient(D(2027, 1, 10)) == {}  # 27 days before: not yet


def test_holiday_audiences(only, liaison, office):
    only(ReminderKind.HOLIDAY_VISIT)
    Holiday.objects.exclude(name__in=["七一建党节", "中秋节"]).update(is_active=False)
    member = CadreFactory(unit=office, liaison=liaison, birth_date=D(1960, 1, 1))
    CadreFactory(
        unit=office,
        liaison=liaison,
        political_status=PoliticalStatus.MASSES,
        party_joined_on=None,
        birth_date=D(1961, 1, 1),
    )
    elder = CadreFactory(
        unit=office,
        liaison=liaison,
        birth_date=D(1940, 1, 1),
        political_status=PoliticalStatus.MASSES,
        party_joined_on=None,
    )
    july = {i.cadre_id for i in due_items_by_recipient(D(2027, 6, 25))[liaison.pk]}
    assert july == {member.pk, elder.pk} - {elder.pk}
    mid_autumn = LunarDate(2027, 8, 15).to_solar_date()
    autumn = {i.cadre_id for i in due_items_by_recipient(mid_autumn)[liaison.pk]}
    assert autumn == {elder.pk}


def test_overdue_visit_counts_from_the_last_visit_per_retirement_kind(only, liaison, office, day):
    only(ReminderKind.OVERDUE_VISIT, threshold_days_lixiu=30, threshold_days_tuixiu=180)
    old = CadreFactory(unit=office, liaison=liaison)
    VisitFactory(cadre=old, visited_on=D(2026, 5, 1))
    fresh = CadreFactory(unit=office, liaison=liaison)
    VisitFactory(cadre=fresh, visited_on=D(2026, 10, 1))
    lixiu = CadreFactory(
        unit=office, liaison=liaison, retirement_kind=RetirementKind.LIXIU, birth_date=D(1930, 3, 1)
    )
    VisitFactory(cadre=lixiu, visited_on=D(2026, 10, 1))
    items = {i.cadre_id: i for i in due_items_by_recipient(day)[liaison.pk]}
    assert set(items) == {old.pk, lixiu.pk}
    assert items[old.pk].occurrence == D(2026, 10, 28)  # 1 May + 180 days
    assert items[lixiu.pk].occurrence == D(2026, 10, 31)


def test_in_hospital_without_a_visit_for_three_days(only, liaison, office, day):
    only(ReminderKind.HOSPITAL_VISIT, threshold_days=3)
    waiting = CadreFactory(
        unit=office, liaison=liaison, health=Health.IN_HOSPITAL, health_changed_on=D(2026, 11, 18)
    )
    seen = CadreFactory(
        unit=office, liaison=liaison, health=Health.IN_HOSPITAL, health_changed_on=D(2026, 11, 10)
    )
    VisitFactory(cadre=seen, visited_on=D(2026, 11, 21))
    [item] = due_items_by_recipient(day)[liaison.pk]
    assert (item.cadre_id, item.occurrence) == (waiting.pk, D(2026, 11, 21))


def test_care_need_past_due_goes_to_its_assignee(only, liaison, colleague, office, day):
    only(ReminderKind.CARE_NEED_OVERDUE)
    cadre = CadreFactory(unit=office, liaison=liaison)
    need = CareNeedFactory(cadre=cadre, due_on=D(2026, 11, 20), assignee=colleague)
    CareNeedFactory(cadre=cadre, due_on=D(2026, 11, 30))  # not yet due
    plan = due_items_by_recipient(day)
    assert kinds_for(plan, colleague) == [("care_need_overdue", f"need:{need.pk}", D(2026, 11, 20))]
    assert liaison.pk not in plan


def test_branch_term_ending_within_sixty_days(only, colleague, office, day):
    only(ReminderKind.BRANCH_TERM_ENDING, lead_days=60)
    branch = PartyBranchFactory(unit=office)
    BranchRoleFactory(
        branch=branch,
        role=BranchRole.Role.SECRETARY,
        started_on=D(2021, 12, 1),
        term_ends_on=D(2026, 12, 31),
    )
    later = PartyBranchFactory(unit=office)
    BranchRoleFactory(
        branch=later,
        role=BranchRole.Role.SECRETARY,
        started_on=D(2024, 1, 1),
        term_ends_on=D(2029, 1, 1),
    )
    items = due_items_by_recipient(day)[colleague.pk]
    assert [(i.branch_id, i.occurrence) for i in items] == [(branch.pk, D(2026, 12, 31))]


def test_unit_staff_without_reminders_and_other_units_hear_nothing(only, office, day):
    only(ReminderKind.BIRTHDAY, lead_days=7)
    other = UnitFactory(name="县财政局", code="FIN")
    outsider = UserFactory(unit=other)
    CadreFactory(unit=office, birth_date=D(1950, 11, 23))
    assert outsider.pk not in due_items_by_recipient(day)
