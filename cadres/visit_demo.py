"""Demo visits and care needs for ``seed_demo``, over the retirees of ``cadres.demo``: a
year of visits (the Spring Festival round, Double Ninth for the over-80s, milestone
birthdays, hospital and routine visits with 谈心谈话 notes, condolences after a death and a
few planned visits), earlier years of visit history for the benchmarks, and some open and
resolved care needs assigned to each cadre's liaison."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from borax.calendars.lunardate import LunarDate

from accounts.demo import DemoOrganisation

from .bulk import bulk_insert, bulk_insert_values
from .demo import NEEDS, plus_years
from .models import Cadre, CadreStatus, CareNeed, Health, RetirementKind, Visit, VisitOccasion


def _milestone(age: int) -> bool:
    return age >= 90 or age in (70, 80)


DEMO_THOUGHTS = [
    "关心县里老旧小区改造进度，希望加装电梯。",
    "对子女工作调动有顾虑，情绪稍有波动，已做疏导。",
    "希望多组织老干部参观县里新建项目。",
    "担心老伴身体，希望就医方面得到协助。",
]


def _demo_thoughts(cadre: Cadre) -> str:
    return DEMO_THOUGHTS[cadre.pk % len(DEMO_THOUGHTS)] if cadre.pk % 5 == 0 else ""


def seed_visits(
    *, rng: random.Random, cadres: list[Cadre], org: DemoOrganisation, today: datetime.date
) -> int:
    """A year of visits: the Spring Festival round for everyone, Double Ninth for the
    over-80s, milestone birthdays, hospital and routine visits, condolences after a
    death, and a few planned visits coming up."""
    occasions = {o.code: o for o in VisitOccasion.objects.all()}
    # Holidays bring their own occasions (reminders app); the generic one otherwise.
    spring_code = "spring_festival" if "spring_festival" in occasions else "holiday"
    double_ninth_code = "double_ninth" if "double_ninth" in occasions else "holiday"
    year_ago = today - datetime.timedelta(days=365)
    spring = LunarDate(today.year, 1, 1).to_solar_date()
    if spring > today:
        spring = LunarDate(today.year - 1, 1, 1).to_solar_date()
    double_ninth = LunarDate(today.year, 9, 9).to_solar_date()
    if double_ninth > today:
        double_ninth = LunarDate(today.year - 1, 9, 9).to_solar_date()
    visits: list[Visit] = []
    visitor_of: list[int] = []

    def add(
        cadre,
        code,
        *,
        day=None,
        due=None,
        status=Visit.Status.DONE,
        mode=Visit.Mode.HOME,
        money=0,
        gifts="",
        notes="",
        thoughts="",
    ):
        visits.append(
            Visit(
                cadre=cadre,
                occasion=occasions[code],
                status=status,
                visited_on=day,
                due_on=due,
                mode=mode,
                condolence_money=Decimal(money),
                gifts=gifts,
                notes=notes,
                heart_to_heart=bool(thoughts),
                thoughts=thoughts,
                leaders="局领导" if code in ("condolence", "milestone_birthday") else "",
                recorded_by_id=cadre.liaison_id,
            )
        )
        visitor_of.append(cadre.liaison_id)

    for cadre in cadres:
        age = cadre.age_on(today)
        alive_on = cadre.died_on or today
        active_until = cadre.transferred_on or alive_on
        day = spring - datetime.timedelta(days=rng.randint(1, 20))
        if day < active_until and rng.random() < 0.97:
            lixiu = cadre.retirement_kind == RetirementKind.LIXIU
            add(cadre, spring_code, day=day, money=1000 if lixiu else 500, gifts="米面油")
        day = double_ninth - datetime.timedelta(days=rng.randint(0, 3))
        if age >= 80 and day < active_until:
            add(cadre, double_ninth_code, day=day, gifts="重阳糕")
        birthday = plus_years(cadre.birth_date, today.year - cadre.birth_date.year)
        if birthday > today:
            birthday = plus_years(cadre.birth_date, today.year - 1 - cadre.birth_date.year)
        if _milestone(age) and year_ago < birthday < active_until:
            add(cadre, "milestone_birthday", day=birthday, gifts="生日蛋糕、鲜花", money=300)
        in_hospital = cadre.health == Health.IN_HOSPITAL
        if in_hospital and cadre.status == CadreStatus.ON_REGISTER and rng.random() < 0.7:
            # Visited in hospital on or after the admission (health_changed_on), not before.
            admitted = cadre.health_changed_on or today
            add(
                cadre,
                "hospital",
                day=admitted + datetime.timedelta(days=rng.randint(0, (today - admitted).days)),
                mode=Visit.Mode.HOSPITAL,
                money=500,
                gifts="水果、营养品",
            )
        if rng.random() < 0.35:
            day = year_ago + datetime.timedelta(days=rng.randint(0, 364))
            if day < active_until:
                add(
                    cadre,
                    "routine",
                    day=day,
                    mode=rng.choice([Visit.Mode.HOME, Visit.Mode.PHONE, Visit.Mode.VIDEO]),
                    notes="了解近况，身体、生活情况良好。",
                    # 谈心谈话 with a note of the cadre's thinking, one routine visit in 5.
                    thoughts=_demo_thoughts(cadre),
                )
        if cadre.status == CadreStatus.DECEASED:
            due = cadre.died_on + datetime.timedelta(days=3)
            if due < today - datetime.timedelta(days=14):
                add(cadre, "condolence", day=due, money=2000, notes="慰问家属，协助办理后事。")
            else:
                add(cadre, "condolence", due=due, status=Visit.Status.PLANNED)
        elif cadre.status == CadreStatus.ON_REGISTER and rng.random() < 0.02:
            add(
                cadre,
                "routine",
                due=today + datetime.timedelta(days=rng.randint(1, 14)),
                status=Visit.Status.PLANNED,
                mode=Visit.Mode.HOME,
            )

    bulk_insert(Visit, visits)
    bulk_insert_values(
        Visit.visitors.through,
        ["visit", "user"],
        ((visit.pk, user_id) for visit, user_id in zip(visits, visitor_of, strict=True) if user_id),
    )
    return len(visits)


def seed_visit_history(
    *, rng: random.Random, cadres: list[Cadre], today: datetime.date, per_cadre: int
) -> int:
    """Earlier years of visits, so that each cadre has about ``per_cadre`` visits in all:
    routine and holiday visits over the ten years before the last one (after retirement,
    before death or transfer). For the
    benchmarks (100,000 cadres with over a million visits); written in batches so that
    memory stays flat."""
    occasions = {o.code: o for o in VisitOccasion.objects.all()}
    codes = [code for code in ("routine", "spring_festival", "double_ninth") if code in occasions]
    start = today - datetime.timedelta(days=365 * 11)
    modes = [Visit.Mode.HOME, Visit.Mode.PHONE, Visit.Mode.VIDEO]
    written = 0
    batch: list[Visit] = []
    for cadre in cadres:
        first = max(start, (cadre.retirement_date or cadre.birth_date) + datetime.timedelta(1))
        span = ((cadre.transferred_on or cadre.died_on or today) - first).days - 1
        if span < 1:
            continue
        for _ in range(max(per_cadre - 2, 0)):
            day = first + datetime.timedelta(days=rng.randint(0, span))
            batch.append(
                Visit(
                    cadre=cadre,
                    occasion=occasions[rng.choice(codes)],
                    status=Visit.Status.DONE,
                    visited_on=day,
                    mode=rng.choice(modes),
                    condolence_money=Decimal(rng.choice((0, 0, 200, 500))),
                    recorded_by_id=cadre.liaison_id,
                )
            )
            if len(batch) >= 20_000:
                written += len(bulk_insert(Visit, batch))
                batch = []
    if batch:
        written += len(bulk_insert(Visit, batch))
    return written


def seed_care_needs(*, rng: random.Random, cadres: list[Cadre], today: datetime.date) -> int:
    needs = []
    categories = list(CareNeed.Category.values)
    for cadre in cadres:
        if cadre.status != CadreStatus.ON_REGISTER or rng.random() > 0.05:
            continue
        raised = today - datetime.timedelta(days=rng.randint(0, 120))
        status = rng.choices(list(CareNeed.Status.values), weights=[3, 2, 5])[0]
        resolved = status == CareNeed.Status.RESOLVED
        needs.append(
            CareNeed(
                cadre=cadre,
                raised_on=raised,
                channel=rng.choice(list(CareNeed.Channel.values)),
                category=rng.choice(categories),
                description=f"反映需要{rng.choice(NEEDS)}，请协调解决。",
                status=status,
                due_on=raised + datetime.timedelta(days=rng.choice([7, 15, 30])),
                assignee_id=cadre.liaison_id,
                resolution="已协调解决并电话回复本人。" if resolved else "",
                resolved_on=min(today, raised + datetime.timedelta(days=rng.randint(1, 20)))
                if resolved
                else None,
            )
        )
    bulk_insert(CareNeed, needs)
    return len(needs)
