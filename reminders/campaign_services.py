"""Writes of the holiday campaign (节日慰问): a group event of a holiday (a 春节
gathering) recorded as a done visit to each cadre who took part, refused outside the
occurrence's visit window.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from cadres.models import Cadre, Visit
from cadres.visit_services import visits_record_group

from .holiday_rules import holiday_visit_window
from .models import Holiday


def holiday_visits_record_group(
    *,
    by: User,
    holiday: Holiday,
    occurrence: datetime.date,
    cadres: Iterable[Cadre],
    visited_on: datetime.date,
    **fields: Any,
) -> list[Visit]:
    """One group event of a holiday campaign (a 春节 gathering) recorded as a done visit
    with the holiday's occasion to each cadre who took part. A date outside the
    occurrence's visit window is refused: such a visit would not count for it."""
    first, last = holiday_visit_window(holiday, occurrence)
    if not first <= visited_on <= last:
        raise ValidationError(
            {
                "visited_on": _(
                    "The visit date must be between %(first)s and %(last)s "
                    "(the %(holiday)s visit window)."
                )
                % {"first": first.isoformat(), "last": last.isoformat(), "holiday": holiday.name}
            }
        )
    return visits_record_group(
        by=by,
        cadres=cadres,
        occasion=holiday.occasion,
        status=Visit.Status.DONE,
        visited_on=visited_on,
        **fields,
    )
