"""``id__in`` with an integer no column can hold matches nothing instead of crashing.

Django answers ``filter(pk=<30 digits>)`` with no rows, but on SQLite
``filter(pk__in=[<30 digits>])`` raises OverflowError ("Python int too large to convert
to SQLite INTEGER"). ModelMultipleChoiceField looks its choices up with ``pk__in``, so a
30-digit id sent to any multi-select answered 500: the project's own (meeting
attendees, a campaign's cadres), those Django makes for a many-to-many field (a visit's
visitors) and the admin's. Registered on IntegerField, and so on every id column, this
one lookup fixes them all; it is registered when the accounts app is ready.
"""

import copy

from django.db import models
from django.db.models.lookups import In


@models.IntegerField.register_lookup
class IntegerFieldIn(In):
    """``in`` without the integers beyond the column's range: no row has them, as
    Django's own ``exact``, ``gt`` and ``lt`` on integer fields already assume."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            values = [value for value in self.rhs if _fits(value, low, high)]
            if len(values) < len(self.rhs):
                lookup = copy.copy(self)
                lookup.rhs = values
                return super(IntegerFieldIn, lookup).process_rhs(compiler, connection)
        return super().process_rhs(compiler, connection)


def _fits(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True
    return (low is None or value >= low) and (high is None or value <= high)
