"""Who a campaign is for: audiences as data, on the register, ages on the opening day."""

import datetime

import pytest

from cadres.models import CadreStatus, Hardship, RetirementKind
from checkups.selectors import audience_cadres
from tests.factories import CadreFactory, CheckupCampaignFactory, CheckupFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(edu):
    return {
        "lixiu": CadreFactory(
            name="离休甲", unit=edu, retirement_kind=RetirementKind.LIXIU, birth_date=D(1930, 1, 1)
        ),
        # 70 on 1 May 2026, the day the window opens.
        "seventy": CadreFactory(name="退休乙", unit=edu, birth_date=D(1956, 5, 1)),
        # 70 a day after the window opens: not yet 70 on the day.
        "almost": CadreFactory(name="退休丙", unit=edu, birth_date=D(1956, 5, 2)),
        "young": CadreFactory(
            name="退休丁", unit=edu, birth_date=D(1962, 3, 1), hardship=Hardship.DIFFICULT
        ),
        "dead": CadreFactory(
            name="已故戊",
            unit=edu,
            birth_date=D(1940, 1, 1),
            status=CadreStatus.DECEASED,
            died_on=D(2026, 3, 1),
        ),
    }


def names(campaign):
    return set(audience_cadres(campaign=campaign, today=TODAY).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("audience", "min_age", "expected"),
    [
        ("everyone", None, {"离休甲", "退休乙", "退休丙", "退休丁"}),
        ("lixiu", None, {"离休甲"}),
        ("lixiu_or_aged", 70, {"离休甲", "退休乙"}),
        ("tuixiu_aged", 70, {"退休乙"}),
        ("aged", 70, {"离休甲", "退休乙"}),
        ("hardship", None, {"退休丁"}),
    ],
)
def test_audiences(people, audience, min_age, expected):
    campaign = CheckupCampaignFactory(audience=audience, min_age=min_age)
    assert names(campaign) == expected


def test_a_listed_audience_is_exactly_the_list(people):
    campaign = CheckupCampaignFactory(audience="listed")
    campaign.cadres.set([people["young"], people["almost"]])
    assert names(campaign) == {"退休丙", "退休丁"}


def test_a_closed_campaign_counts_those_on_the_register_on_its_last_day(people):
    campaign = CheckupCampaignFactory(opens_on=D(2026, 1, 10), closes_on=D(2026, 3, 31))
    # Died on 1 March, before the window closed: not in the closed campaign either.
    assert "已故戊" not in names(campaign)
    early = CheckupCampaignFactory(opens_on=D(2026, 1, 5), closes_on=D(2026, 2, 15))
    # On the register when that window closed: still counted.
    assert "已故戊" in names(early)


def test_a_checked_cadre_stays_in_the_campaign_after_a_transfer(people, campaign):
    moved = people["young"]
    CheckupFactory(campaign=campaign, cadre=moved)
    moved.status = CadreStatus.TRANSFERRED
    moved.transferred_on = D(2026, 6, 1)
    moved.save()
    assert "退休丁" in names(campaign)
    # One row each, whatever joins the conditions take.
    assert audience_cadres(campaign=campaign, today=TODAY).filter(name="退休丁").count() == 1


def test_an_aged_audience_needs_its_age():
    from django.core.exceptions import ValidationError

    campaign = CheckupCampaignFactory.build(audience="aged", min_age=None)
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "min_age" in error.value.message_dict
