"""The money and line codes every funds model shares. Amounts are ``Decimal`` with two
places (``FEN`` is the smallest, ``ZERO`` the empty amount). A budget line's code is a
visit occasion's code or one of the ``ExpenseSource`` values (``OTHER_LINE_CODES``) for
spending that is not a visit; ``line_label`` names a line by its code."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import VisitOccasion

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class ExpenseSource(models.TextChoices):
    """What an expense paid for. Each is also the line code of its budget line."""

    ACTIVITY = "activity", _("Collective activity")
    SUBSCRIPTION = "subscription", _("Subscription")
    ASSISTANCE = "assistance", _("Assistance payment")
    OTHER = "other", _("Other spending")


# The line codes of spending that is not a visit; every other line code is a
# ``VisitOccasion.code``.
OTHER_LINE_CODES = tuple(ExpenseSource.values)


def line_label(code: str, occasion: VisitOccasion | None = None) -> str:
    """A line's name: the occasion's, or the kind of other spending."""
    if occasion is not None:
        return occasion.name
    if code in OTHER_LINE_CODES:
        return str(ExpenseSource(code).label)
    return code
