"""What the activity-page tests share: times in Beijing, the list and calendar pages, staff
and a branch secretary of unit A, the titles a page lists, and the check-in form's POST."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
LIST = reverse("activities:list")
CALENDAR = reverse("activities:calendar")


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


@pytest.fixture
def secretary(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)


def titles(response):
    return [activity.title for activity in response.context["page"]]


def check_in(client, activity, rows, **extra):
    """POST the check-in form: rows maps a cadre to (attended, hours)."""
    data = {"row": [str(cadre.pk) for cadre in rows]}
    for cadre, (attended, hours) in rows.items():
        if attended:
            data[f"attended-{cadre.pk}"] = "on"
        data[f"hours-{cadre.pk}"] = hours
    data.update(extra)
    return client.post(reverse("activities:detail", args=[activity.pk]), data)
