import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.models import User
from activities.models import Activity, Attendance
from branches.models import BranchRole
from cadres.models import (
    CadreStatus,
    Hardship,
    LivingSituation,
    PoliticalStatus,
    RetirementKind,
    Visit,
)
from reminders.models import Holiday
from reports.models import ExportRecord, YearTheme
from reports.statistics import STANDARD_TABLES, TABLES_BY_SLUG
from reports.statistics.selectors import on_register_on
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
TOTAL = gettext("Total")
TODAY = datetime.date(2026, 6, 30)
NOW = datetime.datetime(2026, 6, 30, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)


@pytest.fixture
def staff_a(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)


@pytest.fixture
def world(unit_a, unit_a_child, unit_b):
    """Four cadres on the register (three in the education bureau, one of them in its
    school; one in the finance bureau), one who died this year and one transferred out
    last year; visits, money and activities in 2025 and 2026."""
    c1 = CadreFactory(
        name="甲", unit=unit_a, birth_date=datetime.date(1960, 1, 1), hardship=Hardship.NONE
    )
    c2 = CadreFactory(
        name="乙",
        unit=unit_a_child,
        birth_date=datetime.date(1950, 7, 1),  # 75 on 30 June 2026: the birthday is ahead
        political_status=PoliticalStatus.MASSES,
        party_joined_on=None,
        living_situation=LivingSituation.ALONE,
        hardship=Hardship.DIFFICULT,
    )
    c3 = CadreFactory(
        name="丙",
        unit=unit_a,
        birth_date=datetime.date(1930, 5, 1),
        retirement_kind=RetirementKind.LIXIU,
        living_situation=LivingSituation.ALONE,
        hardship=Hardship.EXTREME,
    )  # joined the Party in 1955: fifty years and more
    c4 = CadreFactory(
        name="丁",
        unit=unit_b,
        birth_date=datetime.date(1940, 1, 1),
        political_status=PoliticalStatus.DEMOCRATIC_PARTY,
        party_joined_on=None,
        living_situation=LivingSituation.EMPTY_NEST,
    )
    c5 = CadreFactory(
        name="戊",
        unit=unit_a,
        birth_date=datetime.date(1945, 3, 1),
        status=CadreStatus.DECEASED,
        died_on=datetime.date(2026, 3, 1),
    )
    CadreFactory(
        name="己",
        unit=unit_a,
        status=CadreStatus.TRANSFERRED,
        transferred_on=datetime.date(2025, 6, 1),
    )
    spring = Holiday.objects.get(name="春节").occasion
    VisitFactory(cadre=c1, visited_on=datetime.date(2026, 1, 10))
    VisitFactory(
        cadre=c2, occasion=spring, visited_on=datetime.date(2026, 2, 1), condolence_money=500
    )
    VisitFactory(
        cadre=c3, occasion=spring, visited_on=datetime.date(2026, 2, 3), condolence_money=800
    )
    VisitFactory(cadre=c3, visited_on=datetime.date(2026, 3, 5), condolence_money=200)
    VisitFactory(
        cadre=c4, occasion=spring, visited_on=datetime.date(2026, 2, 2), condolence_money=500
    )
    VisitFactory(cadre=c1, visited_on=datetime.date(2025, 12, 20), condolence_money=100)
    VisitFactory(
        cadre=c1,
        status=Visit.Status.PLANNED,
        visited_on=None,
        due_on=datetime.date(2026, 4, 1),
        condolence_money=300,
    )
    talk = ActivityFactory(unit=unit_a, kind=Activity.Kind.HEALTH)
    service = ActivityFactory(
        unit=unit_b,
        kind=Activity.Kind.VOLUNTEER,
        starts_at=datetime.datetime(2026, 5, 1, 1, tzinfo=datetime.UTC),
    )
    last_year = ActivityFactory(
        unit=unit_a,
        kind=Activity.Kind.VOLUNTEER,
        starts_at=datetime.datetime(2025, 10, 1, 1, tzinfo=datetime.UTC),
    )
    attended = Attendance.Status.ATTENDED
    AttendanceFactory(activity=talk, cadre=c1, status=attended)
    AttendanceFactory(activity=talk, cadre=c2)
    AttendanceFactory(activity=talk, cadre=c3, status=Attendance.Status.ABSENT)
    AttendanceFactory(activity=service, cadre=c1, status=attended, volunteer_hours=Decimal("3.5"))
    AttendanceFactory(activity=service, cadre=c4, status=attended, volunteer_hours=4)
    AttendanceFactory(activity=last_year, cadre=c3, status=attended, volunteer_hours=6)
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5}


def page(client, slug, **query):
    return client.get(reverse("reports:table", args=[slug]), query)


def rows(response):
    return response.context["report"].rows


def total(response):
    return response.context["report"].total


def unit_rows(response):
    return {row[0]: row[1:] for row in rows(response)}


# --- Figures ---------------------------------------------------------------------------


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


@pytest.fixture
def branches(unit_a, unit_b):
    first = PartyBranchFactory(name="第一支部", unit=unit_a)
    old = CadreFactory(unit=unit_a, birth_date=datetime.date(1950, 1, 1))
    new = CadreFactory(
        unit=unit_a,
        birth_date=datetime.date(1960, 1, 1),
        account=UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY),
    )
    committee = CadreFactory(unit=unit_a, birth_date=datetime.date(1955, 7, 1))
    member = CadreFactory(unit=unit_a, birth_date=datetime.date(1940, 1, 1))
    role = BranchRole.Role
    BranchRoleFactory(
        branch=first,
        cadre=old,
        role=role.SECRETARY,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2026, 1, 15),
    )
    BranchRoleFactory(
        branch=first, cadre=new, role=role.SECRETARY, started_on=datetime.date(2026, 1, 15)
    )
    BranchRoleFactory(
        branch=first, cadre=committee, role=role.COMMITTEE, started_on=datetime.date(2020, 1, 1)
    )
    BranchRoleFactory(branch=first, cadre=member, started_on=datetime.date(2020, 1, 1))
    other = PartyBranchFactory(name="第二支部", unit=unit_b)
    BranchRoleFactory(
        branch=other,
        cadre=CadreFactory(unit=unit_b, birth_date=datetime.date(1945, 1, 1)),
        role=role.SECRETARY,
        started_on=datetime.date(2020, 1, 1),
    )
    PartyBranchFactory(name="老干部党总支", unit=unit_a, kind="general")
    return new.account


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


# --- Scope -----------------------------------------------------------------------------


def test_unit_staff_see_their_units_only(client, world, staff_a):
    client.force_login(staff_a)
    response = page(client, "age-bands", year=2026)
    # Their own unit and the school below it, as separate lines; nothing of finance.
    assert unit_rows(response) == {"县教育局": [1, 0, 0, 1, 2], "县第一中学": [0, 1, 0, 0, 1]}
    assert "县财政局" not in response.content.decode()
    assert total(page(client, "visits", year=2026))[-1] == 4
    money = total(page(client, "condolence-money", year=2026))
    assert money[-2:] == [Decimal(1500), 3]
    assert [row[1] for row in rows(page(client, "volunteer-hours", year=2026))] == ["甲"]
    assert total(page(client, "activities", year=2026))[1:5] == [1, 4, 2, 1]
    for table in STANDARD_TABLES:
        assert "县财政局" not in page(client, table.slug, year=2026).content.decode()


def test_branch_secretaries_see_the_members_of_their_branch(client, world, branches):
    client.force_login(branches)
    response = page(client, "age-bands", year=2026)
    # 66, 70 (the birthday is tomorrow) and 86: the three current members of 第一支部.
    assert total(response) == [TOTAL, 1, 1, 1, 0, 3]
    assert total(page(client, "visits", year=2026))[-1] == 0
    assert list(unit_rows(page(client, "branch-ages", year=2026))) == ["第一支部"]


def test_register_on_a_day_is_the_status_for_today(world):
    from cadres.models import Cadre

    on_register = set(Cadre.objects.filter(on_register_on(TODAY)).values_list("name", flat=True))
    active = set(
        Cadre.objects.filter(status=CadreStatus.ON_REGISTER).values_list("name", flat=True)
    )
    assert on_register == active == {"甲", "乙", "丙", "丁"}


# --- Pages, year, theme, download ------------------------------------------------------


def theme_heading(year):
    return gettext("Work theme for %(year)s") % {"year": year}


def test_index_lists_every_table_under_the_years_theme(client, bureau_staff):
    YearTheme.objects.create(year=2023, theme="党建引领、情暖夕阳", description="全年工作主线")
    client.force_login(bureau_staff)
    response = client.get(reverse("reports:index"), {"year": 2023})
    content = response.content.decode()
    assert response.context["year"] == 2023
    assert "党建引领、情暖夕阳" in content and theme_heading(2023) in content
    for table in STANDARD_TABLES:
        assert reverse("reports:table", args=[table.slug]) + "?year=2023" in content
    this_year = client.get(reverse("reports:index")).content.decode()
    assert "党建引领、情暖夕阳" not in this_year
    assert gettext("Statistical reports for %(year)s") % {"year": 2026} in this_year


def test_the_table_page_is_headed_by_the_theme_and_can_be_printed(client, world, bureau_staff):
    YearTheme.objects.create(year=2026, theme="银龄同心、服务暖心")
    client.force_login(bureau_staff)
    content = page(client, "hardship", year=2026).content.decode()
    assert theme_heading(2026) in content and "银龄同心、服务暖心" in content
    assert "data-print" in content and "js/print-button.js" in content and "<svg" in content
    assert "format=xlsx" in content


def test_a_year_not_on_offer_falls_back_to_the_current_year(client, world, bureau_staff):
    client.force_login(bureau_staff)
    for year in ("2031", "abc", "1800"):
        assert page(client, "visits", year=year).context["year"] == 2026


def test_unknown_table_is_404(client, bureau_staff):
    client.force_login(bureau_staff)
    assert page(client, "no-such-table").status_code == 404


@pytest.mark.parametrize("slug", [table.slug for table in STANDARD_TABLES])
def test_xlsx_download_matches_the_page_and_is_recorded(client, world, branches, staff_a, slug):
    YearTheme.objects.create(year=2026, theme="银龄同心、服务暖心")
    client.force_login(staff_a)
    shown = page(client, slug, year=2026).context["report"]
    response = page(client, slug, year=2026, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "银龄同心、服务暖心" in values[0][0]
    assert values[1][0] == str(TABLES_BY_SLUG[slug].title)
    header = values.index([column.label for column in shown.columns])
    body = values[header + 1 : header + 1 + len(shown.rows)]

    def same(cell):
        if cell == "" or cell is None:
            return None
        return round(float(cell), 9) if isinstance(cell, int | float | Decimal) else cell

    assert [[same(c) for c in row] for row in body] == [
        [same(c) for c in row] for row in shown.rows
    ]
    assert [same(c) for c in values[header + 1 + len(shown.rows)]] == [same(c) for c in shown.total]
    record = ExportRecord.objects.get()
    assert record.user == staff_a and record.kind == ExportRecord.Kind.REPORT
    assert record.parameters == {"table": slug, "year": 2026}
    assert record.row_count == len(shown.rows)


def test_the_download_of_another_year_is_recorded_with_that_year(client, world, bureau_staff):
    client.force_login(bureau_staff)
    response = page(client, "visits", year=2025, format="xlsx")
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert record.parameters == {"table": "visits", "year": 2025} and record.row_count == 1


# --- Query counts ----------------------------------------------------------------------


def _queries(client, slug):
    with CaptureQueriesContext(connection) as queries:
        assert page(client, slug, year=2026).status_code == 200
    return len(queries)


@pytest.mark.parametrize("slug", [table.slug for table in STANDARD_TABLES])
def test_query_count_does_not_grow_with_rows(client, staff_a, unit_a, slug):
    client.force_login(staff_a)
    spring = Holiday.objects.get(name="春节").occasion
    cadre = CadreFactory(unit=unit_a)
    VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 2, 1), condolence_money=100)
    few = _queries(client, slug)
    for number in range(6):
        school = UnitFactory(parent=unit_a)
        branch = PartyBranchFactory(unit=school)
        activity = ActivityFactory(unit=school, kind=Activity.Kind.VOLUNTEER)
        for index in range(3):
            cadre = CadreFactory(
                unit=school,
                birth_date=datetime.date(1935 + number * 5, 1 + index, 1),
                living_situation=LivingSituation.ALONE,
                residential_community=f"第{number}社区",
            )
            VisitFactory(
                cadre=cadre,
                occasion=spring,
                visited_on=datetime.date(2026, 1 + index, 1),
                condolence_money=300,
            )
            VisitFactory(cadre=cadre, visited_on=datetime.date(2026, 3 + number, 2))
            AttendanceFactory(
                activity=activity,
                cadre=cadre,
                status=Attendance.Status.ATTENDED,
                volunteer_hours=index + 1,
            )
            BranchRoleFactory(
                branch=branch,
                cadre=cadre,
                role=BranchRole.Role.SECRETARY if index == 0 else BranchRole.Role.MEMBER,
            )
    assert len(page(client, slug, year=2026).context["report"].rows) > 1
    assert _queries(client, slug) == few
