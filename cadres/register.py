"""Who is on the register (在册) on a day: the one rule that statistics, budgets, holiday
audiences and checkup campaigns count by."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import CadreStatus


def on_register(day: datetime.date | None = None, *, end_of_day: bool = False) -> Q:
    """Cadres on the register now, or, given ``day``, on it that day: retired by then,
    and neither dead nor transferred out before it (so that deaths since do not change
    a past day's figures). A cadre who died or left on ``day`` itself counts at its
    start (a holiday's audience, a campaign's) but not at its end (``end_of_day``: the
    statistics and budgets "as of" a day)."""
    if day is None:
        return Q(status=CadreStatus.ON_REGISTER)
    after = "gt" if end_of_day else "gte"
    return (
        Q(status=CadreStatus.ON_REGISTER)
        | Q(status=CadreStatus.DECEASED, **{f"died_on__{after}": day})
        | Q(status=CadreStatus.TRANSFERRED, **{f"transferred_on__{after}": day})
    ) & (Q(retirement_date__isnull=True) | Q(retirement_date__lte=day))
