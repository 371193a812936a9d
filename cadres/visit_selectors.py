"""Reads of visits: the filtered visit list, and visits as work items: one visit's
page, the to-do list of planned visits (待办走访) and its summary on the dashboard, and the
follow-up (跟进) conditions of the visit list. Every read is narrowed to the user's
cadres by ``accounts.scoping``."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.scoping import scope_filter, scope_queryset

from .models import Visit

# The to-do list shows, unless asked otherwise, what is overdue and what falls due
# within this many days.
TO_DO_DAYS_AHEAD = 7
DASHBOARD_TO_DO_SHOWN = 5
CONDOLENCE = "condolence"


def visits_visible_to(*, user: User) -> QuerySet[Visit]:
    return scope_queryset(
        Visit.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )


def visit_for(*, user: User, pk: int) -> Visit:
    """One visit of the user's cadres with what its page shows, in a fixed number of
    queries; any other visit answers 404."""
    queryset = (
        visits_visible_to(user=user)
        .select_related(
            "cadre",
            "cadre__unit",
            "cadre__liaison",
            "occasion",
            "recorded_by",
            "follow_up_of",
            "follow_up_of__occasion",
            "care_need",
            "care_need__assignee",
        )
        .prefetch_related("visitors", "follow_ups__occasion")
    )
    return get_object_or_404(queryset, pk=pk)


# Follow-ups (跟进) ----------------------------------------------------------------------------


def _follow_ups(**conditions) -> QuerySet[Visit]:
    return Visit.objects.filter(follow_up_of=OuterRef("pk"), **conditions)


def follow_up_pending_q() -> Q:
    """Visits asking for a follow-up that is not done (nor called off) yet."""
    closed = _follow_ups(status__in=[Visit.Status.DONE, Visit.Status.CANCELLED])
    return Q(status=Visit.Status.DONE, follow_up_needed=True) & ~Q(Exists(closed))


def follow_up_overdue_q(*, today: datetime.date) -> Q:
    """Pending follow-ups whose date has passed: the planned follow-up's due date (it may
    have been rescheduled), or the visit's 跟进 date when none was planned."""
    late = _follow_ups(status=Visit.Status.PLANNED, due_on__lt=today)
    unplanned_late = Q(follow_up_by__lt=today) & ~Q(Exists(_follow_ups()))
    return follow_up_pending_q() & (Q(Exists(late)) | unplanned_late)


# The to-do list (待办走访) -----------------------------------------------------------------


def planned_visits(*, user: User) -> QuerySet[Visit]:
    return visits_visible_to(user=user).filter(status=Visit.Status.PLANNED)


def _in_todo_order(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    """By due date, the most overdue first; on one day the condolence visit first."""
    return queryset.annotate(
        condolence_first=Case(
            When(occasion__code=CONDOLENCE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("due_on", "condolence_first", "cadre__name_pinyin", "id")


def visit_todo_list(*, user: User, filters: dict, today: datetime.date) -> QuerySet[Visit]:
    """Planned visits of the user's cadres, filtered: ``when`` ("" — overdue or due
    within TO_DO_DAYS_AHEAD days —, "overdue", "today", "all"), ``occasion``, ``kind``
    ("planned", "follow_up", "return_visit"), ``liaison`` (a user) or ``mine``."""
    queryset = planned_visits(user=user)
    when = filters.get("when") or ""
    if when == "overdue":
        queryset = queryset.filter(due_on__lt=today)
    elif when == "today":
        queryset = queryset.filter(due_on=today)
    elif when != "all":
        queryset = queryset.filter(due_on__lte=today + datetime.timedelta(days=TO_DO_DAYS_AHEAD))
    if filters.get("occasion"):
        queryset = queryset.filter(occasion=filters["occasion"])
    kind = filters.get("kind")
    if kind == "follow_up":
        queryset = queryset.filter(follow_up_of__isnull=False)
    elif kind == "return_visit":
        queryset = queryset.filter(care_need__isnull=False)
    elif kind == "planned":
        queryset = queryset.filter(follow_up_of__isnull=True, care_need__isnull=True)
    if filters.get("mine"):
        queryset = queryset.filter(cadre__liaison=user)
    elif filters.get("liaison"):
        queryset = queryset.filter(cadre__liaison=filters["liaison"])
    return _in_todo_order(
        queryset.select_related(
            "cadre",
            "cadre__unit",
            "cadre__liaison",
            "occasion",
            "follow_up_of",
            "care_need",
        )
    )


def visit_todo_summary(*, user: User, today: datetime.date) -> dict:
    """The dashboard's 待办走访 panel: how many planned visits are overdue, due today and
    due in the coming days, and the first few of them."""
    ahead = today + datetime.timedelta(days=TO_DO_DAYS_AHEAD)
    queryset = planned_visits(user=user)
    due = queryset.filter(due_on__lte=ahead)
    if scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre"):
        # A unit's planned visits are a few hundred: their dates and keys are read once
        # (from the indexes alone; a bound on the date would mislead the planner into
        # looking up the cadre of every visit due in the province), counted here, and
        # the first few read whole.
        dates = sorted(
            (day, pk) for day, pk in queryset.order_by().values_list("due_on", "pk") if day <= ahead
        )
        counts = {
            "overdue": sum(1 for day, _pk in dates if day < today),
            "today": sum(1 for day, _pk in dates if day == today),
            "coming": sum(1 for day, _pk in dates if day > today),
        }
        last = dates[DASHBOARD_TO_DO_SHOWN - 1][0] if len(dates) >= DASHBOARD_TO_DO_SHOWN else ahead
        due = Visit.objects.filter(pk__in=[pk for day, pk in dates if day <= last])
    else:
        # Counted by due date (each condition needs one): read from the index of planned
        # visits by date alone.
        counts = queryset.aggregate(
            overdue=Count("due_on", filter=Q(due_on__lt=today)),
            today=Count("due_on", filter=Q(due_on=today)),
            coming=Count("due_on", filter=Q(due_on__gt=today, due_on__lte=ahead)),
        )
        # The first few are due no later than the few-th earliest date: only the visits
        # up to that day are joined and sorted by name (a province has a thousand a week).
        nth_date = due.order_by("due_on").values_list("due_on", flat=True)[
            DASHBOARD_TO_DO_SHOWN - 1 : DASHBOARD_TO_DO_SHOWN
        ]
        if nth_date:
            due = due.filter(due_on__lte=nth_date[0])
    # Only what the panel shows of them.
    first = list(
        _in_todo_order(due.select_related("cadre", "occasion")).only(
            "due_on", "cadre__name", "cadre__status", "occasion__name"
        )[:DASHBOARD_TO_DO_SHOWN]
    )
    return {
        **counts,
        "due": counts["overdue"] + counts["today"] + counts["coming"],
        "first": first,
        "days_ahead": TO_DO_DAYS_AHEAD,
    }


def visit_list(*, user: User, filters: dict) -> QuerySet[Visit]:
    """Visits of the user's cadres, newest first, filtered; fixed query count per page."""
    queryset = scope_queryset(
        Visit.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    if filters.get("date_from"):
        queryset = queryset.filter(
            Q(visited_on__gte=filters["date_from"])
            | Q(visited_on__isnull=True, due_on__gte=filters["date_from"])
        )
    if filters.get("date_to"):
        queryset = queryset.filter(
            Q(visited_on__lte=filters["date_to"])
            | Q(visited_on__isnull=True, due_on__lte=filters["date_to"])
        )
    for field in ("occasion", "status"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    if filters.get("unit"):
        queryset = queryset.filter(cadre__unit=filters["unit"])
    if filters.get("visitor"):
        queryset = queryset.filter(visitors=filters["visitor"])
    if filters.get("follow_up") == "pending":
        queryset = queryset.filter(follow_up_pending_q())
    elif filters.get("follow_up") == "overdue":
        queryset = queryset.filter(follow_up_overdue_q(today=timezone.localdate()))
    return (
        queryset.select_related("cadre", "cadre__unit", "occasion")
        .prefetch_related("visitors")
        .order_by(F("visited_on").desc(nulls_first=True), "-due_on", "-id")
    )
