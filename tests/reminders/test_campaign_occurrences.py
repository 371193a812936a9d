"""The holiday campaign of any year: this year's holiday or an earlier one chosen by its
date, the visit window that group events must respect, the paginated lists and the
scope of each role."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from branches.models import BranchRole
from cadres.models import CadreStatus, Visit
from reminders.campaign_services import holiday_visits_record_group
from reminders.holiday_rules import holiday_occurrence, holiday_occurrences, holiday_visit_window
from reminders.models import Holiday
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date

SPRING_2026 = D(2026, 2, 17)
SPRING_2027 = D(2027, 2, 6)


@pytest.fixture(autouse=True)
def before_spring_festival():
    """Twelve days before Spring Festival 2027 (6 February); 2026's was on 17 February."""
    with time_machine.travel(datetime.datetime(2027, 1, 25, 2, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def spring():
    return Holiday.objects.get(name="春节")


def campaign_url(holiday, **params) -> str:
    url = reverse("reminders:campaign_holiday", args=[holiday.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def names(rows) -> list[str]:
    return [row["name"] for row in rows]


def test_the_page_offers_this_years_holiday_and_the_five_years_before(client, liaison, spring):
    client.force_login(liaison)
    context = client.get(campaign_url(spring)).context
    assert context["occurrence"] == SPRING_2027
    assert context["occurrences"] == [
        SPRING_2027,
        SPRING_2026,
        D(2025, 1, 29),
        D(2024, 2, 10),
        D(2023, 1, 22),
        D(2022, 2, 1),
    ]


def test_an_earlier_holiday_is_read_with_its_own_figures(client, office, liaison, spring):
    """Last year's 春节 counts last year's visits, and those on the register then: one
    who died since is still in its audience, one who retired since is not."""
    last_year = CadreFactory(name="张三", unit=office, liaison=liaison)
    this_year = CadreFactory(name="李四", unit=office, liaison=liaison)
    CadreFactory(name="王五", unit=office, liaison=liaison)
    died = CadreFactory(
        name="赵六",
        unit=office,
        liaison=liaison,
        status=CadreStatus.DECEASED,
        died_on=D(2026, 8, 1),
    )
    CadreFactory(name="孙七", unit=office, liaison=liaison, retirement_date=D(2026, 6, 30))
    VisitFactory(cadre=last_year, occasion=spring.occasion, visited_on=D(2026, 2, 10))
    VisitFactory(cadre=died, occasion=spring.occasion, visited_on=D(2026, 2, 12))
    VisitFactory(cadre=this_year, occasion=spring.occasion, visited_on=D(2027, 1, 20))
    # The same occasion outside either window counts for neither.
    VisitFactory(cadre=this_year, occasion=spring.occasion, visited_on=D(2026, 6, 1))
    client.force_login(liaison)

    earlier = client.get(campaign_url(spring, occurrence="2026-02-17")).context
    assert earlier["occurrence"] == SPRING_2026
    assert (earlier["audience"], earlier["visited"], earlier["percent"]) == (4, 2, 50)
    assert names(earlier["visited_cadres"]) == ["张三", "赵六"]
    assert [row["visited_on"] for row in earlier["visited_cadres"]] == [
        D(2026, 2, 10),
        D(2026, 2, 12),
    ]
    assert names(earlier["remaining"]) == ["李四", "王五"]
    assert earlier["by_unit"] == [{"name": "县教育局", "total": 4, "visited": 2, "percent": 50}]
    assert (earlier["window_first"], earlier["window_last"]) == (D(2026, 1, 3), D(2026, 3, 4))

    current = client.get(campaign_url(spring)).context
    assert current["occurrence"] == SPRING_2027
    assert (current["audience"], current["visited"]) == (4, 1)
    assert names(current["visited_cadres"]) == ["李四"]
    assert names(current["remaining"]) == ["孙七", "王五", "张三"]


@pytest.mark.parametrize(
    "value",
    ["", "abc", "2026-13-45", "2026-02-18", "2015-02-19", "²", "9" * 40],
)
def test_a_bad_occurrence_reads_the_current_holiday(client, liaison, spring, value):
    client.force_login(liaison)
    response = client.get(campaign_url(spring), {"occurrence": value})
    assert response.status_code == 200 and response.context["occurrence"] == SPRING_2027


def test_the_window_is_shown_with_the_holiday(client, liaison, spring):
    client.force_login(liaison)
    CadreFactory(unit=liaison.unit, liaison=liaison)
    page = client.get(campaign_url(spring)).content.decode()
    assert "2026-12-23" in page and "2027-02-21" in page


# The visit window ------------------------------------------------------------------------


def group_event(cadres, visited_on: datetime.date) -> dict:
    return {
        "cadres": [c.pk for c in cadres],
        "visited_on": visited_on.isoformat(),
        "mode": "group",
        "condolence_money": "300",
    }


def test_a_group_event_before_the_window_is_refused_with_the_window(
    client, office, liaison, spring
):
    waiting = [CadreFactory(unit=office, liaison=liaison) for _ in range(2)]
    client.force_login(liaison)
    response = client.post(campaign_url(spring), group_event(waiting, D(2026, 12, 20)))
    assert response.status_code == 200
    [error] = response.context["form"].errors["visited_on"]
    assert "2026-12-23" in error and "2027-02-21" in error and "春节" in error
    assert error in response.content.decode()
    assert not Visit.objects.exists()


def test_the_window_message_is_in_chinese(client, office, liaison, spring):
    cadre = CadreFactory(unit=office, liaison=liaison)
    client.force_login(liaison)
    response = client.post(campaign_url(spring), group_event([cadre], D(2026, 12, 1)))
    assert response.context["form"].errors["visited_on"] == [
        "走访日期应在 2026-12-23 至 2027-02-21 之间（春节慰问期）。"
    ]


def test_a_late_group_event_for_last_years_holiday_counts_for_it(client, office, liaison, spring):
    waiting = [CadreFactory(name=n, unit=office, liaison=liaison) for n in ("甲一", "乙二")]
    client.force_login(liaison)
    url = campaign_url(spring, occurrence="2026-02-17")
    refused = client.post(url, group_event(waiting, D(2026, 3, 5)))  # a day too late
    assert "2026-01-03" in refused.context["form"].errors["visited_on"][0]
    response = client.post(url, group_event(waiting, D(2026, 3, 4)))
    assert response.status_code == 302 and response.url == url
    assert Visit.objects.filter(occasion=spring.occasion, visited_on=D(2026, 3, 4)).count() == 2
    assert client.get(url).context["percent"] == 100
    assert client.get(campaign_url(spring)).context["visited"] == 0


def test_the_service_refuses_a_date_outside_the_window(office, liaison, spring):
    cadre = CadreFactory(unit=office, liaison=liaison)
    first, last = holiday_visit_window(spring, SPRING_2027)
    assert (first, last) == (D(2026, 12, 23), D(2027, 2, 21))
    for day in (first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            holiday_visits_record_group(
                by=liaison,
                holiday=spring,
                occurrence=SPRING_2027,
                cadres=[cadre],
                visited_on=day,
                mode="group",
                condolence_money=0,
            )
        assert "visited_on" in refused.value.message_dict
    [visit] = holiday_visits_record_group(
        by=liaison,
        holiday=spring,
        occurrence=SPRING_2027,
        cadres=[cadre],
        visited_on=first,
        mode="group",
        condolence_money=0,
    )
    assert (visit.occasion, visit.status, visit.visited_on) == (spring.occasion, "done", first)


def test_a_cadre_already_visited_cannot_be_ticked_again(client, office, liaison, spring):
    visited = CadreFactory(name="已访", unit=office, liaison=liaison)
    VisitFactory(cadre=visited, occasion=spring.occasion, visited_on=D(2027, 1, 20))
    client.force_login(liaison)
    response = client.post(campaign_url(spring), group_event([visited], D(2027, 1, 25)))
    assert "已访" in response.context["form"].errors["cadres"][0]
    assert Visit.objects.count() == 1


def test_the_form_waits_for_the_window_to_open(client, office, liaison, spring):
    CadreFactory(unit=office, liaison=liaison)
    client.force_login(liaison)
    assert 'name="visited_on"' in client.get(campaign_url(spring)).content.decode()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 2, tzinfo=datetime.UTC)):
        response = client.get(campaign_url(spring))
    assert response.context["occurrence"] == SPRING_2027
    assert not response.context["window_open"]
    page = response.content.decode()
    assert 'name="visited_on"' not in page and "2026-12-23 起可以登记" in page


# Pagination and sorting ------------------------------------------------------------------


def test_both_lists_page_separately_in_pinyin_order(client, office, liaison, spring):
    surnames = "艾白蔡丁范高韩江孔雷马牛欧潘秦任苏唐王夏谢杨张赵周邹"
    cadres = [
        CadreFactory(name=f"{surname}{given}", unit=office, liaison=liaison)
        for surname in surnames
        for given in "甲乙丙丁戊"
    ][:130]
    for cadre in cadres[:60]:
        VisitFactory(cadre=cadre, occasion=spring.occasion, visited_on=D(2027, 1, 10))
    client.force_login(liaison)

    def by_pinyin(rows):
        return [c.pk for c in sorted(rows, key=lambda c: (c.name_pinyin, c.pk))]

    first = client.get(campaign_url(spring)).context
    assert [row["id"] for row in first["remaining"]] == by_pinyin(cadres[60:])
    assert [row["id"] for row in first["visited_cadres"]] == by_pinyin(cadres[:60])
    assert (len(first["todo_page"]), len(first["done_page"])) == (50, 50)
    second = client.get(campaign_url(spring, todo_page=2)).context
    assert (second["todo_page"].number, second["done_page"].number) == (2, 1)
    assert [row["id"] for row in [*first["todo_page"], *second["todo_page"]]] == by_pinyin(
        cadres[60:]
    )
    both = client.get(campaign_url(spring, todo_page=2, done_page=2)).context
    assert (len(both["todo_page"]), len(both["done_page"])) == (20, 10)


def test_pagination_links_keep_the_year_and_the_other_lists_page(client, office, liaison, spring):
    cadres = [CadreFactory(unit=office, liaison=liaison) for _ in range(52)]
    for cadre in cadres[:51]:
        VisitFactory(cadre=cadre, occasion=spring.occasion, visited_on=D(2026, 2, 1))
    client.force_login(liaison)
    response = client.get(campaign_url(spring, occurrence="2026-02-17", done_page=2))
    context = response.context
    assert (context["visited"], len(context["done_page"])) == (51, 1)
    assert context["done_page"].number == 2 and len(context["todo_page"]) == 1
    page = response.content.decode()
    assert 'href="?occurrence=2026-02-17&amp;done_page=1#done"' in page
    assert "todo_page" not in page  # one page still to visit: no links of its own


@pytest.mark.parametrize("value", ["abc", "0", "-1", "9" * 40, "²", "2.5"])
def test_a_bad_page_number_is_a_page_not_an_error(client, office, liaison, spring, value):
    CadreFactory(unit=office, liaison=liaison)
    client.force_login(liaison)
    response = client.get(campaign_url(spring), {"todo_page": value, "done_page": value})
    assert response.status_code == 200 and len(response.context["todo_page"]) == 1


def test_query_count_does_not_grow_with_cadres(client, office, liaison, spring):
    client.force_login(liaison)
    CadreFactory(unit=office, liaison=liaison)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(campaign_url(spring)).status_code == 200
        return len(queries)

    few = count()
    for n in range(70):
        liaison_n = UserFactory(unit=office) if n % 10 == 0 else liaison
        cadre = CadreFactory(
            unit=UnitFactory(parent=office) if n % 7 == 0 else office, liaison=liaison_n
        )
        if n % 2:
            VisitFactory(cadre=cadre, occasion=spring.occasion, visited_on=D(2027, 1, 10))
    assert count() == few


# The next holiday more than a year away --------------------------------------------------


def test_the_next_holiday_is_found_more_than_366_days_ahead(spring):
    """2025 had a leap sixth month: 春节 2026 came 384 days after 春节 2025."""
    assert (SPRING_2026 - D(2025, 1, 29)).days == 384
    assert holiday_occurrence(spring, D(2025, 1, 30)) == SPRING_2026
    assert holiday_occurrence(spring, D(2025, 2, 16)) == SPRING_2026
    assert holiday_occurrences(spring, until=SPRING_2026, years=1) == [SPRING_2026, D(2025, 1, 29)]


def test_the_campaign_is_not_empty_after_a_leap_month_year_holiday(client, office, liaison, spring):
    CadreFactory(unit=office, liaison=liaison)
    client.force_login(liaison)
    # 15 days after 春节 2025 its festival days are over; the next is 383 days away.
    with time_machine.travel(datetime.datetime(2025, 2, 14, 2, tzinfo=datetime.UTC)):
        context = client.get(campaign_url(spring)).context
        default = client.get(reverse("reminders:campaign")).context
    assert context["occurrence"] == SPRING_2026 and context["audience"] == 1
    assert default["occurrence"] is not None


# Scope -----------------------------------------------------------------------------------


def test_unit_staff_read_their_units_only_in_every_year(client, office, liaison, spring):
    mine = CadreFactory(name="本单位", unit=office, liaison=liaison)
    theirs = CadreFactory(name="外单位", unit=UnitFactory(name="县财政局", code="FIN"))
    for cadre in (mine, theirs):
        VisitFactory(cadre=cadre, occasion=spring.occasion, visited_on=D(2026, 2, 1))
    client.force_login(liaison)
    for params in ({}, {"occurrence": "2026-02-17"}):
        response = client.get(campaign_url(spring, **params))
        context = response.context
        assert context["audience"] == 1
        assert names(context["remaining"] + context["visited_cadres"]) == ["本单位"]
        assert [row["name"] for row in context["by_unit"]] == ["县教育局"]
        assert "外单位" not in response.content.decode()
    # Nor can a cadre of another unit be ticked.
    refused = client.post(campaign_url(spring), group_event([theirs], D(2027, 1, 25)))
    assert "cadres" in refused.context["form"].errors


def test_a_branch_secretary_reads_their_branch_members_only(client, office, spring):
    secretary = UserFactory(unit=office, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=office)
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(name="书记", unit=office, account=secretary),
        role=BranchRole.Role.SECRETARY,
    )
    member = CadreFactory(name="支部成员", unit=office)
    BranchRoleFactory(branch=branch, cadre=member)
    BranchRoleFactory(branch=PartyBranchFactory(unit=office), cadre=CadreFactory(name="别支部"))
    VisitFactory(cadre=member, occasion=spring.occasion, visited_on=D(2026, 2, 1))
    client.force_login(secretary)
    earlier = client.get(campaign_url(spring, occurrence="2026-02-17"))
    assert names(earlier.context["visited_cadres"]) == ["支部成员"]
    assert names(earlier.context["remaining"]) == ["书记"]
    assert "别支部" not in earlier.content.decode()
    # A secretary reads; recording is for staff who edit the registry.
    assert 'name="visited_on"' not in earlier.content.decode()
