"""Writes of the annual unit scorecard: the weights of its measures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import ScorecardMeasure, ScorecardWeight


@transaction.atomic
def scorecard_weights_update(*, weights: dict[str, int], by: User) -> list[ScorecardWeight]:
    """Set the weight of each measure (0 leaves it out of the score); each change is
    kept in the weight's history. At least one measure must count."""
    unknown = set(weights) - set(ScorecardMeasure.values)
    if unknown:
        raise ValueError(f"Unknown measures: {', '.join(sorted(unknown))}")
    if not any(weights.values()):
        raise ValidationError(_("At least one measure must have a weight above 0."))
    saved = []
    for measure, weight in weights.items():
        row = ScorecardWeight.objects.filter(measure=measure).first() or ScorecardWeight(
            measure=measure
        )
        if row.pk and row.weight == weight:
            saved.append(row)
            continue
        row.weight = weight
        row.full_clean()
        row._history_user = by
        row.save()
        saved.append(row)
    return saved
