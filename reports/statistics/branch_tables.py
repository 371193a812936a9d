"""The tables of party branches (党支部): the ages of each branch's secretary, committee
and members on the reference day.
"""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Q
from django.utils import formats
from django.utils.translation import gettext

from accounts.models import User
from accounts.scoping import scope_queryset
from branches.models import BranchRole, PartyBranch

from .report import ChartData, Column, Format, Report
from .selectors import age_on, reference_date


def branch_committee_ages(*, user: User, year: int, today: datetime.date) -> Report:
    """支部班子平均年龄: per branch, the secretary's age and the average age of the
    committee (secretary, deputy, members) and of all members, for the roles held on the
    reference day — so that the years before and after a re-election can be compared."""
    day = reference_date(year, today)
    held = Q(roles__started_on__lte=day) & (
        Q(roles__ended_on__isnull=True) | Q(roles__ended_on__gt=day)
    )
    secretary = held & Q(roles__role=BranchRole.Role.SECRETARY)
    committee = held & Q(roles__role__in=BranchRole.COMMITTEE_ROLES)
    age = age_on("roles__cadre__birth_date", day)
    branches = list(
        scope_queryset(PartyBranch.objects.all(), user=user, unit_path="unit", branch_path="")
        .filter(is_active=True)
        .exclude(kind=PartyBranch.Kind.GENERAL)
        .order_by("unit__sort_order", "unit__name", "sort_key", "id")
        .values("id", "name", "unit__name")
        .annotate(
            secretaries=Count("roles", filter=secretary),
            secretary_age=Avg(age, filter=secretary),
            committee=Count("roles", filter=committee),
            committee_age=Avg(age, filter=committee),
            members=Count("roles", filter=held),
            members_age=Avg(age, filter=held),
        )
    )

    def mean(count_key: str, age_key: str) -> float | None:
        people = sum(b[count_key] for b in branches)
        if not people:
            return None
        return sum(b[age_key] * b[count_key] for b in branches if b[count_key]) / people

    def rounded(value):
        return None if value is None else round(value, 1)

    rows = [
        [
            b["name"],
            b["unit__name"],
            rounded(b["secretary_age"]),
            b["committee"],
            rounded(b["committee_age"]),
            b["members"],
            rounded(b["members_age"]),
        ]
        for b in branches
    ]
    total = [
        gettext("All branches"),
        "",
        rounded(mean("secretaries", "secretary_age")),
        sum(b["committee"] for b in branches),
        rounded(mean("committee", "committee_age")),
        sum(b["members"] for b in branches),
        rounded(mean("members", "members_age")),
    ]
    return Report(
        columns=[
            Column(gettext("branch"), Format.TEXT),
            Column(gettext("unit"), Format.TEXT),
            Column(gettext("Secretary's age"), Format.DECIMAL),
            Column(gettext("Committee members"), Format.COUNT),
            Column(gettext("Committee's average age"), Format.DECIMAL),
            Column(gettext("Members"), Format.COUNT),
            Column(gettext("Members' average age"), Format.DECIMAL),
        ],
        rows=rows,
        total=total,
        chart=ChartData(
            labels=[row[0] for row in rows],
            series=[
                (gettext("Secretary's age"), [row[2] or 0 for row in rows]),
                (gettext("Committee's average age"), [row[4] or 0 for row in rows]),
            ],
            stacked=False,
            decimals=1,
        ),
        note=gettext("Branch roles held on %(date)s; ages as of that day.")
        % {"date": formats.date_format(day)},
    )
