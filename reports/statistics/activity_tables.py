"""The tables of activities (活动): the activities organised and the cadres' registrations,
attendance and participation by kind of activity, and the ranking of volunteer hours.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext, pgettext

from accounts.models import User
from accounts.scoping import scope_queryset
from activities.models import Activity, Attendance

from .report import ChartData, Column, Format, Report, column_sums, share
from .selectors import reference_date, scoped_register, year_attendances, year_note

RANKING_LENGTH = 100


def activities_and_participation(*, user: User, year: int, today: datetime.date) -> Report:
    """活动开展及参与: activities organised by the user's units and their cadres'
    registrations and attendance, by kind of activity."""
    day = reference_date(year, today)
    activities = scope_queryset(
        Activity.objects.all(), user=user, unit_path="unit", branch_path="branch"
    ).filter(starts_at__year=year)
    held = dict(
        activities.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    attended = Q(status=Attendance.Status.ATTENDED)
    attendances = year_attendances(user, year)
    taking_part = {
        row["activity__kind"]: row
        for row in attendances.order_by()
        .values("activity__kind")
        .annotate(
            registered=Count("id"),
            attended=Count("id", filter=attended),
            participants=Count("cadre", distinct=True, filter=attended),
        )
    }
    everyone = attendances.filter(attended).aggregate(n=Count("cadre", distinct=True))["n"]
    register = scoped_register(user, day).count()
    rows = []
    for kind in Activity.Kind:
        row = taking_part.get(kind.value, {})
        participants = row.get("participants", 0)
        rows.append(
            [
                str(kind.label),
                held.get(kind.value, 0),
                row.get("registered", 0),
                row.get("attended", 0),
                participants,
                share(participants, register),
            ]
        )
    columns = [
        Column(gettext("kind"), Format.TEXT),
        Column(gettext("Activities organised")),
        Column(gettext("Registrations")),
        Column(gettext("Attendances")),
        Column(gettext("Participants")),
        Column(gettext("Share of the register taking part"), Format.SHARE),
    ]
    total = column_sums(rows, columns, gettext("Total"))
    # A cadre who came to a study session and a sports event is one participant.
    total[4] = everyone
    total[5] = share(everyone, register)
    return Report(
        columns=columns,
        rows=rows,
        total=total,
        chart=ChartData(
            labels=[row[0] for row in rows],
            series=[(gettext("Attendances"), [row[3] for row in rows])],
        ),
        note=year_note(year, day)
        + " "
        + gettext("%(count)s cadres on the register.") % {"count": register},
    )


def volunteer_hours(*, user: User, year: int, today: datetime.date) -> Report:
    """志愿服务时长排行: the cadres with the most volunteer hours in the year."""
    day = reference_date(year, today)
    served = year_attendances(user, year).filter(
        status=Attendance.Status.ATTENDED, volunteer_hours__gt=0
    )
    ranking = list(
        served.order_by()
        .values("cadre_id", "cadre__name", "cadre__name_pinyin", "cadre__unit__name")
        .annotate(hours=Sum("volunteer_hours"), times=Count("id"))
        .order_by("-hours", "cadre__name_pinyin", "cadre_id")[:RANKING_LENGTH]
    )
    overall = served.aggregate(
        hours=Sum("volunteer_hours"), times=Count("id"), people=Count("cadre", distinct=True)
    )
    rows, rank, previous = [], 0, None
    for position, row in enumerate(ranking, 1):
        if row["hours"] != previous:  # equal hours share a rank
            rank, previous = position, row["hours"]
        rows.append(
            [rank, row["cadre__name"], row["cadre__unit__name"], row["hours"], row["times"]]
        )
    top = rows[:15]
    return Report(
        columns=[
            Column(gettext("Rank"), Format.COUNT),
            Column(pgettext("person", "name"), Format.TEXT),
            Column(gettext("unit"), Format.TEXT),
            Column(gettext("Volunteer hours"), Format.DECIMAL),
            Column(gettext("Times served"), Format.COUNT),
        ],
        rows=rows,
        total=[
            gettext("Total"),
            gettext("%(count)s volunteers") % {"count": overall["people"]},
            "",
            overall["hours"] or Decimal(0),
            overall["times"],
        ],
        chart=ChartData(
            labels=[row[1] for row in top],
            series=[(gettext("Volunteer hours"), [float(row[3]) for row in top])],
            decimals=1,
        ),
        note=year_note(year, day)
        + " "
        + gettext("The first %(count)s are listed.") % {"count": RANKING_LENGTH},
    )
