"""The reads the standard tables share: the day a year's register is read on, the
cadres on the register on a day, the year's done visits and attendances, all scoped
to the user, ages computed in the database, and the tree of units that each cadre's
unit is rolled up into a report line by; with the notes that say which day the
figures stand for.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import formats
from django.utils.translation import gettext

from accounts.models import Unit, User
from accounts.scoping import reads_by_branch, scope_queryset, visible_unit_ids
from activities.models import Attendance
from cadres.models import Cadre, Visit
from cadres.register import on_register


def reference_date(year: int, today: datetime.date) -> datetime.date:
    """The day a year's register is read on: today for the current year, else 31 December."""
    return today if year >= today.year else datetime.date(year, 12, 31)


def age_on(path: str, day: datetime.date):
    """A database expression for the age on ``day`` of someone born on ``path``, so that
    averages are computed by GROUP BY (SQLite and PostgreSQL alike)."""
    birthday_still_ahead = Q(**{f"{path}__month__gt": day.month}) | Q(
        **{f"{path}__month": day.month, f"{path}__day__gt": day.day}
    )
    return (
        Value(day.year)
        - ExtractYear(path)
        - Case(When(birthday_still_ahead, then=Value(1)), default=Value(0))
    )


def scoped_register(user: User, day: datetime.date) -> QuerySet[Cadre]:
    cadres = scope_queryset(Cadre.objects.all(), user=user, unit_path="unit", cadre_path="")
    return cadres.filter(on_register(day, end_of_day=True))


def visits_done(user: User, year: int) -> QuerySet[Visit]:
    visits = scope_queryset(
        Visit.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    return visits.filter(status=Visit.Status.DONE, visited_on__year=year)


def year_attendances(user: User, year: int) -> QuerySet[Attendance]:
    attendances = scope_queryset(
        Attendance.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    return attendances.filter(activity__starts_at__year=year)


class UnitTree:
    """Rolls each cadre's unit up into the unit a report line stands for: for bureau staff
    the employer units under the bureau, for unit staff their own unit and each unit
    directly below it. Read in one query."""

    def __init__(self, *, user: User):
        self.names: dict[int, str] = {}
        self.parents: dict[int, int | None] = {}
        self.order: dict[int, tuple] = {}
        for pk, name, parent_id, sort_order in Unit.objects.values_list(
            "id", "name", "parent_id", "sort_order"
        ):
            self.names[pk] = name
            self.parents[pk] = parent_id
            self.order[pk] = (sort_order, name, pk)
        unrestricted = visible_unit_ids(user=user) is None
        self.root = None if unrestricted or reads_by_branch(user=user) else user.unit_id

    def head(self, unit_id: int) -> int:
        current = unit_id
        while True:
            parent = self.parents.get(current)
            if current == self.root or parent is None or parent == self.root:
                return current
            if self.root is None and self.parents.get(parent) is None:
                return current
            current = parent

    def roll_up(self, rows, key: str, fields: list[str]) -> list[tuple[int, dict]]:
        """Sum ``fields`` of GROUP BY rows into their report lines, in unit order."""
        rolled: dict[int, dict] = defaultdict(lambda: dict.fromkeys(fields, 0))
        for row in rows:
            line = rolled[self.head(row[key])]
            for name in fields:
                line[name] += row[name] or 0
        return sorted(rolled.items(), key=lambda item: self.order[item[0]])


def register_note(day: datetime.date) -> str:
    return gettext("Cadres on the register on %(date)s; ages as of that day.") % {
        "date": formats.date_format(day)
    }


def year_note(year: int, day: datetime.date) -> str:
    return gettext("Figures for %(year)s, up to %(date)s.") % {
        "year": year,
        "date": formats.date_format(day),
    }
