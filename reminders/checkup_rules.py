"""Checkups not yet done as a campaign's window closes (体检): each cadre of an open
checkup campaign who is not checked (and has not declined) is reminded to their liaison
— or, without one, to their unit's staff — ``lead_days`` before the window closes.

Keyed by the cadre and the campaign, with the closing day as the occurrence, so each is
reminded once per campaign (a day missed is caught up by the daily plan).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from cadres.models import Cadre
from checkups.audience import campaign_audience_q
from checkups.models import Checkup, CheckupCampaign

from .due_items import DueItem
from .models import ReminderKind, ReminderRule
from .problems import skip_record


def checkup_pending_items(
    day: datetime.date, rule: ReminderRule, cadre_filter: Q | None = None
) -> list[DueItem]:
    """The cadres still to be checked in every active campaign whose window is open on
    ``day`` and closes within the rule's lead days. A cadre who declined is not
    reminded of; one in hospital or away is (they may be checked yet)."""
    items: list[DueItem] = []
    campaigns = CheckupCampaign.objects.filter(
        is_active=True,
        opens_on__lte=day,
        closes_on__gte=day,
        closes_on__lte=day + datetime.timedelta(days=rule.lead_days),
    )
    for campaign in campaigns:
        settled = Checkup.objects.filter(campaign=campaign).filter(
            Q(checked_on__isnull=False) | Q(not_checked_reason=Checkup.Reason.DECLINED)
        )
        cadres = (
            Cadre.objects.filter(campaign_audience_q(campaign, today=day))
            .exclude(pk__in=settled.values("cadre_id"))
            .filter(cadre_filter or Q())
            .order_by()
            .values_list("id", "name", "unit_id", "liaison_id")
        )
        for pk, name, unit_id, liaison_id in cadres:
            try:
                items.append(
                    DueItem(
                        kind=ReminderKind.CHECKUP_PENDING,
                        subject_key=f"cadre:{pk}/checkup:{campaign.pk}",
                        occurrence=campaign.closes_on,
                        unit_id=unit_id,
                        cadre_id=pk,
                        liaison_id=liaison_id,
                        details={
                            "name": name,
                            "campaign": campaign.name,
                            "campaign_id": campaign.pk,
                            "days": (campaign.closes_on - day).days,
                        },
                    )
                )
            except Exception as error:  # one bad record never stops the rule
                skip_record(ReminderKind.CHECKUP_PENDING, pk, error)
    return items
