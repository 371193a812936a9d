"""Writes to care needs (来信来访): raising a need, assigning it, and resolving it with
the reply given to the cadre (有访必复), planning the return visit (回访) the reply calls
for."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Cadre, CareNeed, Visit, VisitOccasion
from .visit_services import RETURN_VISIT, _refuse_new_visit, _visit_create


@transaction.atomic
def care_need_raise(*, by: User, cadre: Cadre, **fields: Any) -> CareNeed:
    """Record a request or need (来信来访); every one gets an answer (有访必复)."""
    need = CareNeed(cadre=cadre, **fields)
    if need.assignee_id and need.status == CareNeed.Status.OPEN:
        need.status = CareNeed.Status.IN_PROGRESS
    return _save_need(need, by)


def _save_need(need: CareNeed, by: User) -> CareNeed:
    need.full_clean()
    need._history_user = by
    need.save()
    return need


@transaction.atomic
def care_need_assign(*, need: CareNeed, assignee: User, by: User) -> CareNeed:
    need.assignee = assignee
    need.status = CareNeed.Status.IN_PROGRESS
    return _save_need(need, by)


@transaction.atomic
def care_need_resolve(
    *,
    need: CareNeed,
    resolution: str,
    resolved_on: datetime.date,
    by: User,
    return_visit_on: datetime.date | None = None,
) -> CareNeed:
    """Close a need with the reply given to the cadre. A reply that calls for a return
    visit (回访) by ``return_visit_on`` plans it, for the need's assignee (or else the
    cadre's liaison) to make."""
    need.status = CareNeed.Status.RESOLVED
    need.resolution = resolution
    need.resolved_on = resolved_on
    if return_visit_on is not None:
        if return_visit_on < resolved_on:
            raise ValidationError(
                {"return_visit_on": [_("The return visit is before the need was resolved.")]}
            )
        try:
            _refuse_new_visit(need.cadre)
        except ValidationError as error:
            raise ValidationError({"return_visit_on": error.message_dict["cadre"]}) from None
    _save_need(need, by)
    if return_visit_on is not None:
        _visit_create(
            by=by,
            cadre=need.cadre,
            reason=_("Return visit planned on resolving the need"),
            occasion=VisitOccasion.objects.get(code=RETURN_VISIT),
            status=Visit.Status.PLANNED,
            due_on=return_visit_on,
            care_need=need,
        )
    return need
