"""Reads of the political treatment: who may see which distribution, who is in its
audience, and who was reached in a year or a quarter."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from accounts.models import Unit, User
from accounts.scoping import scope_filter, scope_queryset
from activities.models import Activity
from branches.models import BranchMeeting, BranchRole, PartyBranch
from cadres.audiences import shared_audience_q
from cadres.models import Cadre, CadreStatus, Health

from .models import Delivery, Distribution

# Those who cannot come to a meeting or the reading room: the treatment must be brought
# to them (送学上门), and the coverage report lists them first.
HOMEBOUND_HEALTH = (Health.POOR, Health.BEDRIDDEN, Health.IN_HOSPITAL)
HOMEBOUND_Q = Q(health__in=HOMEBOUND_HEALTH)


# Scope ------------------------------------------------------------------------------------


def _unit_tree() -> dict[int, int | None]:
    return dict(Unit.objects.values_list("id", "parent_id"))


def _subtree(unit_id: int, tree: dict[int, int | None]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in tree.items():
        children.setdefault(parent_id, []).append(pk)
    found, stack = {unit_id}, [unit_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _ancestors(unit_id: int, tree: dict[int, int | None]) -> set[int]:
    found: set[int] = set()
    parent = tree.get(unit_id)
    while parent is not None and parent not in found:
        found.add(parent)
        parent = tree.get(parent)
    return found


def distributions_visible_to(*, user: User) -> QuerySet[Distribution]:
    """The distributions of the user's units, and those the bureau (or any unit above
    theirs) hands out, which reach their cadres too."""
    own = scope_filter(user=user, unit_path="unit")
    if not own:
        return Distribution.objects.all()
    above = _ancestors(user.unit_id, _unit_tree()) if user.unit_id else set()
    return Distribution.objects.filter(own | Q(unit_id__in=above))


def distributions_editable_by(*, user: User) -> QuerySet[Distribution]:
    """Only a distribution of the user's own units is edited by them."""
    return scope_queryset(Distribution.objects.all(), user=user, unit_path="unit")


def deliveries_visible_to(*, user: User) -> QuerySet[Delivery]:
    return scope_queryset(
        Delivery.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )


def cadres_in_scope(*, user: User) -> QuerySet[Cadre]:
    return scope_queryset(Cadre.objects.all(), user=user, unit_path="unit", cadre_path="")


def units_to_issue(*, user: User) -> QuerySet[Unit]:
    return scope_queryset(Unit.objects.filter(is_active=True), user=user, unit_path="")


def branches_to_choose(*, user: User) -> QuerySet[PartyBranch]:
    return scope_queryset(
        PartyBranch.objects.exclude(kind=PartyBranch.Kind.GENERAL).filter(is_active=True),
        user=user,
        unit_path="unit",
        branch_path="",
    )


def meetings_to_choose(*, user: User, year: int) -> QuerySet[BranchMeeting]:
    """The branch meetings (三会一课) of the year whose attendees may be ticked at once."""
    return scope_queryset(
        BranchMeeting.objects.filter(held_on__year__in=(year - 1, year, year + 1))
        .select_related("branch")
        .order_by("-held_on", "-id"),
        user=user,
        unit_path="branch__unit",
        branch_path="branch",
    )


def activities_to_choose(*, user: User, year: int) -> QuerySet[Activity]:
    return scope_queryset(
        Activity.objects.filter(starts_at__year__in=(year - 1, year, year + 1)).order_by(
            "-starts_at", "-id"
        ),
        user=user,
        unit_path="unit",
    )


# Audience ---------------------------------------------------------------------------------


def audience_q(distribution: Distribution, *, tree: dict[int, int | None] | None = None) -> Q:
    """The condition on Cadre of the distribution's audience: cadres on the register of
    the issuing unit and the units below it, narrowed by the kind of audience."""
    units = _subtree(distribution.unit_id, tree if tree is not None else _unit_tree())
    base = Q(status=CadreStatus.ON_REGISTER, unit_id__in=units)
    audience = distribution.audience
    kinds = Distribution.Audience
    shared = shared_audience_q(audience, min_age=distribution.min_age, on=distribution.issued_on)
    if shared is not None:
        return base & shared
    if audience == kinds.BRANCH:
        members = BranchRole.objects.filter(
            branch_id=distribution.branch_id, ended_on__isnull=True
        ).values("cadre_id")
        return base & Q(pk__in=members)
    if audience == kinds.LIST:
        listed = Distribution.listed_cadres.through.objects.filter(
            distribution_id=distribution.pk
        ).values("cadre_id")
        return base & Q(pk__in=listed)
    return base


def audience_cadres(*, distribution: Distribution, user: User | None = None) -> QuerySet[Cadre]:
    """The cadres of the distribution's audience (those the user may see, if given)."""
    cadres = Cadre.objects.filter(audience_q(distribution))
    return scope_queryset(cadres, user=user, unit_path="unit", cadre_path="") if user else cadres


def _homebound():
    return ExpressionWrapper(HOMEBOUND_Q, output_field=BooleanField())


def audience_rows(
    *, distribution: Distribution, user: User, reached: bool | None = None, search: str = ""
) -> QuerySet[Cadre]:
    """The audience the user may see, each with ``delivered`` and ``homebound``; those not
    yet reached and homebound first."""
    rows = (
        audience_cadres(distribution=distribution, user=user)
        .select_related("unit")
        .annotate(
            delivered=Exists(
                Delivery.objects.filter(distribution=distribution, cadre=OuterRef("pk"))
            ),
            homebound=_homebound(),
        )
    )
    if reached is not None:
        rows = rows.filter(delivered=reached)
    if search:
        rows = rows.filter(
            Q(name__icontains=search) | Q(name_pinyin__startswith=search.lower().replace(" ", ""))
        )
    return rows.order_by("delivered", "-homebound", "name_pinyin", "id")


def distribution_progress(*, distribution: Distribution, user: User) -> dict:
    """How many of the audience the user sees have been reached, and in which ways."""
    audience = audience_cadres(distribution=distribution, user=user)
    deliveries = deliveries_visible_to(user=user).filter(distribution=distribution)
    total = audience.count()
    reached = deliveries.filter(cadre__in=audience).count()
    ways = dict(deliveries.values_list("way").annotate(n=Count("pk")).values_list("way", "n"))
    return {
        "total": total,
        "reached": reached,
        "percent": round(reached / total * 100) if total else 100,
        "ways": [(label, ways.get(value, 0)) for value, label in Delivery.Way.choices],
    }


# Lists ------------------------------------------------------------------------------------


def distribution_list(*, user: User, filters: dict) -> QuerySet[Distribution]:
    rows = distributions_visible_to(user=user).select_related("unit", "branch")
    if filters.get("year"):
        rows = rows.filter(year=filters["year"])
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("unit"):
        rows = rows.filter(unit=filters["unit"])
    if filters.get("q"):
        rows = rows.filter(title__icontains=filters["q"])
    seen = scope_filter(
        user=user, unit_path="deliveries__cadre__unit", cadre_path="deliveries__cadre"
    )
    return rows.annotate(delivered=Count("deliveries", filter=seen or None)).order_by(
        "-issued_on", "-id"
    )


def cadre_deliveries(*, cadre: Cadre, year: int) -> QuerySet[Delivery]:
    """What reached the cadre in the year (the cadre page's section)."""
    return (
        cadre.distribution_deliveries.filter(delivered_on__year=year)
        .select_related("distribution", "delivered_by")
        .order_by("-delivered_on", "-id")
    )


# Coverage ---------------------------------------------------------------------------------


def period_bounds(*, year: int, quarter: int | None = None) -> tuple[datetime.date, datetime.date]:
    if quarter is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    first = datetime.date(year, 3 * quarter - 2, 1)
    last_month_end = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return first, last_month_end - datetime.timedelta(days=1)


def period_distributions(
    *, year: int, quarter: int | None = None, kind: str = ""
) -> list[Distribution]:
    """The distributions issued in the period (of the kind, if given)."""
    first, last = period_bounds(year=year, quarter=quarter)
    rows = Distribution.objects.filter(issued_on__range=(first, last))
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.only("id", "unit_id", "audience", "min_age", "branch_id", "issued_on"))


def coverage_population(
    *,
    distributions: Iterable[Distribution],
    user: User | None = None,
    unit_id: int | None = None,
) -> QuerySet[Cadre]:
    """The cadres in the audience of any of the distributions, each with ``reached``
    (a delivery of one of them) and ``homebound``."""
    cadres, reached = _population(distributions=distributions, user=user, unit_id=unit_id)
    return cadres.annotate(reached=reached, homebound=_homebound())


def _population(
    *, distributions: Iterable[Distribution], user: User | None, unit_id: int | None
) -> tuple[QuerySet[Cadre], Exists]:
    distributions = list(distributions)
    reached = Exists(
        Delivery.objects.filter(
            cadre=OuterRef("pk"), distribution_id__in=[d.pk for d in distributions]
        )
    )
    if not distributions:
        return Cadre.objects.none(), reached
    tree = _unit_tree()
    condition = Q()
    for distribution in distributions:
        condition |= audience_q(distribution, tree=tree)
    cadres = Cadre.objects.filter(condition)
    if unit_id:
        cadres = cadres.filter(unit_id__in=_subtree(unit_id, tree))
    if user is not None:
        cadres = scope_queryset(cadres, user=user, unit_path="unit", cadre_path="")
    return cadres, reached


@dataclass(frozen=True)
class UnitCoverage:
    """One unit's line: cadres in the audience of the period's distributions, and how many
    of them were reached."""

    unit_id: int
    unit_name: str
    audience: int
    reached: int
    homebound_missed: int = 0

    @property
    def missed(self) -> int:
        return self.audience - self.reached

    @property
    def percent(self) -> int:
        return round(self.reached / self.audience * 100) if self.audience else 100


def _unit_lines(cadres: QuerySet[Cadre], reached: Exists) -> list[UnitCoverage]:
    rows = (
        cadres.order_by()
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(
            n=Count("pk"),
            n_reached=Count("pk", filter=reached),
            n_homebound_missed=Count("pk", filter=HOMEBOUND_Q & ~reached),
        )
        .order_by("unit__sort_order", "unit__name", "unit_id")
    )
    return [
        UnitCoverage(
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            audience=row["n"],
            reached=row["n_reached"],
            homebound_missed=row["n_homebound_missed"],
        )
        for row in rows
    ]


def coverage_by_unit(
    *, year: int, quarter: int | None = None, user: User | None = None, kind: str = ""
) -> list[UnitCoverage]:
    """Per unit of the cadres: how many were in the audience of the year's (or the
    quarter's) distributions, and how many received at least one of them. For the annual
    unit scorecard; ``user`` narrows it to the units they see."""
    cadres, reached = _population(
        distributions=period_distributions(year=year, quarter=quarter, kind=kind),
        user=user,
        unit_id=None,
    )
    return _unit_lines(cadres, reached)


def coverage_report(
    *, user: User, year: int, quarter: int | None, unit_id: int | None = None, kind: str = ""
) -> dict:
    """The coverage report: per unit, and the cadres reached by nothing in the period,
    homebound cadres first."""
    distributions = period_distributions(year=year, quarter=quarter, kind=kind)
    cadres, reached = _population(distributions=distributions, user=user, unit_id=unit_id)
    lines = _unit_lines(cadres, reached)
    missed = (
        cadres.filter(~reached)
        .annotate(homebound=_homebound())
        .select_related("unit", "liaison")
        .order_by("-homebound", "unit__sort_order", "unit__name", "name_pinyin", "id")
    )
    audience = sum(line.audience for line in lines)
    reached = sum(line.reached for line in lines)
    return {
        "first": period_bounds(year=year, quarter=quarter)[0],
        "last": period_bounds(year=year, quarter=quarter)[1],
        "distribution_count": len(distributions),
        "lines": lines,
        "missed": missed,
        "audience": audience,
        "reached": reached,
        "percent": round(reached / audience * 100) if audience else 100,
    }
