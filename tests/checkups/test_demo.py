"""The demo has this year's checkup campaign half done."""

import pytest
from django.core.management import call_command

from cadres.models import Visit
from checkups.models import Checkup, CheckupCampaign
from checkups.selectors import campaign_progress

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_is_half_done_with_findings_and_reasons(settings):
    settings.YINLING_ALLOW_DEMO_DATA = True
    call_command("seed_demo", cadres=400, seed=7)
    campaign = CheckupCampaign.objects.get(year=TODAY.year)
    assert campaign.opens_on <= TODAY <= campaign.closes_on
    progress = campaign_progress(campaign=campaign, today=TODAY)
    assert progress["audience"] > 50
    assert 35 <= progress["percent"] <= 65
    assert progress["follow_up"] > 0 and progress["referred"] > 0
    assert sum(row["count"] for row in progress["by_reason"]) > 0
    findings = Checkup.objects.filter(campaign=campaign, result="follow_up")
    assert all(c.follow_up_visit.status == Visit.Status.PLANNED for c in findings)
