"""What a reminder rule yields: the ``DueItem``, one thing due for someone on a day
(a birthday, a holiday visit, a planned visit…), keyed by its kind, subject and
occurrence as the outbox stores it, and ``cadre_item``, which builds the item of a rule
about one cadre from that cadre's register row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .cadre_rows import CadreRow


@dataclass(frozen=True, slots=True)
class DueItem:
    kind: str
    subject_key: str
    occurrence: datetime.date
    unit_id: int
    cadre_id: int | None = None
    branch_id: int | None = None
    liaison_id: int | None = None
    assignee_id: int | None = None
    # For birthdays: how many days ahead the date is, so each recipient's own lead time
    # decides whether it is due for them yet.
    days_ahead: int | None = None
    details: dict = field(default_factory=dict, compare=False, hash=False)


def cadre_item(kind: str, cadre: CadreRow, occurrence, key: str, **details) -> DueItem:
    details.setdefault("name", cadre.name)
    return DueItem(
        kind=kind,
        subject_key=key,
        occurrence=occurrence,
        unit_id=cadre.unit_id,
        cadre_id=cadre.id,
        liaison_id=cadre.liaison_id,
        days_ahead=details.pop("days_ahead", None),
        details=details,
    )
