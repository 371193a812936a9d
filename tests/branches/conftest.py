import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import User
from branches.models import BranchRole
from tests.factories import BranchRoleFactory, CadreFactory, PartyBranchFactory, UserFactory

from .builders import TODAY, born


@pytest.fixture(autouse=True)
def frozen_today():
    """Every branch test runs on 15 June 2026 (Asia/Shanghai), mid-morning."""
    moment = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield TODAY


@pytest.fixture
def branch(unit_a):
    return PartyBranchFactory(name="教育局离退休干部党支部", unit=unit_a, kind="institutional")


@pytest.fixture
def secretary_cadre(branch, unit_a):
    cadre = CadreFactory(name="李书记", unit=unit_a, birth_date=born(66))
    BranchRoleFactory(
        branch=branch,
        cadre=cadre,
        role=BranchRole.Role.SECRETARY,
        started_on=datetime.date(2022, 3, 1),
        term_ends_on=datetime.date(2027, 3, 1),
    )
    return cadre


@pytest.fixture
def secretary(secretary_cadre, unit_a):
    """The branch secretary's login, linked to the cadre who leads the branch."""
    user = UserFactory(role=User.Role.BRANCH_SECRETARY, unit=unit_a)
    secretary_cadre.account = user
    secretary_cadre.save()
    return user


@pytest.fixture
def staff(unit_a):
    return UserFactory(role=User.Role.UNIT_STAFF, unit=unit_a)


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(role=User.Role.BUREAU_STAFF, unit=bureau)
