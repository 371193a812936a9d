"""The registry list: the search (name, pinyin, community or ID tail), the filters, the
sort orders and a page of it with its count, read from indexes at a province's size; and
the visit form's cadre picker, which searches the same way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from accounts.scoping import can_see_id_numbers, visible_unit_ids

from .age_bands import age_band_q
from .models import Cadre, CadreStatus, PoliticalStatus, Visit
from .pinyin import pinyin_prefixes
from .registry_counts import ListCount, list_count
from .selectors import SORTS, BranchRole, cadres_visible_to, community_names

# A single character (a surname) searches names only: "城" would find every resident of
# 城关镇.
COMMUNITY_SEARCH_MIN_LENGTH = 2


def _search(queryset: QuerySet[Cadre], text: str, *, user: User) -> QuerySet[Cadre]:
    """The cadres of ``queryset`` that ``text`` finds (see ``_search_parts``)."""
    parts = _search_parts(text, user=user)
    if not parts:
        return queryset
    condition = Q()
    for part in parts:
        condition |= part
    return queryset.filter(condition)


def _search_parts(text: str, *, user: User) -> list[Q]:
    """What a search finds, as conditions no two of which hold for the same cadre
    (counted one by one, each reads its own index). Digits search the phone number
    and, for the roles that may see ID numbers, a whole ID number or its last four
    characters (through the number's keyed hashes; for anyone else such a search would
    confirm digits they may not see); Latin letters search the pinyin initials or the
    full pinyin ("zhangs", "zhang san"); anything else the name, and from two characters
    on the residential community too ("东关社区" finds its residents: 四就近)."""
    text = text.strip()
    if not text:
        return []
    if text.upper().rstrip("X").isdigit() and text.isascii():
        number = text.upper()
        condition = Q(phone__contains=number) if number.isdigit() else Q(pk__in=[])
        if can_see_id_numbers(user=user) and len(number) in (4, 18):
            field = "id_number_hash" if len(number) == 18 else "id_number_tail_hash"
            condition |= Q(**{field: Cadre._meta.get_field(field).hash_of(number)})
        return [condition]
    if text.isascii() and text.replace(" ", "").isalpha():
        return [pinyin_name_q(text)]
    if len(text) < COMMUNITY_SEARCH_MIN_LENGTH:
        return [Q(name__contains=text)]
    # The communities the text names, picked from the user's few dozen (read from the
    # index on the column), then their residents through it: LIKE on the community of
    # every row would double the cost of a name search.
    named = [name for name in community_names(user=user) if text in name]
    if not named:
        return [Q(name__contains=text)]
    residents = Q(residential_community__in=named)
    return [residents, Q(name__contains=text) & ~residents]


def pinyin_name_q(text: str) -> Q:
    """Names whose pinyin initials or full pinyin begin with the Latin letters ``text``:
    the full pinyin is stored syllable by syllable ("zhang san"), so what was typed is
    read as syllables (``pinyin_prefixes``)."""
    condition = _starts_with("name_initials", text.replace(" ", "").lower())
    for prefix in pinyin_prefixes(text):
        condition |= _starts_with("name_pinyin", prefix)
    return condition


def _starts_with(field: str, letters: str) -> Q:
    """``field`` starts with the lower-case ``letters``. The bounds say the same for the
    stored lower-case pinyin, and let the database read the index on the field (a LIKE
    prefix does not on SQLite): "zs" is at least "zs" and below "zt"."""
    condition = Q(**{f"{field}__startswith": letters, f"{field}__gte": letters})
    stem = letters.rstrip("z")
    if stem:
        condition &= Q(**{f"{field}__lt": stem[:-1] + chr(ord(stem[-1]) + 1)})
    return condition


def cadre_list(*, user: User, filters: dict, today) -> QuerySet[Cadre]:
    """The registry list: the user's cadres, searched, filtered and sorted, with their
    current branch, in a fixed number of queries whatever the page size."""
    current_branch = BranchRole.objects.filter(cadre=OuterRef("pk"), ended_on__isnull=True)
    matching = _matching_cadres(user=user, filters=filters, today=today)
    return _in_list_order(matching, user=user, filters=filters).annotate(
        branch_name=Subquery(current_branch.values("branch__name")[:1]),
        branch_role=Subquery(current_branch.values("role")[:1]),
    )


# What a registry row shows (and the phone card): the rest of a cadre (address,
# contacts, care notes and the like) is not read for a list.
LIST_COLUMNS = (
    "name",
    "name_pinyin",
    "gender",
    "birth_date",
    "id_number",
    "retirement_kind",
    "unit",
    "residential_community",
    "health",
    "liaison",
    "status",
)


def cadre_list_page(*, user: User, filters: dict, today, number, per_page: int) -> Page:
    """One page of the registry list, each cadre with ``branch_name`` and
    ``branch_role``. The page is found by its cadres' keys alone (read from an index in
    list order), then only those few cadres are read, with what a row shows: the rows
    skipped to reach page 50 are never fetched. The current branch is read for the
    page's cadres only: as an annotation of the list, SQLite would look it up for every
    matching cadre before sorting them (100,000 look-ups for a page of 50)."""
    matching = _matching_cadres(user=user, filters=filters, today=today)
    keys = _in_list_order(matching, user=user, filters=filters).values_list("pk", flat=True)
    # Counted as filtered: the "id IN (...)" form helps SQLite sort, not count. Browsing
    # a large register unfiltered, the list is estimated ("共约 N 人": the planner knows
    # the share on the register well) rather than counted row by row; searched or
    # filtered, it is counted, as an estimate of a combination can be far off.
    browsing = not any(value for key, value in filters.items() if key not in ("sort", "status"))
    size = list_count(matching) if browsing else ListCount(_exact_count(user, filters, today))
    paginator = Paginator(keys, per_page)
    paginator.count = size.value
    page = paginator.get_page(number)
    if size.approximate and (
        page.number >= paginator.num_pages or len(page.object_list) < per_page
    ):
        # At the estimate's end the list is counted, so that its last page is the
        # real one (no empty pages, none out of reach).
        size = ListCount(_exact_count(user, filters, today))
        paginator = Paginator(keys, per_page)
        paginator.count = size.value
        page = paginator.get_page(number)
    page.approximate_count = size.approximate
    page_keys = list(page.object_list)
    rows = Cadre.objects.filter(pk__in=page_keys).select_related("unit", "liaison")
    by_key = {cadre.pk: cadre for cadre in rows.only(*LIST_COLUMNS)}
    cadres = [by_key[key] for key in page_keys if key in by_key]
    page.object_list = cadres
    # Past roles are dropped here rather than in SQL: given "ended_on IS NULL", SQLite
    # reads every current role of the register instead of the page's cadres' roles.
    roles = {
        role.cadre_id: role
        for role in BranchRole.objects.filter(cadre__in=page_keys)
        .select_related("branch")
        .only("cadre_id", "role", "ended_on", "branch__name")
        .order_by()
        if role.ended_on is None
    }
    # The next planned visit of each (the phone's cards show it): one query for the page.
    next_visits: dict[int, Visit] = {}
    for visit in (
        Visit.objects.filter(cadre__in=page_keys, status=Visit.Status.PLANNED)
        .select_related("occasion")
        .only("cadre_id", "due_on", "occasion__name")
        .order_by("due_on", "pk")
    ):
        next_visits.setdefault(visit.cadre_id, visit)
    for cadre in cadres:
        role = roles.get(cadre.pk)
        cadre.branch_name = role.branch.name if role else None
        cadre.branch_role = role.role if role else None
        cadre.next_visit = next_visits.get(cadre.pk)
    return page


def _exact_count(user: User, filters: dict, today) -> int:
    """How many cadres the list holds, counted part by part of its search: a search
    that finds a community's residents or names counts the residents from the index on
    the community and the names apart (as one condition, PostgreSQL would read the
    rows of both to count them)."""
    unsearched = _matching_cadres(user=user, filters=filters, today=today, search=False)
    parts = _search_parts(filters.get("q") or "", user=user)
    if not parts:
        return unsearched.count()
    return sum(unsearched.filter(part).count() for part in parts)


def _matching_cadres(*, user: User, filters: dict, today, search: bool = True) -> QuerySet[Cadre]:
    queryset = cadres_visible_to(user=user)
    status = filters.get("status") or CadreStatus.ON_REGISTER
    if status != "all":
        queryset = queryset.filter(status=status)
    if search:
        queryset = _search(queryset, filters.get("q") or "", user=user)
    if filters.get("unit"):
        queryset = queryset.filter(unit=filters["unit"])
    if filters.get("community"):
        queryset = queryset.filter(residential_community=filters["community"])
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
    return queryset


def _in_list_order(queryset: QuerySet[Cadre], *, user: User, filters: dict) -> QuerySet[Cadre]:
    narrowed = visible_unit_ids(user=user) is not None or any(
        filters.get(key) for key in ("unit", "branch", "liaison", "community")
    )
    if connection.vendor == "sqlite" and (narrowed or (filters.get("q") or "").strip()):
        # A unit's, a branch's or a liaison's cadres, or those a search finds, are few:
        # asked as "id IN (...)", SQLite reads them through the index on that and sorts
        # them; asked directly, it walks the whole register in name order to pick them
        # out (the index the unfiltered list needs), which for a late page of a small
        # unit means reading every cadre. PostgreSQL asked directly reads a unit's
        # cadres in name order from the index on (status, unit, name); asked as
        # "id IN (...)" it could not.
        queryset = Cadre.objects.filter(pk__in=queryset.values("pk"))
    return queryset.select_related("unit", "liaison").order_by(
        *SORTS.get(filters.get("sort") or "name", SORTS["name"])
    )


def cadre_picker(*, user: User, text: str, limit: int = 10) -> list[Cadre]:
    """Search-as-you-type for the visit form: the user's cadres on the register."""
    if not text.strip():
        return []
    queryset = cadres_visible_to(user=user).filter(status=CadreStatus.ON_REGISTER)
    return list(
        _search(queryset, text, user=user).select_related("unit").order_by("name_pinyin")[:limit]
    )
