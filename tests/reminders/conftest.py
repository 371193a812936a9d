import datetime

import pytest

from accounts.models import User
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def county(db):
    return UnitFactory(name="县委老干部局", code="B", kind="bureau")


@pytest.fixture
def office(county):
    return UnitFactory(name="县教育局", code="EDU", parent=county)


@pytest.fixture
def liaison(office):
    return UserFactory(username="liaison", full_name="联络员甲", unit=office, email="l@example.com")


@pytest.fixture
def colleague(office):
    return UserFactory(username="colleague", full_name="同事乙", unit=office, email="c@example.com")


@pytest.fixture
def day():
    return datetime.date(2026, 11, 22)


@pytest.fixture
def no_user_leads():
    User.objects.update(reminder_lead_days=None)
