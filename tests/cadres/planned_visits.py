"""What the visit-work tests share: the day they run on (20 November 2026), a liaison
of unit A, and planned visits with the history and messages they leave."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages

from cadres.models import Visit, VisitOccasion
from tests.factories import UserFactory, VisitFactory

TODAY = datetime.date(2026, 11, 20)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        tick=False,
    ):
        yield


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, full_name="联络员甲")


def occasion(code):
    return VisitOccasion.objects.get(code=code)


def planned(cadre, due_on=TODAY, code="routine", **fields):
    return VisitFactory(
        cadre=cadre,
        occasion=occasion(code),
        status=Visit.Status.PLANNED,
        visited_on=None,
        due_on=due_on,
        **fields,
    )


def reasons(visit):
    return [row.history_change_reason for row in visit.history.order_by("history_id")]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]
