"""Demo 特困帮扶 cases: a dozen, in every state of the workflow, for cadres in hardship,
taken through the same services as the pages (the payments become expenses of the
units' assistance lines), then dated back over the last weeks so that the scorecard
shows days from application to payment."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Unit, User
from cadres.models import Cadre, CadreStatus, Hardship

from . import services
from .models import AssistanceCase, Category

# The states of the twelve cases, in order.
STATES = [
    "draft",
    "draft",
    "submitted",
    "submitted",
    "reviewed",
    "reviewed",
    "approved",
    "approved",
    "refused",
    "paid",
    "paid",
    "closed",
]
CIRCUMSTANCES = {
    Category.MEDICAL: "患病住院，自付医疗费用较高，家庭难以承担。",
    Category.LIVING: "独居，收入低，日常生活开支困难。",
    Category.HOUSING: "住房年久失修，雨季漏水，需要修缮。",
    Category.FUNERAL: "配偶病故，丧葬费用负担较重。",
    Category.OTHER: "子女下岗，家庭遭遇变故。",
}
# The reviewer the first employer unit needs: its case is reviewed by a colleague of the
# one who drafted it.
REVIEWER_USERNAME = "unit-review"


def _second_staff(unit: Unit, password: str) -> User:
    return User.objects.create(
        username=REVIEWER_USERNAME,
        full_name=f"{unit.name}审核员",
        role=User.Role.UNIT_STAFF,
        unit=unit,
        password=make_password(password),
        email=f"{REVIEWER_USERNAME}@yinling.example",
        is_staff=True,
    )


def seed_assistance(
    *, rng: random.Random, cadres: list[Cadre], org, today: datetime.date, password: str
) -> dict[str, int]:
    """Twelve cases: two drafts, two submitted, two reviewed, two approved, one refused,
    two paid, one closed; every other one in the first employer unit (the ``unit``
    login), whose cases its second staff member reviews."""
    first = org.employers[0]
    reviewer = _second_staff(first, password)
    bureau = org.bureau_staff[0]
    employer_of = _employer_of(org)
    candidates = [
        cadre
        for cadre in cadres
        if cadre.status == CadreStatus.ON_REGISTER and cadre.hardship != Hardship.NONE
    ]
    mine = [c for c in candidates if employer_of.get(c.unit_id) == first.pk]
    others = [c for c in candidates if employer_of.get(c.unit_id) not in (None, first.pk)]
    rng.shuffle(mine)
    rng.shuffle(others)
    chosen = []
    for index in range(len(STATES)):
        # Every other case of the first unit, so that it has cases in most states.
        pools = (mine, others) if index % 2 == 0 else (others, mine)
        pool = pools[0] or pools[1]
        if pool:
            chosen.append(pool.pop())
    start_limit = max((today - datetime.date(today.year, 1, 1)).days, 0)
    created = 0
    for index, (state, cadre) in enumerate(zip(STATES, chosen, strict=False)):
        employer = employer_of[cadre.unit_id]
        unit_staff = org.staff_by_unit[employer]
        drafter = unit_staff if employer == first.pk else bureau
        unit_reviewer = reviewer if employer == first.pk else unit_staff
        category = rng.choice(Category.values)
        amount = Decimal(rng.randrange(800, 8001, 100))
        case = services.assistance_case_open(
            user=drafter,
            cadre=cadre,
            category=category,
            circumstances=CIRCUMSTANCES[category],
            amount_requested=amount,
        )
        case = _advance(case, state, drafter=drafter, reviewer=unit_reviewer, bureau=bureau,
                        rng=rng, today=today)  # fmt: skip
        _date_back(case, days=min(40 - index * 3, start_limit), paid_days=rng.randint(0, 2))
        created += 1
    return {"assistance cases": created}


def _employer_of(org) -> dict[int, int]:
    """Each unit's top employer unit (the one with a staff login)."""
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    employers = {unit.pk for unit in org.employers}
    found = {}
    for unit_id in parents:
        current = unit_id
        while current is not None and current not in employers:
            current = parents.get(current)
        if current is not None:
            found[unit_id] = current
    return found


def _advance(case, state, *, drafter, reviewer, bureau, rng, today) -> AssistanceCase:
    order = ["draft", "submitted", "reviewed", "approved", "paid", "closed"]
    target = "reviewed" if state == "refused" else state
    for step in order[1 : order.index(target) + 1]:
        if step == "submitted":
            case = services.assistance_case_submit(case=case, user=drafter)
        elif step == "reviewed":
            case = services.assistance_case_review(
                case=case, user=reviewer, opinion="经核实，情况属实，同意上报。"
            )
        elif step == "approved":
            share = Decimal(rng.choice([60, 80, 100])) / 100
            case = services.assistance_case_approve(
                case=case,
                user=bureau,
                amount_approved=(case.amount_requested * share).quantize(Decimal("1")),
            )
        elif step == "paid":
            case = services.assistance_case_pay(
                case=case,
                user=bureau,
                paid_on=today,
                amount=case.amount_approved,
                method=rng.choice(["bank", "cash"]),
                overspend_reason="演示数据",
            )
        elif step == "closed":
            case = services.assistance_case_close(case=case, user=bureau)
    if state == "refused":
        case = services.assistance_case_refuse(
            case=case, user=bureau, reason="已享受其他救助，暂不符合本次帮扶条件。"
        )
    return case


def _date_back(case: AssistanceCase, *, days: int, paid_days: int) -> None:
    """Move the case's steps back in time (within this year): drafted ``days`` ago,
    each later step a few days after, the payment ``paid_days`` before today."""
    now = timezone.now()
    drafted = now - datetime.timedelta(days=days)
    step_gap = datetime.timedelta(days=max(days // 4, 0))
    changes = {"created_at": drafted}
    moments = ["submitted_at", "reviewed_at", "decided_at"]
    for number, name in enumerate(moments, 1):
        if getattr(case, name) is not None:
            changes[name] = drafted + step_gap * number
    if case.paid_on is not None:
        paid_at = now - datetime.timedelta(days=min(paid_days, days // 4))
        changes["paid_at"] = paid_at
        changes["paid_on"] = timezone.localdate(paid_at)
        if case.closed_at is not None:
            changes["closed_at"] = paid_at
        if case.expense_id:
            type(case.expense).objects.filter(pk=case.expense_id).update(
                spent_on=changes["paid_on"]
            )
    AssistanceCase.objects.filter(pk=case.pk).update(**changes)
