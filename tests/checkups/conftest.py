import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import User
from tests.factories import CheckupCampaignFactory, UnitFactory, UserFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Report scans go to a directory of the test's own."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture
def bureau_unit(db):
    return UnitFactory(name="县委老干部局", code="B", kind="bureau")


@pytest.fixture
def edu(bureau_unit):
    return UnitFactory(name="县教育局", code="EDU", parent=bureau_unit)


@pytest.fixture
def fin(bureau_unit):
    return UnitFactory(name="县财政局", code="FIN", parent=bureau_unit)


@pytest.fixture
def liaison(edu):
    return UserFactory(username="liaison", full_name="联络员甲", unit=edu)


@pytest.fixture
def bureau_staff(bureau_unit):
    return UserFactory(username="bureau", role=User.Role.BUREAU_STAFF, unit=bureau_unit)


@pytest.fixture
def campaign(db):
    """Open from 1 May to 30 June 2026 (today is 10 June), for everyone."""
    return CheckupCampaignFactory(name="2026年健康体检")
