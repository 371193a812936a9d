"""Who something is for: the conditions on cadres that the audiences held as data —
a holiday's, a checkup campaign's, a distribution's — are made of, and the date
arithmetic of ages they count by."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import Hardship, PoliticalStatus, RetirementKind


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier: the latest birth date of someone aged ``years``
    on ``day`` (one born on 29 February turns a year older on 28 February in a common
    year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def aged_q(min_age: int | None, *, on: datetime.date) -> Q:
    """Cadres aged ``min_age`` or more on ``on``."""
    return Q(birth_date__lte=years_before(on, min_age or 0))


def shared_audience_q(kind: str, *, min_age: int | None, on: datetime.date) -> Q | None:
    """The condition of the kinds of audience every audience offers, by their stored
    value (everyone, 离休 only, Party members, aged N and over, hardship); ``None`` for
    a kind of the caller's own (a list of cadres, a branch's members…)."""
    if kind == "everyone":
        return Q()
    if kind == "lixiu":
        return Q(retirement_kind=RetirementKind.LIXIU)
    if kind == "party":
        return Q(political_status=PoliticalStatus.CPC_MEMBER)
    if kind == "hardship":
        return ~Q(hardship=Hardship.NONE)
    if kind == "aged":
        return aged_q(min_age, on=on)
    return None
