"""Demo data: this year's checkup campaign, about half done — some findings to follow up
(each with its planned follow-up visit), some referrals, some cadres not checked for a
reason."""

from __future__ import annotations

import datetime
import random

from accounts.demo import DemoOrganisation
from cadres.models import Cadre

from .models import Checkup, CheckupCampaign
from .selectors import audience_cadres
from .services import checkup_campaign_open, checkup_record

HOSPITALS = ["县人民医院", "县中医院"]
FINDINGS = [
    "血压偏高，建议复查",
    "血糖偏高，建议内分泌科随访",
    "心电图异常，建议复查",
    "肺部结节，三个月后复查",
]
REFERRAL = "转心内科进一步检查"


def seed_checkups(
    *, rng: random.Random, cadres: list[Cadre], org: DemoOrganisation, today: datetime.date
) -> int:
    """Open this year's campaign (all 离休 and 退休 aged 70+) with a window around today
    and record about half of its cadres. Returns the number of checkups recorded."""
    opens = max(today.replace(month=1, day=1), today - datetime.timedelta(days=60))
    campaign = checkup_campaign_open(
        by=None,
        name=f"{today.year}年离休干部及70岁以上退休干部健康体检",
        year=today.year,
        audience=CheckupCampaign.Audience.LIXIU_OR_AGED,
        min_age=70,
        hospitals="\n".join(HOSPITALS),
        opens_on=opens,
        closes_on=today + datetime.timedelta(days=30),
    )
    audience = list(audience_cadres(campaign=campaign, today=today).select_related("liaison"))
    by_default = org.bureau_staff[0] if org.bureau_staff else None
    span = max((today - opens).days, 0)
    rows: list[Checkup] = []
    count = 0
    for cadre in audience:
        draw = rng.random()
        by = cadre.liaison or by_default
        if draw < 0.5:
            checked_on = opens + datetime.timedelta(days=rng.randint(0, span))
            roll = rng.random()
            if roll < 0.12 and by is not None:
                # A finding: recorded through the service, which plans the follow-up.
                checkup_record(
                    by=by,
                    campaign=campaign,
                    cadre=cadre,
                    checked_on=checked_on,
                    result=Checkup.Result.FOLLOW_UP,
                    hospital=rng.choice(HOSPITALS),
                    result_summary=rng.choice(FINDINGS),
                    follow_up_on=today + datetime.timedelta(days=rng.randint(1, 14)),
                )
                count += 1
                continue
            result = Checkup.Result.REFERRED if roll < 0.18 else Checkup.Result.NORMAL
            rows.append(
                Checkup(
                    campaign=campaign,
                    cadre=cadre,
                    checked_on=checked_on,
                    hospital=rng.choice(HOSPITALS),
                    result=result,
                    result_summary="转心内科进一步检查"
                    if result == Checkup.Result.REFERRED
                    else "",
                    recorded_by=by,
                )
            )
        elif draw < 0.62:
            rows.append(
                Checkup(
                    campaign=campaign,
                    cadre=cadre,
                    not_checked_reason=rng.choice(Checkup.Reason.values),
                    recorded_by=by,
                )
            )
    Checkup.objects.bulk_create(rows, batch_size=500)
    return count + sum(1 for row in rows if row.checked_on)
