"""Whose cadres the statistical tables count: unit staff their units', branch secretaries
their branch's members; and the register on a day."""

from decimal import Decimal

import pytest

from cadres.models import CadreStatus
from cadres.register import on_register
from reports.statistics import STANDARD_TABLES
from tests.reports import statistics_world
from tests.reports.statistics_world import TODAY, TOTAL, page, rows, total, unit_rows

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
frozen_clock = statistics_world.frozen_clock
staff_a = statistics_world.staff_a
world = statistics_world.world
branches = statistics_world.branches


def test_unit_staff_see_their_units_only(client, world, staff_a):
    client.force_login(staff_a)
    response = page(client, "age-bands", year=2026)
    # Their own unit and the school below it, as separate lines; nothing of finance.
    assert unit_rows(response) == {"县教育局": [1, 0, 0, 1, 2], "县第一中学": [0, 1, 0, 0, 1]}
    assert "县财政局" not in response.content.decode()
    assert total(page(client, "visits", year=2026))[-1] == 4
    money = total(page(client, "condolence-money", year=2026))
    assert money[-2:] == [Decimal(1500), 3]
    assert [row[1] for row in rows(page(client, "volunteer-hours", year=2026))] == ["甲"]
    assert total(page(client, "activities", year=2026))[1:5] == [1, 4, 2, 1]
    for table in STANDARD_TABLES:
        assert "县财政局" not in page(client, table.slug, year=2026).content.decode()


def test_branch_secretaries_see_the_members_of_their_branch(client, world, branches):
    client.force_login(branches)
    response = page(client, "age-bands", year=2026)
    # 66, 70 (the birthday is tomorrow) and 86: the three current members of 第一支部.
    assert total(response) == [TOTAL, 1, 1, 1, 0, 3]
    assert total(page(client, "visits", year=2026))[-1] == 0
    assert list(unit_rows(page(client, "branch-ages", year=2026))) == ["第一支部"]


def test_register_on_a_day_is_the_status_for_today(world):
    from cadres.models import Cadre

    registered = set(
        Cadre.objects.filter(on_register(TODAY, end_of_day=True)).values_list("name", flat=True)
    )
    active = set(
        Cadre.objects.filter(status=CadreStatus.ON_REGISTER).values_list("name", flat=True)
    )
    assert registered == active == {"甲", "乙", "丙", "丁"}
