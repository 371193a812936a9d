"""Registry lists count exactly below REGISTRY_EXACT_COUNT_BELOW and say "共约 N 人"
from PostgreSQL's estimate above it; the communities on offer are every community on
the register, however they are read."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cadres.models import Cadre
from cadres.registry_counts import all_community_names, list_count
from cadres.registry_list import cadre_list_page
from cadres.selectors import community_names
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_small_lists_are_counted_exactly(settings, unit_a):
    settings.REGISTRY_EXACT_COUNT_BELOW = 5000
    for _ in range(3):
        CadreFactory(unit=unit_a)
    count = list_count(Cadre.objects.all())
    assert (count.value, count.approximate) == (3, False)


def test_large_lists_are_estimated_on_postgresql(settings, client, unit_a, monkeypatch):
    settings.REGISTRY_EXACT_COUNT_BELOW = 1
    monkeypatch.setattr("cadres.views.PAGE_SIZE", 2)
    # What the planner expects of a large register (a test table's is arbitrary).
    monkeypatch.setattr("cadres.registry_counts._planner_rows", lambda queryset: 1000)
    for _ in range(5):
        CadreFactory(unit=unit_a)
    bureau = UserFactory(role="bureau_staff", unit=unit_a)
    client.force_login(bureau)
    page = client.get(reverse("cadres:registry")).content.decode()
    if connection.vendor == "postgresql":
        assert list_count(Cadre.objects.all()).approximate
        assert "共约 1000 人" in page
    else:  # SQLite's planner gives no estimate: always counted
        assert not list_count(Cadre.objects.all()).approximate
        assert "共 5 人" in page and "共约" not in page


@pytest.mark.parametrize("estimate", [1000, 3])  # far over, and under
def test_the_estimates_end_is_counted_so_the_last_page_is_real(
    settings, unit_a, monkeypatch, estimate
):
    """However far the estimate is off, the last page holds the last cadres: asked for a
    page at or past the estimate's end (or a page that is not full), the list is
    counted."""
    settings.REGISTRY_EXACT_COUNT_BELOW = 1
    monkeypatch.setattr("cadres.registry_counts._planner_rows", lambda queryset: estimate)
    for _ in range(5):
        CadreFactory(unit=unit_a)
    bureau = UserFactory(role="bureau_staff", unit=unit_a)
    today = datetime.date.today()
    last = cadre_list_page(user=bureau, filters={}, today=today, number=10**6, per_page=2)
    assert (last.paginator.count, last.number, len(last)) == (5, 3, 1)
    assert not last.approximate_count


def test_searched_and_filtered_lists_are_counted(settings, unit_a):
    settings.REGISTRY_EXACT_COUNT_BELOW = 1
    for _ in range(5):
        CadreFactory(unit=unit_a, retirement_kind="tuixiu")
    bureau = UserFactory(role="bureau_staff", unit=unit_a)
    page = cadre_list_page(
        user=bureau,
        filters={"retirement_kind": "tuixiu"},
        today=datetime.date.today(),
        number=1,
        per_page=2,
    )
    assert page.paginator.count == 5 and not page.approximate_count


def test_every_community_is_offered_in_order(unit_a, unit_b):
    for name in ["城关镇东关社区", "城关镇西关社区", "城关镇东关社区", "", "北街社区"]:
        CadreFactory(unit=unit_a, residential_community=name)
    CadreFactory(
        unit=unit_b, residential_community="南山社区", status="deceased", died_on="2026-01-02"
    )
    expected = sorted({"城关镇东关社区", "城关镇西关社区", "北街社区", "南山社区"})
    names = all_community_names()
    assert sorted(names) == expected and len(names) == 4
    assert names == list(
        Cadre.objects.exclude(residential_community="")
        .order_by("residential_community")
        .values_list("residential_community", flat=True)
        .distinct()
    )
    bureau = UserFactory(role="bureau_staff", unit=unit_a)
    assert community_names(user=bureau) == names
    assert "南山社区" not in community_names(user=UserFactory(unit=unit_a))


def test_a_list_that_can_match_nothing_counts_zero(settings):
    settings.REGISTRY_EXACT_COUNT_BELOW = 1
    assert list_count(Cadre.objects.filter(pk__in=[])).value == 0
