import datetime

import pytest
import time_machine

from accounts.models import User
from tests.factories import UnitFactory, UserFactory

# A day in the second quarter of 2026.
TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def in_may_2026():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 2, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def bureau(db):
    return UnitFactory(name="县委老干部局", code="B", kind="bureau")


@pytest.fixture
def office(bureau):
    return UnitFactory(name="县教育局", code="EDU", parent=bureau, sort_order=1)


@pytest.fixture
def school(office):
    return UnitFactory(name="县第一中学", code="EDU-1", parent=office, sort_order=2)


@pytest.fixture
def finance(bureau):
    return UnitFactory(name="县财政局", code="FIN", parent=bureau, sort_order=3)


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(username="bureau", role=User.Role.BUREAU_STAFF, unit=bureau)


@pytest.fixture
def office_staff(office):
    return UserFactory(username="office", role=User.Role.UNIT_STAFF, unit=office)
