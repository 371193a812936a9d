"""Creating and editing an activity, and an activity ending before it starts refused."""

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.activities import activity_pages
from tests.activities.activity_pages import at
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = activity_pages.staff


def activity_data(unit, **overrides):
    data = {
        "title": "老年大学书法课",
        "kind": "senior_university",
        "starts_at": "2026-09-01T09:00",
        "ends_at": "2026-09-01T11:00",
        "place": "老干部活动中心",
        "unit": unit.pk,
        "organiser": "县委老干部局",
        "capacity": "40",
    }
    data.update(overrides)
    return data


def test_creating_and_editing_an_activity(client, staff, unit_a):
    team = TeamFactory(unit=unit_a)
    client.force_login(staff)
    assert client.get(reverse("activities:new"), {"team": team.pk}).status_code == 200
    response = client.post(reverse("activities:new"), activity_data(unit_a, team=team.pk))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.starts_at == at(2026, 9, 1) and activity.team == team
    assert activity.history.get().history_user == staff
    edit_url = reverse("activities:edit", args=[activity.pk])
    assert 'value="2026-09-01T09:00"' in client.get(edit_url).content.decode()  # local time
    client.post(edit_url, activity_data(unit_a, outcome="学员作品展出20幅"))
    activity.refresh_from_db()
    assert activity.outcome == "学员作品展出20幅" and activity.team is None
    # The history tab shows who changed which field, from what to what.
    history = client.get(reverse("activities:history", args=[activity.pk]))
    entry = history.context["entries"][0]
    assert entry.user == staff
    assert any(change.new == "学员作品展出20幅" for change in entry.changes)
    assert any(change.old == str(team) and change.new == "—" for change in entry.changes)


def test_an_activity_ending_before_it_starts_is_refused(client, staff, unit_a, unit_b):
    client.force_login(staff)
    response = client.post(
        reverse("activities:new"), activity_data(unit_a, ends_at="2026-09-01T08:00")
    )
    assert response.status_code == 200
    assert "结束时间早于开始时间" in response.content.decode()
    response = client.post(reverse("activities:new"), activity_data(unit_b))
    assert "unit" in response.context["form"].errors
    assert not Activity.objects.exists()
