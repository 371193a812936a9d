"""Reads of 特困帮扶 cases: the cases a user may see, the filtered list, the steps
waiting for the user (待办帮扶, the dashboard card), and the eligibility hints the
register gives for a cadre."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import scope_queryset, visible_unit_ids
from cadres.models import Cadre, Hardship, Health, LivingSituation, Visit

from .models import AssistanceCase, AssistanceDocument, Status
from .steps import NEXT_STEP, STEP_ACTORS, STEP_LABELS, is_bureau, is_unit_staff

# A visit for a serious family difficulty or bereavement (五必访) within this many days
# counts as a recent death or crisis in the family: the register has no other marker.
FAMILY_CRISIS_DAYS = 365
FAMILY_CRISIS_OCCASION = "family_difficulty"
# The statuses that wait for the bureau, and the one that waits for the unit's review.
BUREAU_PENDING = [Status.REVIEWED, Status.APPROVED, Status.PAID]
UNIT_PENDING = [Status.SUBMITTED]


def cases_visible_to(*, user: User) -> QuerySet[AssistanceCase]:
    """The cases of the user's units (a branch secretary: of their branches' members)."""
    return scope_queryset(
        AssistanceCase.objects.all(), user=user, unit_path="unit", cadre_path="cadre"
    )


def case_for(*, user: User, pk: int) -> AssistanceCase:
    """One case of the user's scope with what its page shows, else 404."""
    queryset = cases_visible_to(user=user).select_related(
        "cadre",
        "cadre__unit",
        "unit",
        "created_by",
        "submitted_by",
        "reviewed_by",
        "decided_by",
        "paid_by",
        "closed_by",
    )
    return get_object_or_404(queryset, pk=pk)


def document_for(*, user: User, pk: int) -> AssistanceDocument:
    """A document of a case of the user's scope, else 404."""
    queryset = scope_queryset(
        AssistanceDocument.objects.select_related("case"),
        user=user,
        unit_path="case__unit",
        cadre_path="case__cadre",
    )
    return get_object_or_404(queryset, pk=pk)


def case_list(
    *,
    user: User,
    status: str = "",
    category: str = "",
    unit_id: int | None = None,
    year: int | None = None,
    search: str = "",
) -> QuerySet[AssistanceCase]:
    """The case list with its filters, newest first; the rows with their cadre and unit
    (a fixed number of queries however many rows)."""
    queryset = cases_visible_to(user=user).select_related("cadre", "unit")
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if year:
        queryset = queryset.filter(created_at__range=year_range(year))
    if search:
        queryset = queryset.filter(
            Q(cadre__name__icontains=search)
            | Q(cadre__name_initials__istartswith=search.lower())
            | Q(cadre__name_pinyin__icontains=search.lower())
        )
    return queryset.order_by("-created_at", "-id")


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year's first and last instants in the local time zone (Asia/Shanghai)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year, 12, 31, 23, 59, 59, 999999, tzinfo=zone)
    return start, end


def _pending_filter(user: User) -> Q | None:
    """The cases waiting for this user's step; ``None`` when the user takes no step."""
    if is_bureau(user):
        return Q(status__in=BUREAU_PENDING)
    if is_unit_staff(user):
        # The drafter does not review their own application.
        return Q(status__in=UNIT_PENDING) & ~Q(created_by=user)
    return None


def pending_cases(*, user: User) -> QuerySet[AssistanceCase]:
    """待办帮扶: the cases whose next step is the user's, oldest waiting first."""
    condition = _pending_filter(user)
    if condition is None:
        return AssistanceCase.objects.none()
    return (
        cases_visible_to(user=user)
        .filter(condition)
        .select_related("cadre", "unit")
        .order_by("submitted_at", "id")
    )


def pending_summary(*, user: User) -> dict | None:
    """The dashboard's card: how many cases wait for each of the user's steps, in one
    aggregate query on the (status, unit) index; ``None`` for those who take no step."""
    condition = _pending_filter(user)
    if condition is None:
        return None
    queryset = AssistanceCase.objects.filter(condition)
    units = visible_unit_ids(user=user)
    if units is not None:
        queryset = queryset.filter(unit_id__in=units)
    counts = dict(queryset.order_by().values_list("status").annotate(count=Count("id")))
    statuses = BUREAU_PENDING if is_bureau(user) else UNIT_PENDING
    steps = [
        {
            "status": status,
            "label": STEP_LABELS[NEXT_STEP[status]],
            "count": counts.get(status, 0),
        }
        for status in statuses
    ]
    return {"steps": steps, "total": sum(step["count"] for step in steps)}


def next_step(case: AssistanceCase) -> dict | None:
    """The step the case waits for and who takes it, for its page and the lists."""
    step = NEXT_STEP.get(case.status)
    if step is None:
        return None
    return {"step": step, "label": STEP_LABELS[step], "actor": STEP_ACTORS[step]}


def eligibility_hints(*, cadre: Cadre, today: datetime.date | None = None) -> list[dict]:
    """What the register says for the case: hardship, living alone, in hospital, and a
    recent serious family difficulty or bereavement (a 五必访 visit for it within the
    last year — family contacts carry no date of death). One query at most."""
    today = today or timezone.localdate()
    hints = []
    if cadre.hardship != Hardship.NONE:
        hints.append({"code": "hardship", "text": cadre.get_hardship_display(), "note": ""})
    if cadre.living_situation == LivingSituation.ALONE:
        hints.append({"code": "alone", "text": cadre.get_living_situation_display(), "note": ""})
    if cadre.health == Health.IN_HOSPITAL:
        since = cadre.health_changed_on
        hints.append(
            {
                "code": "hospital",
                "text": cadre.get_health_display(),
                "note": _("since %(date)s") % {"date": since.isoformat()} if since else "",
            }
        )
    crisis = (
        Visit.objects.filter(
            cadre=cadre,
            occasion__code=FAMILY_CRISIS_OCCASION,
            status=Visit.Status.DONE,
            visited_on__gte=today - datetime.timedelta(days=FAMILY_CRISIS_DAYS),
        )
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    if crisis:
        hints.append(
            {
                "code": "family",
                "text": _("Serious family difficulty or bereavement"),
                "note": _("visited on %(date)s") % {"date": crisis.isoformat()},
            }
        )
    return hints
