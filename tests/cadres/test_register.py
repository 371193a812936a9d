"""One rule for "on the register on a day", at the start or at the end of that day."""

import datetime

import pytest

from cadres.models import Cadre
from cadres.register import on_register
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


def test_a_death_on_the_day_counts_at_its_start_not_at_its_end(unit_a):
    alive = CadreFactory(unit=unit_a, name="在册")
    CadreFactory(unit=unit_a, name="当日去世", status="deceased", died_on=DAY)
    CadreFactory(
        unit=unit_a, name="此前去世", status="deceased", died_on=DAY - datetime.timedelta(1)
    )
    CadreFactory(
        unit=unit_a,
        name="此后调出",
        status="transferred",
        transferred_on=DAY + datetime.timedelta(1),
    )
    CadreFactory(unit=unit_a, name="尚未退休", retirement_date=DAY + datetime.timedelta(30))

    def names(condition):
        return set(Cadre.objects.filter(condition).values_list("name", flat=True))

    assert names(on_register(DAY)) == {"在册", "当日去世", "此后调出"}
    assert names(on_register(DAY, end_of_day=True)) == {"在册", "此后调出"}
    assert names(on_register()) == {alive.name, "尚未退休"}
