"""Demo 慰问经费: this year's standards, the budget computed from the register on 1
January, a few adjustments, budgets for activities, subscriptions and assistance, some
expenses — and the money and gifts' value of the demo visits, set here (cadres' demo
records the visits; what they cost is this app's business).

Runs last in ``seed_demo``: the subscriptions and assistance payments the other demos
recorded before any line existed are linked to the lines created here.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.db.models import Sum

from accounts.demo import DemoOrganisation
from accounts.models import User
from cadres.models import Cadre, Hardship, RetirementKind, Visit, VisitOccasion

from .models import Expense, ExpenseSource, Standard
from .services import budget_apply, budget_line_adjust, expense_record

# occasion code, retirement kind, from age, hardship only, basis, amount, visits per 100
STANDARDS = [
    ("spring_festival", RetirementKind.TUIXIU, None, False, "per_head", "800.00", None),
    ("spring_festival", RetirementKind.LIXIU, None, False, "per_head", "1200.00", None),
    ("spring_festival", RetirementKind.TUIXIU, None, True, "per_head", "1000.00", None),
    ("double_ninth", "", 80, False, "per_head", "300.00", None),
    ("milestone_birthday", "", None, False, "per_time", "400.00", "12.00"),
    ("hospital", "", None, False, "per_time", "700.00", "8.00"),
    ("condolence", "", None, False, "per_time", "2000.00", "3.00"),
]
# What a done visit of the year gave (money, gifts' value) by occasion.
VISIT_MONEY = {
    "double_ninth": ("200.00", "100.00"),
    "milestone_birthday": ("300.00", "100.00"),
    "hospital": ("500.00", "200.00"),
    "condolence": ("2000.00", "0.00"),
}


def _administrator() -> User | None:
    return User.objects.filter(role=User.Role.ADMINISTRATOR, is_active=True).order_by("pk").first()


def seed_standards(*, year: int, by: User) -> int:
    occasions = {o.code: o for o in VisitOccasion.objects.all()}
    count = 0
    for code, kind, min_age, hardship, basis, amount, times in STANDARDS:
        if code not in occasions:
            continue
        standard = Standard(
            year=year,
            occasion=occasions[code],
            retirement_kind=kind,
            min_age=min_age,
            hardship_only=hardship,
            basis=basis,
            amount=Decimal(amount),
            times_per_hundred=Decimal(times) if times else None,
        )
        standard.full_clean()
        standard._history_user = by
        standard.save()
        count += 1
    return count


def price_visits(*, rng: random.Random, year: int) -> int:
    """The money and gifts' value of the year's done visits: 春节 at the standard for
    most (the gifts worth the difference from the money), less for a few — gifts only,
    or a group event without money, or a cadre in hardship given the ordinary amount."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    visits = list(
        Visit.objects.filter(status=Visit.Status.DONE, visited_on__range=(start, end))
        .select_related("occasion", "cadre")
        .order_by("pk")
    )
    changed = []
    for visit in visits:
        code = visit.occasion.code
        if code == "spring_festival":
            lixiu = visit.cadre.retirement_kind == RetirementKind.LIXIU
            hardship = visit.cadre.hardship != Hardship.NONE
            money = Decimal("1000.00") if lixiu else Decimal("500.00")
            gifts = Decimal("200.00") if lixiu else Decimal("300.00")
            if hardship and not lixiu and rng.random() < 0.75:
                money = Decimal("700.00")
            draw = rng.random()
            if draw < 0.03:  # gifts only: the money follows later, or not at all
                money = Decimal("0.00")
            elif draw < 0.05:  # met at the group event, nothing handed over
                money, gifts = Decimal("0.00"), Decimal("0.00")
                visit.mode = Visit.Mode.GROUP
            visit.condolence_money, visit.gifts_value = money, gifts
        elif code in VISIT_MONEY:
            money, gifts = VISIT_MONEY[code]
            visit.condolence_money, visit.gifts_value = Decimal(money), Decimal(gifts)
        else:
            continue
        changed.append(visit)
    Visit.objects.bulk_update(changed, ["condolence_money", "gifts_value", "mode"], batch_size=2000)
    return len(changed)


def _round_up(amount: Decimal, step: int = 1000) -> Decimal:
    return Decimal(math.ceil(amount / step) * step)


def seed_funds(
    *, rng: random.Random, cadres: list[Cadre], org: DemoOrganisation, today: datetime.date
) -> dict[str, int]:
    """This year's standards and budget, the visits' money, other budgets and expenses."""
    admin = _administrator()
    bureau_user = org.bureau_staff[0] if org.bureau_staff else admin
    if admin is None or not cadres:
        return {}
    year = today.year
    counts = {"funding standards": seed_standards(year=year, by=admin)}
    counts["visits priced"] = price_visits(rng=rng, year=year)
    budget_apply(user=admin, year=year, register_date=datetime.date(year, 1, 1))

    # The budgets the standards do not compute: the bureau's activities and
    # subscriptions, each unit's assistance; above what the other demos already spent.
    spent = {
        (row["unit_id"], row["line_code"]): row["total"]
        for row in Expense.objects.filter(spent_on__year=year, voided_at__isnull=True)
        .values("unit_id", "line_code")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    plans = [(org.bureau, ExpenseSource.ACTIVITY, Decimal("60000"), "年度集体活动经费")]
    plans.append((org.bureau, ExpenseSource.SUBSCRIPTION, Decimal("20000"), "报刊订阅经费"))
    for unit in org.employers[:6]:
        plans.append((unit, ExpenseSource.ACTIVITY, Decimal("3000"), "单位老干部活动经费"))
    assisted = {unit_id for unit_id, code in spent if code == ExpenseSource.ASSISTANCE}
    for unit in org.cadre_units:
        if unit.pk in assisted:
            plans.append((unit, ExpenseSource.ASSISTANCE, Decimal("10000"), "特困帮扶经费"))
    adjustments = 0
    for unit, code, base, reason in plans:
        already = Decimal(spent.get((unit.pk, code)) or 0)
        amount = max(base, _round_up(already * Decimal("1.25")))
        budget_line_adjust(
            user=bureau_user, unit=unit, code=code, year=year, amount=amount, reason=reason
        )
        adjustments += 1

    # Two adjustments of computed lines, as a bureau makes them during the year.
    lines = list(
        org.employers[0].budget_lines.filter(year=year, occasion__isnull=False).order_by("code")
    )
    for line, amount, reason in zip(
        lines,
        (Decimal("2000.00"), Decimal("-500.00")),
        ("春节增加困难老干部慰问品", "年初一名老干部调出，核减"),
        strict=False,
    ):
        if line.amount + amount >= 0:
            budget_line_adjust(user=bureau_user, line=line, amount=amount, reason=reason)
            adjustments += 1
    counts["budget adjustments"] = adjustments

    expenses = [
        (
            org.bureau,
            ExpenseSource.ACTIVITY,
            datetime.date(year, 1, 20),
            "12300.00",
            "县老干部活动中心",
            "春节团拜会",
        ),
        (
            org.bureau,
            ExpenseSource.ACTIVITY,
            datetime.date(year, 3, 15),
            "6480.50",
            "县老年大学",
            "春季学期教材",
        ),
        (
            org.bureau,
            ExpenseSource.ACTIVITY,
            datetime.date(year, 10, 20),
            "18600.00",
            "县文化馆",
            "重阳节文艺汇演",
        ),
    ]
    for unit in org.employers[:2]:
        expenses.append(
            (
                unit,
                ExpenseSource.ACTIVITY,
                datetime.date(year, 5, 12),
                "1200.00",
                "县人民医院",
                "健康讲座",
            )
        )
    recorded = 0
    for unit, code, day, amount, payee, note in expenses:
        if day > today:
            continue
        expense_record(
            user=bureau_user,
            unit=unit,
            line_code=code,
            spent_on=day,
            amount=Decimal(amount),
            payee=payee,
            note=note,
            source=code,
        )
        recorded += 1
    counts["expenses"] = recorded
    return counts
