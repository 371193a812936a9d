"""Reads of activities, teams, honours and suggestions.

Activities and teams belong to a unit; attendances, memberships and suggestions belong to
a cadre as well, so a branch secretary sees those of the members of the branches they
lead."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Unit, User
from accounts.scoping import can_edit_registry, scope_filter, scope_queryset
from branches.models import PartyBranch
from cadres.models import CadreStatus
from cadres.selectors import cadres_visible_to

from .models import Activity, Attendance, Honour, Suggestion, Team, TeamMembership


class RecipientKind:
    """Who an honour went to: a cadre (个人荣誉) or a branch or team (集体荣誉)."""

    CADRE = "cadre"
    BRANCH = "branch"
    TEAM = "team"
    values = (CADRE, BRANCH, TEAM)


def activities_visible_to(*, user: User) -> QuerySet[Activity]:
    """The activities of the user's units: those they organise, edit and check in."""
    return scope_queryset(Activity.objects.all(), user=user, unit_path="unit")


def activities_readable_by(*, user: User) -> QuerySet[Activity]:
    """The activities the user may open: their units' own, and, to read only, those of
    other units in which any of the user's cadres took part (the cadre page's timeline
    links to them). Each carries ``is_own``: whether it is one of the user's units'
    activities (editable, with check-in) or another unit's (read-only)."""
    own = scope_filter(user=user, unit_path="unit")
    if not own:
        return Activity.objects.annotate(is_own=Value(True, output_field=BooleanField()))
    taken_part = Exists(
        Attendance.objects.filter(activity=OuterRef("pk")).filter(
            scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")
        )
    )
    return Activity.objects.filter(own | taken_part).annotate(
        is_own=ExpressionWrapper(own, output_field=BooleanField())
    )


def teams_visible_to(*, user: User) -> QuerySet[Team]:
    return scope_queryset(Team.objects.all(), user=user, unit_path="unit")


def units_visible_to(*, user: User) -> QuerySet[Unit]:
    return scope_queryset(Unit.objects.all(), user=user, unit_path="")


def branches_visible_to(*, user: User) -> QuerySet[PartyBranch]:
    return scope_queryset(
        PartyBranch.objects.exclude(kind=PartyBranch.Kind.GENERAL),
        user=user,
        unit_path="unit",
        branch_path="",
    )


def cadres_to_choose(*, user: User):
    """The cadres a form may newly name: the user's own, on the register."""
    return cadres_visible_to(user=user).filter(status=CadreStatus.ON_REGISTER)


def attendances_visible_to(*, user: User) -> QuerySet[Attendance]:
    """The attendances of the user's units' activities (whoever the cadre), and those of
    the user's own cadres at other units' activities."""
    return scope_queryset(
        Attendance.objects.all(),
        user=user,
        unit_path=("activity__unit", "cadre__unit"),
        cadre_path="cadre",
    )


def memberships_visible_to(*, user: User) -> QuerySet[TeamMembership]:
    return scope_queryset(
        TeamMembership.objects.all(), user=user, unit_path="team__unit", cadre_path="cadre"
    )


def honours_visible_to(*, user: User) -> QuerySet[Honour]:
    """Honours whose recipient the user may see. Each kind of recipient is scoped on its
    own path, so a branch secretary sees the honours of their members and of the branches
    they lead; for everyone else this is the recipient's unit."""
    honours = Honour.objects.all()
    individual = scope_queryset(
        honours.filter(cadre__isnull=False),
        user=user,
        unit_path="cadre__unit",
        cadre_path="cadre",
    )
    of_branch = scope_queryset(
        honours.filter(branch__isnull=False),
        user=user,
        unit_path="branch__unit",
        branch_path="branch",
    )
    of_team = scope_queryset(honours.filter(team__isnull=False), user=user, unit_path="team__unit")
    return individual | of_branch | of_team


def suggestions_visible_to(*, user: User) -> QuerySet[Suggestion]:
    return scope_queryset(
        Suggestion.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )


# Activities ------------------------------------------------------------------------------


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def activity_list(*, user: User, filters: dict) -> QuerySet[Activity]:
    """The activities the user may open, newest first, searched and filtered, each with
    the number on its list, the number who attended and their volunteer hours (one query
    per page). Other units' activities (``is_own`` false) count the user's cadres only,
    as their pages list them."""
    queryset = activities_readable_by(user=user)
    if filters.get("q"):
        queryset = queryset.filter(title__contains=filters["q"].strip())
    if filters.get("date_from"):
        queryset = queryset.filter(starts_at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        next_day = filters["date_to"] + datetime.timedelta(days=1)
        queryset = queryset.filter(starts_at__lt=_local_midnight(next_day))
    for field in ("kind", "unit", "team"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    # An own activity counts everyone on its list; another unit's the user's cadres.
    own = scope_filter(user=user, unit_path="unit")
    listed = (
        own
        | scope_filter(
            user=user, unit_path="attendances__cadre__unit", cadre_path="attendances__cadre"
        )
        if own
        else Q()
    )
    attended = listed & Q(attendances__status=Attendance.Status.ATTENDED)
    return (
        queryset.select_related("unit", "team")
        .annotate(
            listed_count=Count("attendances", filter=listed),
            attended_count=Count("attendances", filter=attended),
            hours_total=Coalesce(
                Sum("attendances__volunteer_hours", filter=attended),
                Value(0),
                output_field=DecimalField(max_digits=9, decimal_places=1),
            ),
        )
        .order_by("-starts_at", "-id")
    )


def activity_month(*, user: User, first: datetime.date) -> list[list[dict]]:
    """The month grid of ``first``'s month (Monday to Sunday, whole weeks), each day with
    the user's activities that start on it, in one query."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    start, end = weeks[0][0], weeks[-1][-1] + datetime.timedelta(days=1)
    by_day: dict[datetime.date, list[Activity]] = defaultdict(list)
    for activity in (
        activities_readable_by(user=user)
        .filter(starts_at__gte=_local_midnight(start), starts_at__lt=_local_midnight(end))
        .select_related("unit")
        .order_by("starts_at", "id")
    ):
        by_day[timezone.localtime(activity.starts_at).date()].append(activity)
    return [
        [
            {"date": day, "in_month": day.month == first.month, "activities": by_day.get(day, [])}
            for day in week
        ]
        for week in weeks
    ]


def activity_detail(*, user: User, pk: int) -> Activity:
    """An activity the user may open (404 otherwise) with what its page shows; another
    unit's (``is_own`` false) is for reading only."""
    queryset = activities_readable_by(user=user).select_related("unit", "team", "branch")
    return get_object_or_404(queryset, pk=pk)


def activity_for_edit(*, user: User, pk: int) -> Activity:
    """One of the user's units' activities, to edit or read the history of (404 for
    another unit's, even one the user's cadres took part in)."""
    queryset = activities_visible_to(user=user).select_related("unit", "team", "branch")
    return get_object_or_404(queryset, pk=pk)


def activity_attendances(*, user: User, activity: Activity) -> list[Attendance]:
    """The activity's list of participants that the user may see, by name."""
    return list(
        attendances_visible_to(user=user)
        .filter(activity=activity)
        .select_related("cadre", "cadre__unit")
        .order_by("cadre__name_pinyin", "id")
    )


def attendance_editable_cadre_ids(*, user: User, cadre_ids) -> set[int]:
    """Of ``cadre_ids``, the cadres whose attendance the user may change: their own
    cadres. An activity of the user's unit may list other units' cadres; the user reads
    those rows but their own unit records them. Nothing for those who only read."""
    if not can_edit_registry(user=user):
        return set()
    return set(
        cadres_visible_to(user=user)
        .filter(pk__in=list(cadre_ids))
        .order_by()
        .values_list("pk", flat=True)
    )


def activity_suggestions(*, user: User, activity: Activity) -> QuerySet[Suggestion]:
    return (
        suggestions_visible_to(user=user).filter(activity=activity).select_related("cadre")
    ).order_by("-submitted_on", "-id")


# Teams -----------------------------------------------------------------------------------


def team_list(*, user: User, filters: dict) -> QuerySet[Team]:
    """The user's teams with their member count and leader's name (fixed query count)."""
    queryset = teams_visible_to(user=user)
    if filters.get("q"):
        queryset = queryset.filter(name__contains=filters["q"].strip())
    for field in ("kind", "unit"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    if not filters.get("include_inactive"):
        queryset = queryset.filter(is_active=True)
    # The leader's name only when the user may see them (a branch secretary sees the
    # teams of their unit but only their own members).
    leaders = (
        memberships_visible_to(user=user).filter(team=OuterRef("pk"), is_leader=True).order_by("id")
    )
    return (
        queryset.select_related("unit", "branch")
        .annotate(
            member_count=Count("memberships"),
            leader_name=Subquery(leaders.values("cadre__name")[:1]),
        )
        .order_by("unit__sort_order", "unit__name", "kind", "name", "id")
    )


def team_detail(*, user: User, pk: int) -> Team:
    return get_object_or_404(teams_visible_to(user=user).select_related("unit", "branch"), pk=pk)


def team_members(*, user: User, team: Team) -> list[TeamMembership]:
    """Current members the user may see: the leader first, then by name."""
    return list(
        memberships_visible_to(user=user)
        .filter(team=team)
        .select_related("cadre", "cadre__unit")
        .order_by("-is_leader", "cadre__name_pinyin", "id")
    )


def team_recent_activities(*, team: Team, limit: int = 10) -> list[Activity]:
    return list(team.activities.order_by("-starts_at", "-id")[:limit])


def membership_for(*, user: User, pk: int) -> TeamMembership:
    queryset = memberships_visible_to(user=user).select_related("team", "cadre", "cadre__unit")
    return get_object_or_404(queryset, pk=pk)


# Honours ---------------------------------------------------------------------------------


def honour_list(*, user: User, filters: dict) -> QuerySet[Honour]:
    queryset = honours_visible_to(user=user)
    if filters.get("year"):
        queryset = queryset.filter(year=filters["year"])
    if filters.get("level"):
        queryset = queryset.filter(level=filters["level"])
    recipient = filters.get("recipient")
    if recipient in RecipientKind.values:
        queryset = queryset.filter(**{f"{recipient}__isnull": False})
    if filters.get("q"):
        text = filters["q"].strip()
        queryset = queryset.filter(
            Q(title__contains=text)
            | Q(cadre__name__contains=text)
            | Q(branch__name__contains=text)
            | Q(team__name__contains=text)
        )
    return queryset.select_related(
        "cadre", "cadre__unit", "branch", "branch__unit", "team", "team__unit"
    ).order_by("-year", "title", "id")


def honour_years(*, user: User) -> list[int]:
    """The years in which the user's honours were awarded, newest first."""
    return sorted(set(honours_visible_to(user=user).values_list("year", flat=True)), reverse=True)


# Suggestions -----------------------------------------------------------------------------


def suggestion_list(*, user: User, filters: dict) -> QuerySet[Suggestion]:
    queryset = suggestions_visible_to(user=user)
    for field in ("status", "category"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    if filters.get("q"):
        text = filters["q"].strip()
        queryset = queryset.filter(
            Q(title__contains=text) | Q(text__contains=text) | Q(cadre__name__contains=text)
        )
    return queryset.select_related("cadre", "cadre__unit", "activity").order_by(
        "-submitted_on", "-id"
    )


def suggestion_status_counts(*, user: User) -> list[dict]:
    """Each status with the number of the user's suggestions in it, in one query."""
    counts = dict(
        suggestions_visible_to(user=user)
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Suggestion.Status.choices
    ]


def suggestion_for(*, user: User, pk: int) -> Suggestion:
    queryset = suggestions_visible_to(user=user).select_related("cadre", "cadre__unit")
    return get_object_or_404(queryset, pk=pk)
