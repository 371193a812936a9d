"""The reminder rule of party branches: a committee whose term ends within the lead days
is due for re-election (换届), reminded to the staff of the branch's unit.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Q

from branches.models import BranchRole

from .due_items import DueItem
from .models import ReminderKind, ReminderRule


def branch_term_items(day, rule: ReminderRule, branch_filter: Q | None = None) -> list[DueItem]:
    """Branches whose committee term ends within the lead days (换届)."""
    end = day + datetime.timedelta(days=rule.lead_days)
    terms = (
        BranchRole.objects.filter(
            ended_on__isnull=True,
            role__in=BranchRole.COMMITTEE_ROLES,
            term_ends_on__gte=day,
            term_ends_on__lte=end,
            branch__is_active=True,
        )
        .filter(branch_filter or Q())
        .values("branch_id", "branch__name", "branch__unit_id")
        .annotate(ends=Max("term_ends_on"))
    )
    return [
        DueItem(
            kind=ReminderKind.BRANCH_TERM_ENDING,
            subject_key=f"branch:{row['branch_id']}",
            occurrence=row["ends"],
            unit_id=row["branch__unit_id"],
            branch_id=row["branch_id"],
            details={"branch": row["branch__name"], "days": (row["ends"] - day).days},
        )
        for row in terms
    ]
