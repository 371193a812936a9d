"""The reminder rule of care needs (诉求): an open or in-progress need past its due date
is reminded to its assignee (or the cadre's liaison, or their unit's staff), once per
due date.
"""

from __future__ import annotations

from django.db.models import Q

from cadres.models import CadreStatus, CareNeed

from .due_items import DueItem
from .models import ReminderKind


def care_need_items(day, need_filter: Q | None = None) -> list[DueItem]:
    needs = (
        CareNeed.objects.filter(
            status__in=[CareNeed.Status.OPEN, CareNeed.Status.IN_PROGRESS],
            due_on__lt=day,
            cadre__status=CadreStatus.ON_REGISTER,
        )
        .filter(need_filter or Q())
        .values_list(
            "id",
            "due_on",
            "category",
            "description",
            "assignee_id",
            "cadre_id",
            "cadre__name",
            "cadre__unit_id",
            "cadre__liaison_id",
        )
        .order_by("due_on")
    )
    labels = dict(CareNeed.Category.choices)
    return [
        DueItem(
            kind=ReminderKind.CARE_NEED_OVERDUE,
            subject_key=f"need:{pk}",
            occurrence=due_on,
            unit_id=unit_id,
            cadre_id=cadre_id,
            liaison_id=liaison_id,
            assignee_id=assignee_id,
            details={
                "name": name,
                "category": str(labels.get(category, category)),
                "description": description[:80],
                "days": (day - due_on).days,
            },
        )
        for (
            pk,
            due_on,
            category,
            description,
            assignee_id,
            cadre_id,
            name,
            unit_id,
            liaison_id,
        ) in needs
    ]
