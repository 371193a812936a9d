import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Health, LivingSituation, VisitOccasion
from tests.factories import CadreFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def test_figures_are_counted_within_the_users_units(client, staff, unit_a, unit_b):
    today = datetime.date.today()
    CadreFactory(unit=unit_a, living_situation=LivingSituation.ALONE)
    CadreFactory(
        unit=unit_a, health=Health.IN_HOSPITAL, birth_date=datetime.date(today.year - 91, 1, 1)
    )
    CadreFactory(unit=unit_a, status="deceased", died_on=datetime.date(2026, 1, 5))
    CadreFactory(unit=unit_b)
    client.force_login(staff)
    figures = client.get(URL).context["figures"]
    assert figures["on_register"] == 2
    assert (figures["alone"], figures["hospital"], figures["party"]) == (1, 1, 2)
    assert figures["band_NINETY_PLUS"] == 1 and figures["band_UP_TO_69"] == 0


def test_recording_a_visit_changes_the_dashboard(client, staff, unit_a):
    cadre = CadreFactory(
        unit=unit_a, health=Health.IN_HOSPITAL, health_changed_on=datetime.date(2026, 1, 1)
    )
    client.force_login(staff)
    before = client.get(URL).context
    assert [i.cadre_id for i in before["overdue"]][:1] == [cadre.pk]
    VisitFactory(
        cadre=cadre,
        visited_on=datetime.date.today(),
        occasion=VisitOccasion.objects.get(code="hospital"),
    )
    after = client.get(URL).context
    assert cadre.pk not in {i.cadre_id for i in after["overdue"] if i.kind == "hospital_visit"}
    assert sum(total for _label, total in after["visits_chart"]["totals"]) == 1


def test_birthdays_and_the_next_holiday(client, staff, unit_a):
    soon = datetime.date.today() + datetime.timedelta(days=5)
    cadre = CadreFactory(unit=unit_a, birth_date=soon.replace(year=soon.year - 90))
    client.force_login(staff)
    context = client.get(URL).context
    [birthday] = context["birthdays"]
    assert birthday.cadre_id == cadre.pk and birthday.details["milestone"]
    holiday = context["holiday"]
    assert holiday["remaining"] <= holiday["audience"] and holiday["days"] >= 0


def test_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    VisitFactory(cadre=CadreFactory(unit=unit_a))
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(25):
        VisitFactory(cadre=CadreFactory(unit=unit_a, health=Health.IN_HOSPITAL))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_birthdays_beyond_those_shown_are_counted(client, staff, unit_a, monkeypatch):
    monkeypatch.setattr("reports.selectors.BIRTHDAYS_SHOWN", 2)
    soon = datetime.date.today() + datetime.timedelta(days=3)
    for _ in range(3):
        CadreFactory(unit=unit_a, birth_date=soon.replace(year=soon.year - 80))
    client.force_login(staff)
    context = client.get(URL).context
    assert context["birthdays_count"] == 3 and len(context["birthdays"]) == 2


def test_visit_charts_count_the_users_units_only(client, staff, unit_a, unit_a_child, unit_b):
    today = datetime.date.today()
    VisitFactory(cadre=CadreFactory(unit=unit_a), visited_on=today)
    VisitFactory(cadre=CadreFactory(unit=unit_a_child), visited_on=today)
    CadreFactory(unit=unit_a)
    VisitFactory(cadre=CadreFactory(unit=unit_b), visited_on=today)
    client.force_login(staff)
    context = client.get(URL).context
    assert sum(total for _label, total in context["visits_chart"]["totals"]) == 2
    coverage = {row["label"]: row["note"] for row in context["coverage_chart"]["rows"]}
    assert coverage == {unit_a.name: "2/3"}
