"""What the statistics tests share: the day they run on (30 June 2026), staff of the
bureau and of unit A, a world of cadres with their visits and activities in unit A, its
school and unit B, party branches with their committees, and readers of a table page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext

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
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

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
