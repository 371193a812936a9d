"""The reminder rule of 特困帮扶 cases: a case waiting for its next step is in the digest
of whoever must take it — the unit's review goes to the unit staff of the case's unit
(looking up the unit tree until someone is found, and never to the colleague who
drafted it), the bureau's decision, payment and closing to the bureau staff.

Each recipient gets the item once per step, on the day the step became due (the item's
occurrence; its key is unique in the outbox); the case then stays on their 待办帮扶 list
and the dashboard until the step is taken. Three queries, whatever the number of cases.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from accounts.models import Unit, User
from assistance.models import AssistanceCase, Status
from assistance.steps import NEXT_STEP, Step

from .due_items import DueItem
from .models import ReminderKind

# The time each waiting status began: the step is due from that day.
SINCE = {
    Status.SUBMITTED: "submitted_at",
    Status.REVIEWED: "reviewed_at",
    Status.APPROVED: "decided_at",
    Status.PAID: "paid_at",
}


class _Actors:
    """Who receives reminders, by role: unit staff by unit, and the bureau staff."""

    def __init__(self):
        self.unit_staff: dict[int, list[int]] = defaultdict(list)
        self.bureau: list[int] = []
        users = User.objects.filter(
            is_active=True,
            receives_reminders=True,
            role__in=[User.Role.UNIT_STAFF, User.Role.BUREAU_STAFF],
        ).values_list("id", "unit_id", "role")
        for pk, unit_id, role in users.order_by("id"):
            if role == User.Role.BUREAU_STAFF:
                self.bureau.append(pk)
            elif unit_id:
                self.unit_staff[unit_id].append(pk)
        self.parent = dict(Unit.objects.values_list("id", "parent_id"))

    def reviewers(self, unit_id: int, drafter_id: int) -> list[int]:
        """The unit staff nearest the case's unit, going up the tree, but the drafter."""
        current, seen = unit_id, set()
        while current is not None and current not in seen:
            seen.add(current)
            found = [pk for pk in self.unit_staff.get(current, ()) if pk != drafter_id]
            if found:
                return found
            current = self.parent.get(current)
        return []


def assistance_step_items(day: datetime.date, case_filter: Q | None = None) -> list:
    """The DueItems of the cases waiting for a step on ``day``, one per recipient (the
    recipient as the item's assignee)."""
    cases = (
        AssistanceCase.objects.filter(status__in=list(SINCE))
        .filter(case_filter or Q())
        .values_list(
            "id",
            "status",
            "unit_id",
            "unit__name",
            "cadre_id",
            "cadre__name",
            "category",
            "created_by_id",
            *SINCE.values(),
        )
        .order_by("id")
    )
    actors = None
    items = []
    for pk, status, unit_id, unit_name, cadre_id, name, category, drafter, *times in cases:
        since = dict(zip(SINCE.values(), times, strict=True))[SINCE[status]]
        if since is None:
            continue
        occurrence = timezone.localdate(since)
        if occurrence > day:
            continue
        if actors is None:
            actors = _Actors()
        step = NEXT_STEP[status]
        recipients = actors.reviewers(unit_id, drafter) if step == Step.REVIEW else actors.bureau
        details = {
            "name": name,
            "case_id": pk,
            "step": step,
            "unit": unit_name,
            "category": category,
            "days": (day - occurrence).days,
        }
        for recipient in recipients:
            items.append(
                DueItem(
                    kind=ReminderKind.ASSISTANCE_STEP,
                    subject_key=f"assistance:{pk}:{step}",
                    occurrence=occurrence,
                    unit_id=unit_id,
                    cadre_id=cadre_id,
                    assignee_id=recipient,
                    details=details,
                )
            )
    return items
