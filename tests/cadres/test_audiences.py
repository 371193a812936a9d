"""The audience conditions that holidays, checkup campaigns and distributions share."""

import datetime

import pytest

from cadres.audiences import shared_audience_q, years_before
from cadres.models import Cadre, Hardship, PoliticalStatus, RetirementKind
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_years_before_a_29_february_is_the_28th_in_a_common_year():
    assert years_before(datetime.date(2028, 2, 29), 80) == datetime.date(1948, 2, 29)
    assert years_before(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)


def test_the_shared_kinds_select_their_cadres(unit_a):
    day = datetime.date(2026, 10, 29)
    CadreFactory(
        unit=unit_a,
        name="离休老党员",
        retirement_kind=RetirementKind.LIXIU,
        political_status=PoliticalStatus.CPC_MEMBER,
        hardship=Hardship.NONE,
        birth_date=datetime.date(1936, 10, 29),
    )
    CadreFactory(
        unit=unit_a,
        name="退休困难",
        retirement_kind=RetirementKind.TUIXIU,
        political_status=PoliticalStatus.MASSES,
        hardship=Hardship.DIFFICULT,
        birth_date=datetime.date(1956, 10, 30),
    )

    def names(kind, min_age=None):
        condition = shared_audience_q(kind, min_age=min_age, on=day)
        return set(Cadre.objects.filter(condition).values_list("name", flat=True))

    assert names("everyone") == {"离休老党员", "退休困难"}
    assert names("lixiu") == names("party") == names("aged", 90) == {"离休老党员"}
    assert names("aged", 70) == {"离休老党员"}  # the other turns 70 the day after
    assert names("hardship") == {"退休困难"}
    assert shared_audience_q("listed", min_age=None, on=day) is None
