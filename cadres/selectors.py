"""Reads of the register: the cadres a user may see, the registry's sort orders and filter
choices, a cadre's page with its timeline of visits, needs and branch roles, the staff a
user may choose, and a family contact. The registry list and its search are read in
``registry_list``, visits in ``visit_selectors``, care needs in ``need_selectors``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.punctuation import colon, join_list, parenthesized
from accounts.scoping import scope_queryset, visible_unit_ids

from .models import Cadre, CareNeed, FamilyContact, Visit
from .registry_counts import all_community_names

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
    """The units, branches, liaisons and residential communities the registry filters may
    offer this user (each read only if the form is built with it)."""
    return {
        "units": scope_queryset(Unit.objects.all(), user=user, unit_path=""),
        "branches": scope_queryset(
            # Only what a choice shows: a large bureau has thousands of branches.
            PartyBranch.objects.exclude(kind="general").only("id", "name"),
            user=user,
            unit_path="unit",
            branch_path="",
        ),
        "liaisons": scope_queryset(
            # EXISTS: a join would read every cadre to keep a few dozen staff.
            User.objects.filter(Exists(Cadre.objects.filter(liaison=OuterRef("pk")))),
            user=user,
            unit_path="unit",
        ).order_by("full_name", "username"),
        "communities": community_names(user=user),
    }


def community_names(*, user: User) -> list[str]:
    """四就近: the residential communities where the user's cadres live (whatever their
    status), read from the index on the column alone (skipping through it when the user
    sees the whole register)."""
    if visible_unit_ids(user=user) is None:
        return all_community_names()
    return list(
        cadres_visible_to(user=user)
        .exclude(residential_community="")
        .order_by("residential_community")
        .values_list("residential_community", flat=True)
        .distinct()
    )


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
            # Higher apps, through reverse relations: the timeline shows them.
            "branch_roles__branch",
            "attendances__activity",
            "honours",
            "checkups__campaign",
        )
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class TimelineEntry:
    day: datetime.date
    kind: str
    text: str
    url: str = ""
    badge: str = ""
    year_only: bool = False
    # A visit's edit form, and the completion form of a planned one (for editors).
    edit_url: str = ""
    complete_url: str = ""


def cadre_timeline(*, cadre: Cadre) -> list[TimelineEntry]:
    """Visits, care needs, branch roles, activities and honours of one cadre, newest
    first, from what ``cadre_detail`` prefetched (no further queries)."""
    entries = []
    for visit in cadre.all_visits:
        day = visit.visited_on or visit.due_on
        if day is None:
            continue
        badge = "" if visit.status == Visit.Status.DONE else visit.get_status_display()
        if visit.heart_to_heart and not badge:
            badge = str(_("Heart-to-heart talk"))
        visitors = join_list(user.display_name for user in visit.visitors.all())
        text = f"{visit.occasion}" + (parenthesized(visitors) if visitors else "")
        entries.append(
            TimelineEntry(
                day,
                str(_("Visit")),
                text,
                url=visit.get_absolute_url(),
                badge=badge,
                edit_url=reverse("cadres:visit_edit", args=[visit.pk]),
                complete_url=(
                    reverse("cadres:visit_complete", args=[visit.pk])
                    if visit.status == Visit.Status.PLANNED
                    else ""
                ),
            )
        )
    for need in cadre.all_needs:
        entries.append(
            TimelineEntry(
                need.raised_on,
                str(_("Care need")),
                f"{need.get_category_display()}{colon()}{need.description[:60]}",
                badge=need.get_status_display(),
            )
        )
    for role in cadre.branch_roles.all():
        text = f"{role.branch} · {role.get_role_display()}"
        entries.append(TimelineEntry(role.started_on, str(_("Branch role")), text))
        if role.ended_on:
            entries.append(
                TimelineEntry(role.ended_on, str(_("Branch role")), text, badge=str(_("ended")))
            )
    for attendance in cadre.attendances.all():
        activity = attendance.activity
        entries.append(
            TimelineEntry(
                timezone.localtime(activity.starts_at).date(),
                str(_("Activity")),
                activity.title,
                url=activity.get_absolute_url(),
                badge=attendance.get_status_display(),
            )
        )
    for honour in cadre.honours.all():
        entries.append(
            TimelineEntry(
                datetime.date(honour.year, 1, 1),
                str(_("Honour")),
                f"{honour.title}{parenthesized(honour.get_level_display())}",
                year_only=True,
            )
        )
    entries.sort(key=lambda entry: entry.day, reverse=True)
    return entries


def staff_visible_to(*, user: User, including: int | None = None) -> QuerySet[User]:
    """Staff who may be named as visitors or liaisons: the user's units' staff (and the
    user, and ``including`` — the one already named on the record)."""
    staff = User.objects.filter(is_active=True).exclude(role=User.Role.BRANCH_SECRETARY)
    extra = User.objects.filter(pk__in=[user.pk, including])
    return (
        (scope_queryset(staff, user=user, unit_path="unit") | extra)
        .distinct()
        .order_by("full_name", "username")
    )


def family_contact_for(*, user: User, pk: int) -> FamilyContact:
    """A family contact of one of the user's cadres (with its cadre), else 404."""
    queryset = scope_queryset(
        FamilyContact.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    return get_object_or_404(queryset.select_related("cadre"), pk=pk)
