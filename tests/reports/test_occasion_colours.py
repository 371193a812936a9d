"""Each visit occasion keeps one colour on the dashboard and in every report, and months
read the same on the dashboard and in the reports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from cadres.models import VisitOccasion, occasion_colour
from reports.charts import month_label
from reports.selectors import visits_by_month_chart
from reports.statistics.visit_tables import condolence_money, visits_by_month
from tests.factories import CadreFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _legend(chart) -> dict[str, str]:
    return {item["name"]: item["color"] for item in chart["legend"]}


def test_an_occasion_has_the_same_colour_on_the_dashboard_and_in_the_reports(bureau, unit_a):
    user = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)
    today = timezone.localdate()
    routine = VisitOccasion.objects.get(code="routine")
    hospital = VisitOccasion.objects.get(code="hospital")
    cadre = CadreFactory(unit=unit_a)
    # More routine visits than hospital ones in one chart, the other way round in the
    # next: a colour by position would swap them.
    for _ in range(3):
        VisitFactory(cadre=cadre, occasion=routine, visited_on=today)
    VisitFactory(cadre=cadre, occasion=hospital, visited_on=today, condolence_money=500)
    dashboard = _legend(visits_by_month_chart(user=user, today=today))
    report = visits_by_month(user=user, year=today.year, today=today)
    from reports.statistics.display import chart_geometry

    table = _legend(chart_geometry(report.chart))
    for occasion in (routine, hospital):
        assert dashboard[occasion.name] == table[occasion.name] == occasion.colour
    assert routine.colour != hospital.colour


def test_a_holidays_money_has_its_occasions_colour(bureau, unit_a):
    from reminders.models import Holiday
    from reports.statistics.display import chart_geometry

    user = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)
    today = timezone.localdate()
    spring = Holiday.objects.select_related("occasion").get(occasion__code="spring_festival")
    VisitFactory(
        cadre=CadreFactory(unit=unit_a),
        occasion=spring.occasion,
        visited_on=today,
        condolence_money=800,
    )
    report = condolence_money(user=user, year=today.year, today=today)
    legend = _legend(chart_geometry(report.chart))
    assert legend[spring.name] == occasion_colour("spring_festival")


def test_a_new_occasion_gets_a_stable_colour():
    assert occasion_colour("tea_party") == occasion_colour("tea_party")
    assert occasion_colour("tea_party").startswith("#")


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "3月"), ("en", "Mar")])
def test_month_labels_read_the_same_everywhere(client, bureau, language, label):
    with translation.override(language):
        assert month_label(datetime.date(2026, 3, 1)) == label
    user = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF, language=language)
    client.force_login(user)
    response = client.get(
        reverse("reports:table", args=["visits"]), {"year": timezone.localdate().year}
    )
    headers = [str(column.label) for column in response.context["report"].columns]
    assert label in headers
