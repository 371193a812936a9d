"""Reads of the registry."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import scope_queryset

from .models import Cadre, CareNeed, Visit


def cadres_visible_to(*, user: User) -> QuerySet[Cadre]:
    return scope_queryset(Cadre.objects.all(), user=user, unit_path="unit")


def cadre_detail(*, user: User, pk: int) -> Cadre:
    """One cadre with what the cadre page shows, in a fixed number of queries; a cadre
    outside the user's scope answers 404."""
    queryset = (
        cadres_visible_to(user=user)
        .select_related("unit", "liaison", "account")
        .prefetch_related(
            "family_contacts",
            Prefetch(
                "visits",
                queryset=Visit.objects.select_related("occasion").prefetch_related("visitors"),
                to_attr="all_visits",
            ),
            Prefetch(
                "care_needs",
                queryset=CareNeed.objects.select_related("assignee"),
                to_attr="all_needs",
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)
