"""Who a checkup campaign is for, as a database condition on cadres."""

from __future__ import annotations

import datetime

from django.db.models import Q

from cadres.audiences import aged_q, shared_audience_q
from cadres.models import RetirementKind
from cadres.register import on_register

from .models import Checkup, CheckupCampaign

Audience = CheckupCampaign.Audience


def audience_q(campaign: CheckupCampaign) -> Q:
    """The campaign's audience among cadres (without the register condition). Ages are
    counted on the day the window opens."""
    audience = campaign.audience
    aged = aged_q(campaign.min_age, on=campaign.opens_on)
    shared = shared_audience_q(audience, min_age=campaign.min_age, on=campaign.opens_on)
    if shared is not None:
        return shared
    if audience == Audience.LIXIU_OR_AGED:
        return Q(retirement_kind=RetirementKind.LIXIU) | aged
    if audience == Audience.TUIXIU_AGED:
        return Q(retirement_kind=RetirementKind.TUIXIU) & aged
    if audience == Audience.LISTED:
        listed = CheckupCampaign.cadres.through.objects.filter(checkupcampaign_id=campaign.pk)
        return Q(pk__in=listed.values("cadre_id"))
    return Q(pk__in=[])


def register_day(campaign: CheckupCampaign, today: datetime.date) -> datetime.date | None:
    """Until the window closes, whoever is on the register now is to be checked; a
    closed campaign counts those on the register on its last day, so deaths since do
    not change its figures."""
    return campaign.closes_on if campaign.closes_on < today else None


def campaign_audience_q(campaign: CheckupCampaign, *, today: datetime.date) -> Q:
    """The cadres to be checked in the campaign (those already checked stay in it)."""
    checked = Q(
        pk__in=Checkup.objects.filter(campaign=campaign, checked_on__isnull=False).values(
            "cadre_id"
        )
    )
    return (on_register(register_day(campaign, today)) & audience_q(campaign)) | checked
