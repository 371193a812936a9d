"""Demo retirees for ``seed_demo``, with the age bands and 离休/退休 mix of the source
reports (428 retirees: 14 aged 90+, 62 aged 80–89, 120 aged 70–79, 232 aged 69 or under),
valid resident ID numbers and family contacts. Their visits and open needs are seeded by
``cadres.visit_demo``."""

from __future__ import annotations

import datetime
import random

from faker import Faker
from stdnum.cn import ric

from accounts.demo import DemoOrganisation

from .bulk import bulk_insert
from .ethnicities import Ethnicity
from .models import (
    Cadre,
    CadreStatus,
    FamilyContact,
    Gender,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    Rank,
    RetirementKind,
)
from .pinyin import name_pinyin

# (share, youngest, oldest) of the source bureau's 428 retirees.
BAND_SHARES = [232, 120, 62, 14]
BAND_RANGES = [(55, 69), (70, 79), (80, 89), (90, 101)]
# 平利县 and its neighbours under the codes of 安康地区 (valid for births before 2000).
AREA_CODES = ["612427"] * 6 + ["612422", "612423", "612429", "612430"]
COMMUNITIES = [
    "城关镇东关社区",
    "城关镇西关社区",
    "城关镇北门社区",
    "城关镇南街社区",
    "长安镇中心社区",
    "老县镇老街社区",
    "城关镇滨河社区",
    "城关镇育才社区",
]
POSTS = ["科员", "副科长", "科长", "副主任", "主任", "副局长", "局长", "调研员", "工程师", "教师"]
HOBBIES = ["书法", "绘画", "摄影", "合唱", "太极拳", "门球", "钓鱼", "诗词", "乒乓球", "园艺"]
NEEDS = ["上门体检", "代购药品", "房屋维修", "政策咨询", "陪同就医", "智能手机培训"]
FESTIVAL_GIFTS = ["米面油", "慰问品一份", "月饼", "重阳糕", "鲜花"]


def _birth_date(rng: random.Random, today: datetime.date, youngest: int, oldest: int):
    age = rng.randint(youngest, oldest)
    latest = plus_years(today, -age)
    return latest - datetime.timedelta(days=rng.randint(0, 364))


def person_name(fake: Faker, *, male: bool) -> str:
    """A surname and a given name of the gender: Faker zh_CN's name_male() and
    name_female() draw the given name from both lists."""
    return fake.last_name() + (fake.first_name_male() if male else fake.first_name_female())


def plus_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class IdNumbers:
    """Unique, valid 18-character resident ID numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, birth: datetime.date, male: bool) -> str:
        while True:
            area = self.rng.choice(AREA_CODES)
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{area}{birth:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used:
                self.used.add(number)
                return number


def seed_cadres(
    *, rng: random.Random, fake: Faker, count: int, org: DemoOrganisation, today: datetime.date
) -> list[Cadre]:
    ids = IdNumbers(rng)
    cadre_units = org.cadre_units
    unit_weights = [3 if unit.parent_id == org.bureau.pk else 1 for unit in cadre_units]
    parent_of = {unit.pk: unit.parent_id for unit in cadre_units}
    cadres: list[Cadre] = []
    for _ in range(count):
        youngest, oldest = rng.choices(BAND_RANGES, weights=BAND_SHARES)[0]
        male = rng.random() < 0.62
        if youngest == 55 and male:
            youngest = 60  # men retire at 60, women at 55
        birth = _birth_date(rng, today, youngest, oldest)
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        lixiu = age >= 92 and rng.random() < 0.55
        party = lixiu or rng.random() < 0.78
        unit = rng.choices(cadre_units, weights=unit_weights)[0]
        staff_unit = unit.pk if unit.pk in org.staff_by_unit else parent_of[unit.pk]
        health_roll = rng.random() + max(0, age - 75) / 60
        health = (
            Health.GOOD
            if health_roll < 0.5
            else Health.FAIR
            if health_roll < 0.85
            else Health.POOR
            if health_roll < 1.0
            else Health.BEDRIDDEN
            if health_roll < 1.08
            else Health.IN_HOSPITAL
        )
        living = rng.choices(
            [
                LivingSituation.WITH_FAMILY,
                LivingSituation.EMPTY_NEST,
                LivingSituation.ALONE,
                LivingSituation.CARE_HOME,
            ],
            weights=[55, 30, 12, 3],
        )[0]
        hardship = rng.choices(
            [Hardship.NONE, Hardship.DIFFICULT, Hardship.EXTREME], weights=[92, 6, 2]
        )[0]
        status_roll = rng.random()
        status = (
            CadreStatus.DECEASED
            if status_roll < 0.015 + (0.03 if age >= 90 else 0)
            else CadreStatus.TRANSFERRED
            if status_roll > 0.992
            else CadreStatus.ON_REGISTER
        )
        name = person_name(fake, male=male)
        full, initials = name_pinyin(name)
        retirement = plus_years(birth, 60 if male or lixiu else 55)
        joined = None
        if party:
            join_age = rng.randint(14, 19) if lixiu else rng.randint(20, 45)
            joined = plus_years(birth, join_age) + datetime.timedelta(days=rng.randint(0, 300))
            if lixiu:
                joined = min(joined, datetime.date(1949, 9, 30))
            joined = min(joined, today - datetime.timedelta(days=1))
        community = rng.choice(COMMUNITIES)
        cadres.append(
            Cadre(
                name=name,
                name_pinyin=full,
                name_initials=initials,
                gender=Gender.MALE if male else Gender.FEMALE,
                ethnicity=Ethnicity.E01
                if rng.random() < 0.93
                else rng.choice([Ethnicity.E03, Ethnicity.E11, Ethnicity.E15, Ethnicity.E02]),
                birth_date=birth,
                celebrates_lunar_birthday=rng.random() < 0.35,
                id_number=ids.make(birth, male),
                retirement_kind=RetirementKind.LIXIU if lixiu else RetirementKind.TUIXIU,
                retirement_date=min(retirement, today),
                unit=unit,
                former_employer=unit.name,
                former_post=rng.choice(POSTS),
                rank=rng.choices(
                    [
                        Rank.COUNTY_CHIEF,
                        Rank.COUNTY_DEPUTY,
                        Rank.SECTION_CHIEF,
                        Rank.SECTION_DEPUTY,
                        Rank.CLERK,
                    ],
                    weights=[4, 10, 30, 30, 26],
                )[0],
                political_status=PoliticalStatus.CPC_MEMBER
                if party
                else rng.choice([PoliticalStatus.MASSES] * 5 + [PoliticalStatus.DEMOCRATIC_PARTY]),
                party_joined_on=joined,
                phone=fake.phone_number(),
                address=f"{community}{rng.randint(1, 30)}号楼{rng.randint(1, 4)}单元"
                f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
                residential_community=community,
                health=health,
                health_changed_on=today - datetime.timedelta(days=rng.randint(0, 6))
                if health == Health.IN_HOSPITAL
                else None,
                living_situation=living,
                hardship=hardship,
                hobbies="、".join(rng.sample(HOBBIES, rng.randint(0, 3))),
                current_needs=rng.choice(NEEDS) if rng.random() < 0.15 else "",
                liaison=org.staff_by_unit[staff_unit],
                status=status,
                died_on=today - datetime.timedelta(days=rng.randint(5, 360))
                if status == CadreStatus.DECEASED
                else None,
                transferred_on=today - datetime.timedelta(days=rng.randint(5, 700))
                if status == CadreStatus.TRANSFERRED
                else None,
                transferred_to="随子女迁居外省" if status == CadreStatus.TRANSFERRED else "",
            )
        )
    return bulk_insert(Cadre, cadres)


def seed_family(*, rng: random.Random, fake: Faker, cadres: list[Cadre]) -> int:
    contacts = []
    for cadre in cadres:
        for index in range(rng.randint(1, 2)):
            relation = (
                FamilyContact.Relation.CHILD
                if index
                else rng.choice([FamilyContact.Relation.SPOUSE, FamilyContact.Relation.CHILD])
            )
            contacts.append(
                FamilyContact(
                    cadre=cadre,
                    # A spouse of the other gender; a child either.
                    name=person_name(fake, male=cadre.gender != Gender.MALE)
                    if relation == FamilyContact.Relation.SPOUSE
                    else fake.name(),
                    relation=relation,
                    phone=fake.phone_number(),
                    is_emergency_contact=index == 0,
                )
            )
    bulk_insert(FamilyContact, contacts)
    return len(contacts)
