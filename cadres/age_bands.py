"""The age bands that reports and filters use: ≤69, 70–79, 80–89, 90+."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UP_TO_69 = "-69", _("69 and under")
    SEVENTIES = "70-79", _("70 to 79")
    EIGHTIES = "80-89", _("80 to 89")
    NINETY_PLUS = "90-", _("90 and over")


_BOUNDS = {
    AgeBand.UP_TO_69: (None, 69),
    AgeBand.SEVENTIES: (70, 79),
    AgeBand.EIGHTIES: (80, 89),
    AgeBand.NINETY_PLUS: (90, None),
}


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def age_band_q(band: str, *, today: datetime.date, field: str = "birth_date") -> Q:
    """A filter on the birth date for the cadres whose age on ``today`` is in ``band``.

    Someone is at least N years old when born on or before today's date N years ago.
    """
    youngest, oldest = _BOUNDS[AgeBand(band)]
    condition = Q()
    if youngest is not None:
        condition &= Q(**{f"{field}__lte": _years_before(today, youngest)})
    if oldest is not None:
        condition &= Q(**{f"{field}__gt": _years_before(today, oldest + 1)})
    return condition


def age_band_of(age: int) -> AgeBand:
    for band, (youngest, oldest) in _BOUNDS.items():
        if (youngest is None or age >= youngest) and (oldest is None or age <= oldest):
            return band
    raise ValueError(age)
