"""The demo's year of bulletins and briefings: most of their audience reached, the
homebound at home, a few reached by nothing this quarter, a newspaper subscription."""

import io

import pytest
from django.core.management import call_command

from distributions.models import Delivery, Distribution
from distributions.selectors import HOMEBOUND_HEALTH, coverage_by_unit

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_the_political_treatment():
    call_command("seed_demo", cadres=400, seed=5, stdout=io.StringIO())
    kinds = dict.fromkeys(Distribution.Kind.values, 0)
    for kind in Distribution.objects.values_list("kind", flat=True):
        kinds[kind] += 1
    assert kinds["briefing"] == 12
    assert kinds["bulletin"] == 6
    assert kinds["subscription"] == 1
    numbers = sorted(
        Distribution.objects.filter(kind="bulletin").values_list("issue_number", flat=True)
    )
    assert numbers == list(range(numbers[0], numbers[0] + 6))
    homebound = Delivery.objects.filter(cadre__health__in=HOMEBOUND_HEALTH)
    assert homebound.exists()
    assert set(homebound.values_list("way", flat=True)) == {"home"}
    lines = coverage_by_unit(year=2026, quarter=2)  # the clock of this package's tests
    audience = sum(line.audience for line in lines)
    reached = sum(line.reached for line in lines)
    assert audience > 300
    assert 0.8 * audience < reached < audience
