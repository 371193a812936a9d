"""Which standard applies to whom: the year's standards read once, then asked per cadre.

A pure lookup over rows in memory, so that a budget for 100,000 cadres or the committed
money of thousands of planned visits costs one query for the standards.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from cadres.models import Hardship

from .models import Standard


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def in_hardship(hardship: str) -> bool:
    return bool(hardship) and hardship != Hardship.NONE


class StandardBook:
    """The standards of one year, by occasion code."""

    def __init__(self, standards):
        self.by_code: dict[str, list[Standard]] = defaultdict(list)
        for standard in standards:
            self.by_code[standard.occasion.code].append(standard)
        for rows in self.by_code.values():
            # Most specific first, then the higher amount: the first that fits applies.
            rows.sort(key=lambda s: (-s.specificity, -s.amount, s.pk or 0))

    @classmethod
    def for_year(cls, year: int) -> StandardBook:
        return cls(Standard.objects.filter(year=year).select_related("occasion"))

    @property
    def codes(self) -> list[str]:
        return list(self.by_code)

    def standard_for(
        self,
        code: str,
        *,
        retirement_kind: str,
        birth_date: datetime.date,
        hardship: str,
        on: datetime.date,
    ) -> Standard | None:
        """The standard of occasion ``code`` that applies to this cadre on ``on``."""
        rows = self.by_code.get(code)
        if not rows:
            return None
        age = age_on(birth_date, on)
        hard = in_hardship(hardship)
        for standard in rows:
            if standard.fits(retirement_kind=retirement_kind, age=age, in_hardship=hard):
                return standard
        return None

    def amount_for(self, code: str, **cadre) -> Decimal | None:
        standard = self.standard_for(code, **cadre)
        return standard.amount if standard else None
