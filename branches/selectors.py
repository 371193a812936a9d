"""Reads of party branches: the branch list with its figures, the branch page, and the
branches whose meetings a user may record."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from accounts.models import Unit, User
from accounts.scoping import scope_queryset
from cadres.models import Cadre
from cadres.selectors import cadres_visible_to

from .models import BranchAide, BranchMeeting, BranchRole, PartyBranch

# A committee whose term ends within this many days (or has ended) is due for 换届.
RE_ELECTION_NOTICE = datetime.timedelta(days=60)
LEADING_ROLES = (BranchRole.Role.SECRETARY, BranchRole.Role.DEPUTY)
ROLE_ORDER = {role: index for index, role in enumerate(BranchRole.Role.values)}
KIND_ORDER = [
    PartyBranch.Kind.GENERAL,
    PartyBranch.Kind.INSTITUTIONAL,
    PartyBranch.Kind.FUNCTIONAL,
    PartyBranch.Kind.JOINT,
]
MEETINGS_PER_PAGE = 20


def branches_visible_to(*, user: User) -> QuerySet[PartyBranch]:
    """The branches the user reads: those of their units, or, for a branch secretary,
    the branches they lead."""
    return scope_queryset(PartyBranch.objects.all(), user=user, unit_path="unit", branch_path="")


def branch_for_meeting_edit(*, user: User, pk: int) -> PartyBranch:
    """The branch whose meetings the user records, or 404.

    Unlike the registry, recording 三会一课 is not refused to branch secretaries: it is
    their job. So everyone who reads a branch records its meetings — staff and
    administrators within their units, a secretary or deputy for the branches they lead.
    A branch that is no longer active takes no new meetings.
    """
    return get_object_or_404(
        branches_visible_to(user=user).filter(is_active=True).select_related("unit"), pk=pk
    )


def meeting_for_edit(*, user: User, pk: int) -> BranchMeeting:
    """A meeting of a branch the user records meetings for (see above), or 404."""
    branches = branches_visible_to(user=user)
    return get_object_or_404(
        BranchMeeting.objects.filter(branch__in=branches).select_related("branch__unit"), pk=pk
    )


def meeting_attendee_choices(
    *, branch: PartyBranch, meeting: BranchMeeting | None = None
) -> QuerySet[Cadre]:
    """Who may be ticked as present: the branch's current members, and on an older
    meeting also those already recorded (someone may have left the branch since)."""
    condition = Q(branch_roles__branch=branch, branch_roles__ended_on__isnull=True)
    if meeting is not None and meeting.pk:
        condition |= Q(branch_meetings=meeting)
    return Cadre.objects.filter(condition).distinct().order_by("name_pinyin", "id")


def re_election_due(term_end: datetime.date | None, *, today: datetime.date) -> bool:
    return term_end is not None and term_end <= today + RE_ELECTION_NOTICE


def branch_filter_units(*, user: User) -> QuerySet[Unit]:
    """The units the branch list may be filtered by: those with a branch the user sees."""
    return Unit.objects.filter(pk__in=branches_visible_to(user=user).values("unit"))


def branch_list(*, user: User, filters: dict, today: datetime.date) -> QuerySet[PartyBranch]:
    """The user's branches, searched and filtered, each with its number of current
    members, current secretary and committee term end — one query for any page size."""
    current = Q(roles__ended_on__isnull=True)
    committee = current & Q(roles__role__in=BranchRole.COMMITTEE_ROLES)
    secretary = BranchRole.objects.filter(
        branch=OuterRef("pk"), ended_on__isnull=True, role=BranchRole.Role.SECRETARY
    )
    queryset = (
        branches_visible_to(user=user)
        .select_related("unit", "parent")
        .annotate(
            member_count=Count("roles", filter=current),
            term_end=Min("roles__term_ends_on", filter=committee),
            secretary_name=Subquery(secretary.values("cadre__name")[:1]),
            kind_order=Case(
                *(When(kind=kind, then=Value(index)) for index, kind in enumerate(KIND_ORDER)),
                output_field=IntegerField(),
            ),
        )
    )
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(name__contains=text)
    if filters.get("unit"):
        queryset = queryset.filter(unit=filters["unit"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("due"):
        queryset = queryset.filter(term_end__lte=today + RE_ELECTION_NOTICE)
    # Natural order of names: 第2支部 before 第10支部 (branches/natural_order.py).
    return queryset.order_by("-is_active", "kind_order", "sort_key", "id")


@dataclass
class CommitteeAges:
    """The average ages of a committee (支部班子): of the secretaries and deputies, and
    of all its members (secretary, deputy, committee members)."""

    leader_ages: list[int] = field(default_factory=list)
    committee_ages: list[int] = field(default_factory=list)

    @property
    def leaders_average(self) -> float | None:
        return _average(self.leader_ages)

    @property
    def committee_average(self) -> float | None:
        return _average(self.committee_ages)

    def add(self, role: str, age: int) -> None:
        self.committee_ages.append(age)
        if role in LEADING_ROLES:
            self.leader_ages.append(age)


def _average(ages: list[int]) -> float | None:
    return round(sum(ages) / len(ages), 1) if ages else None


@dataclass
class BranchListFigures:
    per_branch: dict[int, CommitteeAges]
    overall: CommitteeAges
    members: int
    due: int


def branch_list_figures(
    *, branches: QuerySet[PartyBranch], today: datetime.date
) -> BranchListFigures:
    """Committee ages per branch and over all the listed branches (weighted by person,
    as the seed reports count them), the number of current members and of committees
    due for re-election, in two queries whatever the number of branches.

    Ages are worked out in Python from one read of the current committee rows, so the
    same code runs on SQLite and PostgreSQL."""
    rows = (
        BranchRole.objects.filter(
            branch__in=branches.order_by().values("pk"),
            ended_on__isnull=True,
            role__in=BranchRole.COMMITTEE_ROLES,
        )
        .select_related("cadre")
        .only("branch_id", "role", "term_ends_on", "cadre__birth_date")
        .order_by()
    )
    per_branch: dict[int, CommitteeAges] = defaultdict(CommitteeAges)
    overall = CommitteeAges()
    term_ends: dict[int, datetime.date] = {}
    for row in rows:
        age = row.cadre.age_on(today)
        per_branch[row.branch_id].add(row.role, age)
        overall.add(row.role, age)
        if row.term_ends_on and (
            row.branch_id not in term_ends or row.term_ends_on < term_ends[row.branch_id]
        ):
            term_ends[row.branch_id] = row.term_ends_on
    members = BranchRole.objects.filter(
        branch__in=branches.order_by().values("pk"), ended_on__isnull=True
    ).count()
    due = sum(1 for end in term_ends.values() if re_election_due(end, today=today))
    return BranchListFigures(per_branch=dict(per_branch), overall=overall, members=members, due=due)


def branch_detail(*, user: User, pk: int) -> PartyBranch:
    """One of the user's branches, or 404."""
    return get_object_or_404(branches_visible_to(user=user).select_related("unit", "parent"), pk=pk)


@dataclass
class PreviousTerm:
    started_on: datetime.date
    ended_on: datetime.date
    roles: list[BranchRole]
    ages: CommitteeAges


@dataclass
class BranchPage:
    """What the branch page shows besides the meetings."""

    committee: list[BranchRole]
    committee_ages: CommitteeAges
    term_end: datetime.date | None
    re_election_due: bool
    previous_terms: list[PreviousTerm]
    members: list[BranchRole]
    members_average_age: float | None
    parent_visible: bool
    sub_branches: list[PartyBranch]


def branch_page(*, user: User, branch: PartyBranch, today: datetime.date) -> BranchPage:
    """The committee with its terms, earlier committees, the current members with their
    ages, and the related branches — in a fixed number of queries.

    A member's name links to the cadre page only where the user may open it: a branch
    secretary reads the branch's current members but not those who have left it."""
    roles = list(branch.roles.select_related("cadre__unit"))
    visible = set(
        cadres_visible_to(user=user)
        .filter(pk__in={role.cadre_id for role in roles})
        .values_list("pk", flat=True)
    )
    for role in roles:
        role.cadre_visible = role.cadre_id in visible
        role.age = role.cadre.age_on(today if role.ended_on is None else role.started_on)

    def by_role(role: BranchRole):
        return (ROLE_ORDER[role.role], role.cadre.name_pinyin, role.pk)

    current = sorted((role for role in roles if role.ended_on is None), key=by_role)
    committee = [role for role in current if role.role in BranchRole.COMMITTEE_ROLES]
    committee_ages = CommitteeAges()
    for role in committee:
        committee_ages.add(role.role, role.age)
    term_end = min((role.term_ends_on for role in committee if role.term_ends_on), default=None)

    # Earlier committees, grouped by the day their term ended (a re-election ends them
    # together); each member's age is the age at the start of that term.
    ended: dict[datetime.date, list[BranchRole]] = defaultdict(list)
    for role in roles:
        if role.ended_on is not None and role.role in BranchRole.COMMITTEE_ROLES:
            ended[role.ended_on].append(role)
    previous_terms = []
    for ended_on in sorted(ended, reverse=True):
        term_roles = sorted(ended[ended_on], key=by_role)
        ages = CommitteeAges()
        for role in term_roles:
            ages.add(role.role, role.age)
        previous_terms.append(
            PreviousTerm(
                started_on=min(role.started_on for role in term_roles),
                ended_on=ended_on,
                roles=term_roles,
                ages=ages,
            )
        )

    related = list(
        branches_visible_to(user=user)
        .filter(Q(parent=branch) | Q(pk=branch.parent_id))
        .order_by("sort_key", "id")
    )
    return BranchPage(
        committee=committee,
        committee_ages=committee_ages,
        term_end=term_end,
        re_election_due=re_election_due(term_end, today=today),
        previous_terms=previous_terms,
        members=current,
        members_average_age=_average([role.age for role in current]),
        parent_visible=any(item.pk == branch.parent_id for item in related),
        sub_branches=[item for item in related if item.parent_id == branch.pk],
    )


def branch_meetings(*, branch: PartyBranch) -> QuerySet[BranchMeeting]:
    """The branch's meetings, newest first, with their attendance (two queries a page:
    the rows with their attendee count, and the attendees' names)."""
    return (
        branch.meetings.annotate(attendee_count=Count("attendees"))
        .prefetch_related(
            Prefetch("attendees", queryset=Cadre.objects.only("id", "name").order_by("name_pinyin"))
        )
        .order_by("-held_on", "-id")
    )


def branch_meeting_tally(*, branch: PartyBranch, year: int) -> list[tuple[str, str, int]]:
    """How many meetings of each kind (三会一课, 主题党日) the branch held in the year:
    ``(kind, label, count)`` for every kind, zero included."""
    counts = dict(
        branch.meetings.filter(held_on__year=year)
        .values_list("kind")
        .annotate(total=Count("id"))
        .order_by()
    )
    return [(kind, label, counts.get(kind, 0)) for kind, label in BranchMeeting.Kind.choices]


# In-service aides (在职干部协助) ----------------------------------------------------------------


def branch_aides(*, branch: PartyBranch) -> tuple[list[BranchAide], list[BranchAide]]:
    """The branch's current aides and its earlier ones (latest first), in one query."""
    aides = list(branch.aides.select_related("user__unit").order_by("-started_on", "-id"))
    current = [aide for aide in aides if aide.ended_on is None]
    earlier = sorted(
        (aide for aide in aides if aide.ended_on is not None),
        key=lambda aide: (aide.ended_on, aide.pk),
        reverse=True,
    )
    return current, earlier


def branch_for_aide_edit(*, user: User, pk: int) -> PartyBranch:
    """A branch of the user's units whose aides they assign, or 404 (the view refuses
    those who only read first)."""
    return get_object_or_404(
        branches_visible_to(user=user).filter(is_active=True).select_related("unit"), pk=pk
    )


def aide_for_edit(*, user: User, pk: int) -> BranchAide:
    """A current aide of a branch of the user's units, or 404."""
    return get_object_or_404(
        BranchAide.objects.filter(
            branch__in=branches_visible_to(user=user), ended_on__isnull=True
        ).select_related("branch__unit", "user"),
        pk=pk,
    )
