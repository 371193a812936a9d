import datetime

import pytest
import time_machine

from accounts.models import User
from tests.factories import UserFactory

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def today():
    """10 June 2026, 10:00 in Shanghai."""
    import zoneinfo

    moment = datetime.datetime(2026, 6, 10, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield TODAY


@pytest.fixture
def roles(bureau, unit_a):
    """A login of each role: unit staff and a secretary of unit A, bureau staff, an
    administrator."""
    return {
        "unit": UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF),
        "secretary": UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY),
        "bureau": UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF),
        "admin": UserFactory(unit=None, role=User.Role.ADMINISTRATOR),
    }
