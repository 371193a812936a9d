"""The figures of the statistical tables: ages, retirement, party membership, living
situation and hardship, communities, visits, condolence money, activities, volunteer hours
and the ages of branch committees, each worked out by hand."""

from decimal import Decimal

import pytest
from django.utils.translation import gettext

from activities.models import Activity, Attendance
from tests.factories import AttendanceFactory, CadreFactory, UserFactory
from tests.reports import statistics_world
from tests.reports.statistics_world import TOTAL, page, rows, total, unit_rows

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
frozen_clock = statistics_world.frozen_clock
bureau_staff = statistics_world.bureau_staff
staff_a = statistics_world.staff_a
world = statistics_world.world
branches = statistics_world.branches


def test_age_bands_by_unit_roll_sub_units_up(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "age-bands", year=2026)
    assert unit_rows(response) == {"县教育局": [1, 1, 0, 1, 3], "县财政局": [0, 0, 1, 0, 1]}
    assert total(response) == [TOTAL, 1, 1, 1, 1, 4]


def test_register_tables_read_the_register_and_ages_at_the_end_of_a_past_year(
    client, world, bureau_staff
):
    client.force_login(bureau_staff)
    # 31 December 2025: the one who died in 2026 counts (aged 80), the one transferred
    # out in June 2025 does not; 乙 is 75, 甲 65.
    response = page(client, "age-bands", year=2025)
    assert unit_rows(response)["县教育局"] == [1, 1, 1, 1, 4]
    assert "2025年12月31日" in response.context["report"].note


def test_retirement_kind(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "retirement-kind", year=2026)
    assert unit_rows(response)["县教育局"] == [1, 2, 3, pytest.approx(1 / 3)]
    assert total(response) == [TOTAL, 1, 3, 4, 0.25]


def test_party_members(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "party-members", year=2026)
    # CPC, of whom 50 years in the Party, democratic parties, non-party, total, share
    assert unit_rows(response) == {
        "县教育局": [2, 1, 0, 1, 3, pytest.approx(2 / 3)],
        "县财政局": [0, 0, 1, 0, 1, 0],
    }
    assert total(response) == [TOTAL, 2, 1, 1, 1, 4, 0.5]


def test_living_situation(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "living-situation", year=2026)
    # with family, empty nest, alone, care home, total, aged 80+ alone
    assert unit_rows(response) == {"县教育局": [1, 0, 2, 0, 3, 1], "县财政局": [0, 1, 0, 0, 1, 0]}


def test_hardship(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "hardship", year=2026)
    assert unit_rows(response)["县教育局"] == [1, 1, 2, 3, pytest.approx(2 / 3)]
    assert total(response) == [TOTAL, 1, 1, 2, 4, 0.5]


def test_cadres_by_residential_community(client, world, bureau_staff, unit_b):
    from cadres.models import Cadre

    for key, community in (
        ("c1", "东关社区"),
        ("c2", "东关社区 "),
        ("c3", "西关社区"),
        ("c5", "西关社区"),
    ):
        Cadre.objects.filter(pk=world[key].pk).update(residential_community=community)
    client.force_login(bureau_staff)
    response = page(client, "communities", year=2026)
    # on the register, living alone, of whom 80 and over, with hardship, of whom extreme
    assert rows(response) == [
        ["东关社区", 2, 1, 0, 1, 0],
        ["西关社区", 1, 1, 1, 1, 1],
        ["未登记居住社区", 1, 0, 0, 0, 0],
    ]
    assert total(response) == [TOTAL, 4, 2, 1, 2, 1]
    chart = response.context["report"].chart
    assert chart.labels == ["东关社区", "西关社区", "未登记居住社区"]
    # At the end of 2025 the one who died in March 2026 still lived in 西关社区.
    assert rows(page(client, "communities", year=2025))[1] == ["西关社区", 2, 1, 1, 1, 1]
    # Unit staff: their own units' cadres only.
    client.force_login(UserFactory(unit=unit_b))
    assert rows(page(client, "communities", year=2026)) == [["未登记居住社区", 1, 0, 0, 0, 0]]


def test_visits_by_month_occasion_and_unit(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "visits", year=2026)
    months = [0] * 12

    def by_month(**counts):
        values = list(months)
        for month, count in counts.items():
            values[int(month[1:]) - 1] = count
        return [*values, sum(counts.values())]

    assert rows(response) == [
        ["县教育局", "春节慰问", *by_month(m2=2)],
        ["县教育局", "日常走访", *by_month(m1=1, m3=1)],
        ["县教育局", gettext("Subtotal"), *by_month(m1=1, m2=2, m3=1)],
        ["县财政局", "春节慰问", *by_month(m2=1)],
    ]
    assert response.context["report"].emphasis == {2}
    assert total(response) == [TOTAL, "", *by_month(m1=1, m2=3, m3=1)]
    last_year = page(client, "visits", year=2025)
    assert rows(last_year) == [["县教育局", "日常走访", *by_month(m12=1)]]


def test_condolence_money_by_unit_and_holiday(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "condolence-money", year=2026)
    headers = [column.label for column in response.context["report"].columns]
    assert headers[:2] == ["单位", "春节"] and headers[-3:] == [
        gettext("Other occasions"),
        gettext("Total (yuan)"),
        gettext("Visits with money"),
    ]
    spring, other, money, visits = 1, len(headers) - 3, len(headers) - 2, len(headers) - 1
    table = unit_rows(response)
    education = table["县教育局"]
    assert (education[spring - 1], education[other - 1], education[money - 1]) == (
        Decimal(1300),
        Decimal(200),
        Decimal(1500),
    )
    assert education[visits - 1] == 3
    assert table["县财政局"][money - 1] == Decimal(500)
    assert total(response)[money] == Decimal(2000) and total(response)[visits] == 4
    last_year = page(client, "condolence-money", year=2025)
    assert unit_rows(last_year)["县教育局"][money - 1] == Decimal(100)


def test_activities_and_participation(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "activities", year=2026)
    table = unit_rows(response)
    # organised, registrations, attendances, participants, share of the register
    assert table["健康讲座或体检"] == [1, 3, 1, 1, 0.25]
    assert table["志愿服务"] == [1, 2, 2, 2, 0.5]
    assert table["学习会"] == [0, 0, 0, 0, 0]
    assert total(response) == [TOTAL, 2, 5, 3, 2, 0.5]
    assert total(page(client, "activities", year=2025))[1:4] == [1, 1, 1]


def test_volunteer_hours_ranking(client, world, bureau_staff, unit_b):
    tied = CadreFactory(name="庚", unit=unit_b)
    AttendanceFactory(
        activity=Activity.objects.get(kind="volunteer", starts_at__year=2026),
        cadre=tied,
        status=Attendance.Status.ATTENDED,
        volunteer_hours=4,
    )
    client.force_login(bureau_staff)
    response = page(client, "volunteer-hours", year=2026)
    ranked = [(row[0], row[1], row[3]) for row in rows(response)]
    assert sorted(ranked[:2]) == [(1, "丁", Decimal(4)), (1, "庚", Decimal(4))]
    assert ranked[2] == (3, "甲", Decimal("3.5"))
    assert total(response)[1:] == [
        gettext("%(count)s volunteers") % {"count": 3},
        "",
        Decimal("11.5"),
        3,
    ]
    assert [(row[1], row[3]) for row in rows(page(client, "volunteer-hours", year=2025))] == [
        ("丙", Decimal(6))
    ]


def test_branch_committee_ages_before_and_after_re_election(client, branches, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "branch-ages", year=2026)
    # secretary's age, committee members, committee's average age, members, their average
    assert unit_rows(response) == {
        "第一支部": ["县教育局", 66, 2, 68.0, 3, 74.0],
        "第二支部": ["县财政局", 81, 1, 81.0, 1, 81.0],
    }
    assert total(response)[2:] == [73.5, 3, 72.3, 4, 75.8]
    before = unit_rows(page(client, "branch-ages", year=2025))["第一支部"]
    assert before == ["县教育局", 75, 2, 72.5, 3, 76.7]


def test_unit_staff_see_their_units_branches_only(client, branches, staff_a):
    client.force_login(staff_a)
    response = page(client, "branch-ages", year=2026)
    assert list(unit_rows(response)) == ["第一支部"]
    assert total(response)[2:] == [66, 2, 68.0, 3, 74.0]
