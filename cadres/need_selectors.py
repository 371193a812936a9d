"""Reads of care needs (来信来访): the list of needs of the user's cadres (by status,
overdue ones apart, open ones first) and one need, narrowed to the user's cadres by
``accounts.scoping`` (another unit's need answers 404)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.scoping import scope_queryset

from .models import CareNeed


def care_need_list(*, user: User, status: str, overdue: bool, today) -> QuerySet[CareNeed]:
    """Needs of the user's cadres: open ones first, by due date."""
    queryset = scope_queryset(
        CareNeed.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.exclude(status=CareNeed.Status.RESOLVED).filter(due_on__lt=today)
    return queryset.select_related("cadre", "cadre__unit", "assignee").order_by(
        F("resolved_on").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "-id"
    )


def care_need_for(*, user: User, pk: int) -> CareNeed:
    queryset = scope_queryset(
        CareNeed.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    return get_object_or_404(queryset.select_related("cadre"), pk=pk)
