"""Demo political treatment: a year of the bureau's bimonthly bulletin (简报) and monthly
briefings (情况通报), delivered to most of their audience — the homebound at home by
their liaison (送学上门), a few reached by nothing this quarter — and a newspaper
subscription for the year.

Deliveries are made only for the distributions of the last four months and for a bounded
sample of the register, so that a benchmark registry of 100,000 cadres stays quick to
seed.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo import DemoOrganisation
from cadres.models import Cadre

from .models import Delivery, Distribution
from .selectors import HOMEBOUND_HEALTH

# Deliveries are recorded for distributions issued this many days before today…
DELIVERED_WINDOW_DAYS = 120
# …to at most this many cadres each.
DELIVERED_SAMPLE = 4000
# The share of the sample a distribution reaches (the rest: reached by nothing yet).
REACHED_SHARE = 0.93
FIRST_BULLETIN_ISSUE = 37
BRIEFING_TOPICS = [
    "全区经济社会发展情况通报",
    "重点项目建设情况通报",
    "老干部工作情况通报",
    "民生实事办理情况通报",
]


def _months_back(today: datetime.date, months: int) -> datetime.date:
    month_index = today.year * 12 + today.month - 1 - months
    return datetime.date(month_index // 12, month_index % 12 + 1, 5)


def seed_distributions(
    *, rng: random.Random, cadres: list[Cadre], org: DemoOrganisation, today: datetime.date
) -> dict[str, int]:
    bureau = org.bureau
    issued: list[Distribution] = []
    for months in range(11, -1, -1):
        day = _months_back(today, months)
        if day > today:
            continue
        issued.append(
            Distribution(
                kind=Distribution.Kind.BRIEFING,
                title=f"{day.month}月{BRIEFING_TOPICS[day.month % len(BRIEFING_TOPICS)]}",
                issued_on=day,
                year=day.year,
                unit=bureau,
            )
        )
    for number, months in enumerate(range(10, -1, -2)):
        day = _months_back(today, months)
        if day > today:
            continue
        issued.append(
            Distribution(
                kind=Distribution.Kind.BULLETIN,
                title="老干部工作简报",
                issue_number=FIRST_BULLETIN_ISSUE + number,
                issued_on=day,
                year=day.year,
                unit=bureau,
            )
        )
    Distribution.objects.bulk_create(issued)
    subscriptions = _seed_subscription(org=org, today=today, audience=len(cadres))

    on_register = [c for c in cadres if c.status == "active"]
    sample = (
        on_register
        if len(on_register) <= DELIVERED_SAMPLE
        else rng.sample(on_register, DELIVERED_SAMPLE)
    )
    staff = org.bureau_staff or list(org.staff_by_unit.values())
    recent = [d for d in issued if (today - d.issued_on).days <= DELIVERED_WINDOW_DAYS]
    # A few cadres whom nothing has reached this quarter yet, for the coverage report.
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    missed = {c.pk for c in rng.sample(sample, k=len(sample) // 40)} if sample else set()
    rows: list[Delivery] = []
    for distribution in recent:
        skipped = missed if distribution.issued_on >= quarter_start else set()
        latest = min(today, distribution.issued_on + datetime.timedelta(days=20))
        span = max((latest - distribution.issued_on).days, 0)
        for cadre in sample:
            if cadre.pk in skipped or rng.random() > REACHED_SHARE:
                continue
            if cadre.health in HOMEBOUND_HEALTH:
                way = Delivery.Way.HOME
            else:
                way = rng.choices(
                    [Delivery.Way.MEETING, Delivery.Way.POST, Delivery.Way.READING_ROOM],
                    weights=[6, 3, 1],
                )[0]
            rows.append(
                Delivery(
                    distribution=distribution,
                    cadre_id=cadre.pk,
                    way=way,
                    delivered_on=distribution.issued_on
                    + datetime.timedelta(days=rng.randint(0, span)),
                    delivered_by_id=cadre.liaison_id or (rng.choice(staff).pk if staff else None),
                )
            )
    Delivery.objects.bulk_create(rows, batch_size=2000)
    return {"distributions": len(issued) + subscriptions, "deliveries": len(rows)}


def _seed_subscription(*, org: DemoOrganisation, today: datetime.date, audience: int) -> int:
    """The bureau's newspaper subscription for the year, spent from its subscription
    line when the funds allow (the demo's budget may have none)."""
    from .services import distribution_create

    fields = {
        "kind": Distribution.Kind.SUBSCRIPTION,
        "title": "《中国老年报》",
        "issued_on": min(today, datetime.date(today.year, 1, 2)),
        "year": today.year,
        "unit": org.bureau,
        "audience": Distribution.Audience.LIXIU,
        "cost": Decimal("180.00"),
        "copies": max(1, min(audience // 10, 500)),
        "notes": "为离休干部订阅，按月投递到家。",
    }
    user = org.bureau_staff[0] if org.bureau_staff else None
    if user is not None:
        try:
            distribution_create(by=user, **fields)
            return 1
        except (ValidationError, PermissionDenied):
            pass
    Distribution.objects.create(**fields)
    return 1
