"""The reminder rules of birthdays (生日, solar or lunar as each cadre celebrates) and
political birthdays (政治生日, the day a Party member joined), with the milestones they
mark: decade birthdays from 70 and every birthday from 90, and 光荣在党 from fifty
years. Every cadre is matched against the window's days with one dictionary look-up
(``AnniversaryIndex``), so the whole register is walked in one pass. The calendar feed
shows the same items.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from cadres.models import PoliticalStatus

from .cadre_rows import CadreRow
from .calendar import (
    LunarMonthDay,
    age_at,
    lunar_month_day,
    lunar_month_days_matching,
    solar_anniversary,
)
from .due_items import DueItem, cadre_item
from .models import ReminderKind
from .problems import skip_record

MILESTONE_AGES = (70, 80, 90, 100)
PARTY_MILESTONE_YEARS = 50  # 光荣在党50年; every ten years after is marked too


def is_birthday_milestone(age: int) -> bool:
    """Decade birthdays from 70, and every birthday from 90."""
    return age in MILESTONE_AGES or age >= 90


def is_party_milestone(years: int) -> bool:
    return years >= PARTY_MILESTONE_YEARS and years % 10 == 0


@lru_cache(maxsize=100_000)
def _lunar_birthday(birth_date: datetime.date) -> LunarMonthDay:
    return lunar_month_day(birth_date)


class AnniversaryIndex:
    """Which solar and lunar month/days have their anniversary on each day of a window,
    so that every cadre is matched with one dictionary look-up instead of a calendar
    computation (100,000 cadres a day)."""

    def __init__(self, start: datetime.date, horizon: int):
        self.solar: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
        self.lunar: dict[LunarMonthDay, list[datetime.date]] = defaultdict(list)
        for offset in range(horizon + 1):
            target = start + datetime.timedelta(days=offset)
            self.solar[(target.month, target.day)].append(target)
            for month_day in lunar_month_days_matching(target):
                self.lunar[month_day].append(target)
        # 29 February anniversaries in common years fall on the day the rule says.
        for offset in range(horizon + 1):
            target = start + datetime.timedelta(days=offset)
            try:
                datetime.date(target.year, 2, 29)
            except ValueError:
                if solar_anniversary(datetime.date(2000, 2, 29), target.year) == target:
                    self.solar[(2, 29)].append(target)

    def solar_dates(self, original: datetime.date) -> list[datetime.date]:
        return self.solar.get((original.month, original.day), [])

    def lunar_dates(self, original: datetime.date) -> list[datetime.date]:
        return self.lunar.get(_lunar_birthday(original), [])


def birthday_items(cadres: Iterable[CadreRow], day, horizon: int) -> list[DueItem]:
    """Birthdays (solar or lunar, as each cadre celebrates) from ``day`` to ``day +
    horizon``."""
    index = AnniversaryIndex(day, horizon)
    items = []
    for cadre in cadres:
        try:
            if cadre.lunar:
                dates = index.lunar_dates(cadre.birth_date)
            else:
                dates = index.solar_dates(cadre.birth_date)
            for occurrence in dates:
                age = age_at(cadre.birth_date, occurrence, lunar=cadre.lunar)
                items.append(
                    cadre_item(
                        ReminderKind.BIRTHDAY,
                        cadre,
                        occurrence,
                        f"cadre:{cadre.id}",
                        age=age,
                        lunar=cadre.lunar,
                        milestone=is_birthday_milestone(age),
                        days_ahead=(occurrence - day).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.BIRTHDAY, cadre.id, error)
    return items


def political_birthday_items(cadres: Iterable[CadreRow], day, horizon: int) -> list[DueItem]:
    index = AnniversaryIndex(day, horizon)
    items = []
    for cadre in cadres:
        try:
            joined = cadre.party_joined_on
            if cadre.political_status != PoliticalStatus.CPC_MEMBER or joined is None:
                continue
            for occurrence in index.solar_dates(joined):
                years = occurrence.year - joined.year
                if years < 1:
                    continue
                items.append(
                    cadre_item(
                        ReminderKind.POLITICAL_BIRTHDAY,
                        cadre,
                        occurrence,
                        f"cadre:{cadre.id}",
                        years=years,
                        milestone=is_party_milestone(years),
                        days_ahead=(occurrence - day).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.POLITICAL_BIRTHDAY, cadre.id, error)
    return items
