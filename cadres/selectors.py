"""Reads of the registry."""

from __future__ import annotations

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.models import Unit, User
from accounts.scoping import scope_queryset

from .age_bands import age_band_q
from .models import Cadre, CadreStatus, CareNeed, PoliticalStatus, Visit

# Branch models are reached through the reverse relation, not imported: branches sit
# above cadres in the app order.
BranchRole = Cadre._meta.get_field("branch_roles").related_model
PartyBranch = BranchRole._meta.get_field("branch").related_model

SORTS = {
    "name": ("name_pinyin", "id"),
    "-name": ("-name_pinyin", "-id"),
    "age": ("-birth_date", "id"),
    "-age": ("birth_date", "id"),
    "unit": ("unit__sort_order", "unit__name", "name_pinyin", "id"),
    "-unit": ("-unit__sort_order", "-unit__name", "name_pinyin", "id"),
}


def cadres_visible_to(*, user: User) -> QuerySet[Cadre]:
    return scope_queryset(Cadre.objects.all(), user=user, unit_path="unit", cadre_path="")


def registry_filter_choices(*, user: User) -> dict[str, QuerySet]:
    """The units, branches and liaisons the registry filters may offer this user."""
    return {
        "units": scope_queryset(Unit.objects.all(), user=user, unit_path=""),
        "branches": scope_queryset(
            PartyBranch.objects.exclude(kind="general"),
            user=user,
            unit_path="unit",
            branch_path="",
        ),
        "liaisons": scope_queryset(
            User.objects.filter(liaison_cadres__isnull=False).distinct(),
            user=user,
            unit_path="unit",
        ).order_by("full_name", "username"),
    }


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


def _search(queryset: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """Digits (and a final X) search the end of the ID number; Latin letters search the
    pinyin initials or the full pinyin; anything else the name."""
    text = text.strip()
    if not text:
        return queryset
    if text.upper().rstrip("X").isdigit():
        return queryset.filter(id_number__endswith=text.upper())
    if text.isascii() and text.replace(" ", "").isalpha():
        letters = text.replace(" ", "").lower()
        return queryset.filter(
            Q(name_initials__startswith=letters) | Q(name_pinyin__startswith=letters)
        )
    return queryset.filter(name__contains=text)


def cadre_list(*, user: User, filters: dict, today) -> QuerySet[Cadre]:
    """The registry list: the user's cadres, searched, filtered and sorted, with their
    current branch, in a fixed number of queries whatever the page size."""
    queryset = cadres_visible_to(user=user).select_related("unit", "liaison")
    status = filters.get("status") or CadreStatus.ON_REGISTER
    if status != "all":
        queryset = queryset.filter(status=status)
    queryset = _search(queryset, filters.get("q") or "")
    if filters.get("unit"):
        queryset = queryset.filter(unit=filters["unit"])
    if filters.get("branch"):
        queryset = queryset.filter(
            branch_roles__branch=filters["branch"], branch_roles__ended_on__isnull=True
        )
    for field in ("retirement_kind", "health", "living_situation", "hardship"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    if filters.get("age_band"):
        queryset = queryset.filter(age_band_q(filters["age_band"], today=today))
    if filters.get("party_member") == "yes":
        queryset = queryset.filter(political_status=PoliticalStatus.CPC_MEMBER)
    elif filters.get("party_member") == "no":
        queryset = queryset.exclude(political_status=PoliticalStatus.CPC_MEMBER)
    if filters.get("liaison"):
        queryset = queryset.filter(liaison=filters["liaison"])
    current_branch = BranchRole.objects.filter(cadre=OuterRef("pk"), ended_on__isnull=True)
    queryset = queryset.annotate(
        branch_name=Subquery(current_branch.values("branch__name")[:1]),
        branch_role=Subquery(current_branch.values("role")[:1]),
    )
    return queryset.order_by(*SORTS.get(filters.get("sort") or "name", SORTS["name"]))


def staff_visible_to(*, user: User) -> QuerySet[User]:
    """Staff who may be named as visitors: the user's units' staff (and the user)."""
    staff = User.objects.filter(is_active=True).exclude(role=User.Role.BRANCH_SECRETARY)
    return (
        (scope_queryset(staff, user=user, unit_path="unit") | User.objects.filter(pk=user.pk))
        .distinct()
        .order_by("full_name", "username")
    )


def cadre_picker(*, user: User, text: str, limit: int = 10) -> list[Cadre]:
    """Search-as-you-type for the visit form: the user's cadres on the register."""
    if not text.strip():
        return []
    queryset = cadres_visible_to(user=user).filter(status=CadreStatus.ON_REGISTER)
    return list(_search(queryset, text).select_related("unit").order_by("name_pinyin")[:limit])


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
    return (
        queryset.select_related("cadre", "cadre__unit", "occasion")
        .prefetch_related("visitors")
        .order_by(F("visited_on").desc(nulls_first=True), "-due_on", "-id")
    )


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
