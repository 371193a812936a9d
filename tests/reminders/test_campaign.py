import datetime

import pytest
import time_machine
from django.urls import reverse

from cadres.models import Visit
from reminders.models import Holiday
from tests.factories import CadreFactory, UnitFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_spring_festival():
    """Twelve days before Spring Festival 2027 (6 February)."""
    with time_machine.travel(datetime.datetime(2027, 1, 25, 2, 0, tzinfo=datetime.UTC)):
        yield


def test_campaign_shows_progress_and_records_a_group_event(client, office, liaison):
    spring = Holiday.objects.get(name="春节")
    visited = CadreFactory(name="张三", unit=office, liaison=liaison)
    waiting = [CadreFactory(name=n, unit=office, liaison=liaison) for n in ("李四", "王五")]
    elsewhere = CadreFactory(name="赵六", unit=UnitFactory(name="县财政局", code="FIN"))
    today = datetime.date.today()
    VisitFactory(cadre=visited, occasion=spring.occasion, visited_on=today)
    client.force_login(liaison)
    page = client.get(reverse("reminders:campaign_holiday", args=[spring.pk]))
    context = page.context
    assert (context["audience"], context["visited"]) == (3, 1)
    assert [row["name"] for row in context["remaining"]] == ["李四", "王五"]
    assert context["by_unit"] == [{"name": "县教育局", "total": 3, "visited": 1, "percent": 33}]
    assert elsewhere.name not in page.content.decode()
    response = client.post(
        reverse("reminders:campaign_holiday", args=[spring.pk]),
        {
            "cadres": [c.pk for c in waiting],
            "visited_on": today.isoformat(),
            "mode": "group",
            "condolence_money": "500",
            "gifts": "米面油",
        },
    )
    assert response.status_code == 302
    assert (
        Visit.objects.filter(occasion=spring.occasion, cadre__in=waiting, mode="group").count() == 2
    )
    after = client.get(reverse("reminders:campaign_holiday", args=[spring.pk])).context
    assert after["percent"] == 100 and after["remaining"] == []


def test_group_event_refuses_cadres_outside_the_campaign(client, office, liaison):
    spring = Holiday.objects.get(name="春节")
    CadreFactory(unit=office, liaison=liaison)
    stranger = CadreFactory()  # another unit
    client.force_login(liaison)
    response = client.post(
        reverse("reminders:campaign_holiday", args=[spring.pk]),
        {
            "cadres": [stranger.pk],
            "visited_on": datetime.date.today().isoformat(),
            "mode": "group",
            "condolence_money": "0",
        },
    )
    assert response.status_code == 200 and "cadres" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_default_campaign_is_the_next_holiday(client, liaison):
    client.force_login(liaison)
    context = client.get(reverse("reminders:campaign")).context
    assert context["occurrence"] >= datetime.date.today() - datetime.timedelta(days=15)
