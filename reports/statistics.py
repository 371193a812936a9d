"""The standard statistical tables (统计报表): one registry of tables that the reports
index, each table's page, its .xlsx download and the tests all walk.

Every table reads through ``accounts.scoping.scope_queryset`` (unit staff see their units,
branch secretaries the members of their branches) and runs a fixed number of GROUP BY
queries, whatever the number of cadres, visits or activities.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from accounts.models import Unit, User
from accounts.scoping import reads_by_branch, scope_queryset, visible_unit_ids
from activities.models import Activity, Attendance
from branches.models import BranchRole, PartyBranch
from cadres.age_bands import AgeBand, age_band_q
from cadres.models import (
    Cadre,
    CadreStatus,
    Hardship,
    LivingSituation,
    PoliticalStatus,
    RetirementKind,
    Visit,
    VisitOccasion,
    occasion_colour,
)
from cadres.pinyin import pinyin_sort_key
from ledger.workbooks import write_cell
from reminders.models import Holiday

from .charts import bar_chart, horizontal_stacked_bars, month_label
from .models import YearTheme

EARLIEST_YEAR = 1949
YEARS_OFFERED = 10
RANKING_LENGTH = 100
# "光荣在党50年": the medal for fifty years in the Party.
PARTY_MEDAL_YEARS = 50


# --- What a table is -------------------------------------------------------------------


class Format:
    TEXT = "text"
    COUNT = "count"
    MONEY = "money"
    DECIMAL = "decimal"  # ages, hours: one decimal place
    SHARE = "share"  # a fraction, shown as a percentage


@dataclass(frozen=True)
class Column:
    label: str
    format: str = Format.COUNT

    @property
    def numeric(self) -> bool:
        return self.format != Format.TEXT


@dataclass
class ChartData:
    """What to draw: one label per bar (or row of bars), one series per colour."""

    labels: list[str]
    series: list[tuple[str, list[float]]]
    horizontal: bool = True
    stacked: bool = True
    decimals: int = 0
    # Series with a colour of their own (visit occasions), by name.
    colours: dict[str, str] | None = None


@dataclass
class Report:
    """The figures of one table: headers, rows, a total row and the chart's series."""

    columns: list[Column]
    rows: list[list]
    total: list | None
    chart: ChartData
    note: str = ""
    # Indexes of rows printed in bold (subtotals).
    emphasis: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class StandardTable:
    slug: str
    title: Promise
    summary: Promise
    select: Callable[..., Report]


# --- Shared reads ----------------------------------------------------------------------


def reference_date(year: int, today: datetime.date) -> datetime.date:
    """The day a year's register is read on: today for the current year, else 31 December."""
    return today if year >= today.year else datetime.date(year, 12, 31)


def on_register_on(day: datetime.date) -> Q:
    """The cadres on the register on ``day``: on it now or left (died, transferred out)
    after that day, and retired by then. For today this is exactly "status on the
    register"."""
    return (Q(status=CadreStatus.ON_REGISTER) | Q(died_on__gt=day) | Q(transferred_on__gt=day)) & (
        Q(retirement_date__isnull=True) | Q(retirement_date__lte=day)
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


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


def _register(user: User, day: datetime.date) -> QuerySet[Cadre]:
    cadres = scope_queryset(Cadre.objects.all(), user=user, unit_path="unit", cadre_path="")
    return cadres.filter(on_register_on(day))


def _visits(user: User, year: int) -> QuerySet[Visit]:
    visits = scope_queryset(
        Visit.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    return visits.filter(status=Visit.Status.DONE, visited_on__year=year)


def _attendances(user: User, year: int) -> QuerySet[Attendance]:
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


def _share(part, whole) -> float | None:
    return part / whole if whole else None


def _column_sums(rows: list[list], columns: list[Column], label: str) -> list:
    total: list = [label]
    for index, column in enumerate(columns[1:], 1):
        if column.format in (Format.COUNT, Format.MONEY, Format.DECIMAL):
            total.append(sum((row[index] or 0) for row in rows))
        else:
            total.append("")
    return total


def _register_note(day: datetime.date) -> str:
    return gettext("Cadres on the register on %(date)s; ages as of that day.") % {
        "date": formats.date_format(day)
    }


def _year_note(year: int, day: datetime.date) -> str:
    return gettext("Figures for %(year)s, up to %(date)s.") % {
        "year": year,
        "date": formats.date_format(day),
    }


def _register_table(
    *, user: User, day: datetime.date, counts: dict, columns: list[Column], line, chart_keys
) -> Report:
    """A register table with one row per unit: ``counts`` are the aggregates per unit,
    ``line`` turns the summed counts into the row's figures after the unit's name."""
    tree = UnitTree(user=user)
    grouped = (
        _register(user, day).order_by().values("unit_id").annotate(total=Count("id"), **counts)
    )
    lines = tree.roll_up(grouped, "unit_id", ["total", *counts])
    rows = [[tree.names[head], *line(sums)] for head, sums in lines]
    whole = {name: sum(sums[name] for _head, sums in lines) for name in ["total", *counts]}
    total = [gettext("Total"), *line(whole)]
    chart = ChartData(
        labels=[row[0] for row in rows],
        series=[(str(label), [sums[key] for _head, sums in lines]) for key, label in chart_keys],
    )
    return Report(columns=columns, rows=rows, total=total, chart=chart, note=_register_note(day))


# --- The tables ------------------------------------------------------------------------


def cadres_by_age_band(*, user: User, year: int, today: datetime.date) -> Report:
    """分单位年龄结构: cadres on the register by unit and age band (≤69, 70–79, 80–89, 90+)."""
    day = reference_date(year, today)
    bands = list(AgeBand)
    return _register_table(
        user=user,
        day=day,
        counts={band.name: Count("id", filter=age_band_q(band, today=day)) for band in bands},
        columns=[
            Column(gettext("unit"), Format.TEXT),
            *[Column(str(band.label)) for band in bands],
            Column(gettext("Total")),
        ],
        line=lambda sums: [*[sums[band.name] for band in bands], sums["total"]],
        chart_keys=[(band.name, band.label) for band in bands],
    )


def cadres_by_retirement_kind(*, user: User, year: int, today: datetime.date) -> Report:
    """离休、退休: cadres on the register by unit and retirement kind."""
    day = reference_date(year, today)
    kinds = list(RetirementKind)
    return _register_table(
        user=user,
        day=day,
        counts={kind.value: Count("id", filter=Q(retirement_kind=kind)) for kind in kinds},
        columns=[
            Column(gettext("unit"), Format.TEXT),
            *[Column(str(kind.label)) for kind in kinds],
            Column(gettext("Total")),
            Column(gettext("Lixiu share"), Format.SHARE),
        ],
        line=lambda sums: [
            *[sums[kind.value] for kind in kinds],
            sums["total"],
            _share(sums[RetirementKind.LIXIU.value], sums["total"]),
        ],
        chart_keys=[(kind.value, kind.label) for kind in kinds],
    )


def party_members(*, user: User, year: int, today: datetime.date) -> Report:
    """党员情况: political status by unit, with the members fifty years in the Party."""
    day = reference_date(year, today)
    member = Q(political_status=PoliticalStatus.CPC_MEMBER)
    return _register_table(
        user=user,
        day=day,
        counts={
            "cpc": Count("id", filter=member),
            "medal": Count(
                "id",
                filter=member & Q(party_joined_on__lte=_years_before(day, PARTY_MEDAL_YEARS)),
            ),
            "democratic": Count("id", filter=Q(political_status=PoliticalStatus.DEMOCRATIC_PARTY)),
            "masses": Count("id", filter=Q(political_status=PoliticalStatus.MASSES)),
        },
        columns=[
            Column(gettext("unit"), Format.TEXT),
            Column(str(PoliticalStatus.CPC_MEMBER.label)),
            Column(gettext("of whom 50 years in the Party")),
            Column(str(PoliticalStatus.DEMOCRATIC_PARTY.label)),
            Column(str(PoliticalStatus.MASSES.label)),
            Column(gettext("Total")),
            Column(gettext("Party members' share"), Format.SHARE),
        ],
        line=lambda sums: [
            sums["cpc"],
            sums["medal"],
            sums["democratic"],
            sums["masses"],
            sums["total"],
            _share(sums["cpc"], sums["total"]),
        ],
        chart_keys=[
            ("cpc", PoliticalStatus.CPC_MEMBER.label),
            ("democratic", PoliticalStatus.DEMOCRATIC_PARTY.label),
            ("masses", PoliticalStatus.MASSES.label),
        ],
    )


def living_situation(*, user: User, year: int, today: datetime.date) -> Report:
    """居住情况: living situation by unit, and those aged 80 and over who live alone."""
    day = reference_date(year, today)
    situations = list(LivingSituation)
    aged = age_band_q(AgeBand.EIGHTIES, today=day) | age_band_q(AgeBand.NINETY_PLUS, today=day)
    return _register_table(
        user=user,
        day=day,
        counts={
            **{s.value: Count("id", filter=Q(living_situation=s)) for s in situations},
            "aged_alone": Count("id", filter=Q(living_situation=LivingSituation.ALONE) & aged),
        },
        columns=[
            Column(gettext("unit"), Format.TEXT),
            *[Column(str(s.label)) for s in situations],
            Column(gettext("Total")),
            Column(gettext("Aged 80 and over, living alone")),
        ],
        line=lambda sums: [
            *[sums[s.value] for s in situations],
            sums["total"],
            sums["aged_alone"],
        ],
        chart_keys=[(s.value, s.label) for s in situations],
    )


def hardship(*, user: User, year: int, today: datetime.date) -> Report:
    """生活困难: cadres with living difficulties or in extreme hardship, by unit."""
    day = reference_date(year, today)
    return _register_table(
        user=user,
        day=day,
        counts={
            "difficult": Count("id", filter=Q(hardship=Hardship.DIFFICULT)),
            "extreme": Count("id", filter=Q(hardship=Hardship.EXTREME)),
        },
        columns=[
            Column(gettext("unit"), Format.TEXT),
            Column(str(Hardship.DIFFICULT.label)),
            Column(str(Hardship.EXTREME.label)),
            Column(gettext("With hardship")),
            Column(gettext("On the register")),
            Column(gettext("Share with hardship"), Format.SHARE),
        ],
        line=lambda sums: [
            sums["difficult"],
            sums["extreme"],
            sums["difficult"] + sums["extreme"],
            sums["total"],
            _share(sums["difficult"] + sums["extreme"], sums["total"]),
        ],
        chart_keys=[("difficult", Hardship.DIFFICULT.label), ("extreme", Hardship.EXTREME.label)],
    )


# The communities charted: those with the most cadres (the table lists every one).
COMMUNITIES_CHARTED = 20


def cadres_by_community(*, user: User, year: int, today: datetime.date) -> Report:
    """分居住社区: cadres on the register in each residential community (四就近: learning,
    activities and care near home), those living alone (and aged 80 and over) and those
    with hardship — so that a community's visits and help can be planned. Communities
    in pinyin order, those without one last."""
    day = reference_date(year, today)
    alone = Q(living_situation=LivingSituation.ALONE)
    aged = age_band_q(AgeBand.EIGHTIES, today=day) | age_band_q(AgeBand.NINETY_PLUS, today=day)
    counts = {
        "total": Count("id"),
        "alone": Count("id", filter=alone),
        "aged_alone": Count("id", filter=alone & aged),
        # Not "hardship": an annotation may not take the name of a field.
        "with_hardship": Count("id", filter=~Q(hardship=Hardship.NONE)),
        "extreme": Count("id", filter=Q(hardship=Hardship.EXTREME)),
    }
    grouped = _register(user, day).order_by().values("residential_community").annotate(**counts)
    # Names differing only in spaces around them are one community.
    lines: dict[str, dict] = {}
    for row in grouped:
        line = lines.setdefault(row["residential_community"].strip(), dict.fromkeys(counts, 0))
        for key in counts:
            line[key] += row[key]
    named = sorted((name for name in lines if name), key=pinyin_sort_key)
    keys = [*named, *([""] if "" in lines else [])]
    rows = [
        [name or gettext("No community recorded"), *(lines[name][key] for key in counts)]
        for name in keys
    ]
    columns = [
        Column(gettext("residential community"), Format.TEXT),
        Column(gettext("On the register")),
        Column(gettext("Living alone")),
        Column(gettext("Aged 80 and over, living alone")),
        Column(gettext("With hardship")),
        Column(gettext("of whom in extreme hardship")),
    ]
    charted = sorted(rows, key=lambda row: -row[1])[:COMMUNITIES_CHARTED]
    return Report(
        columns=columns,
        rows=rows,
        total=_column_sums(rows, columns, gettext("Total")),
        chart=ChartData(
            labels=[row[0] for row in charted],
            series=[
                (gettext("On the register"), [row[1] for row in charted]),
                (gettext("Living alone"), [row[2] for row in charted]),
                (gettext("With hardship"), [row[4] for row in charted]),
            ],
            stacked=False,
        ),
        note=_register_note(day)
        + (
            " "
            + gettext("The chart shows the %(count)s communities with the most cadres.")
            % {"count": COMMUNITIES_CHARTED}
            if len(rows) > COMMUNITIES_CHARTED
            else ""
        ),
    )


def visits_by_month(*, user: User, year: int, today: datetime.date) -> Report:
    """走访慰问月度统计: visits done in the year, per month, by unit and occasion."""
    day = reference_date(year, today)
    tree = UnitTree(user=user)
    grouped = (
        _visits(user, year)
        .annotate(month=ExtractMonth("visited_on"))
        .order_by()
        .values("cadre__unit_id", "occasion_id", "month")
        .annotate(visits=Count("id"))
    )
    # (report line, occasion) → visits in each month
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * 12)
    for row in grouped:
        cells[tree.head(row["cadre__unit_id"]), row["occasion_id"]][row["month"] - 1] += row[
            "visits"
        ]
    occasions = {
        pk: (name, order, occasion_colour(code))
        for pk, name, order, code in VisitOccasion.objects.values_list(
            "id", "name", "sort_order", "code"
        )
    }
    months = list(range(1, 13))
    month_names = [month_label(datetime.date(2000, m, 1)) for m in months]
    rows: list[list] = []
    emphasis = set()
    by_line: dict[int, list[int]] = defaultdict(list)
    for line, occasion in cells:
        by_line[line].append(occasion)
    for line in sorted(by_line, key=lambda pk: tree.order[pk]):
        line_occasions = sorted(by_line[line], key=lambda pk: (occasions[pk][1], pk))
        for occasion in line_occasions:
            values = cells[line, occasion]
            rows.append([tree.names[line], occasions[occasion][0], *values, sum(values)])
        if len(line_occasions) > 1:
            values = [sum(cells[line, o][m - 1] for o in line_occasions) for m in months]
            emphasis.add(len(rows))
            rows.append([tree.names[line], gettext("Subtotal"), *values, sum(values)])
    by_occasion: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for (_line, occasion), values in cells.items():
        by_occasion[occasion] = [a + b for a, b in zip(by_occasion[occasion], values, strict=True)]
    month_totals = [sum(values[m - 1] for values in by_occasion.values()) for m in months]
    ordered = sorted(by_occasion, key=lambda pk: (occasions[pk][1], pk))
    return Report(
        columns=[
            Column(gettext("unit"), Format.TEXT),
            Column(gettext("occasion"), Format.TEXT),
            *[Column(name) for name in month_names],
            Column(gettext("Total")),
        ],
        rows=rows,
        total=[gettext("Total"), "", *month_totals, sum(month_totals)],
        chart=ChartData(
            labels=month_names,
            series=[(occasions[pk][0], by_occasion[pk]) for pk in ordered],
            horizontal=False,
            colours={occasions[pk][0]: occasions[pk][2] for pk in ordered},
        ),
        note=_year_note(year, day),
        emphasis=frozenset(emphasis),
    )


def condolence_money(*, user: User, year: int, today: datetime.date) -> Report:
    """慰问金: condolence money given on visits done in the year, by unit and holiday (a
    visit belongs to a holiday through the holiday's own occasion)."""
    day = reference_date(year, today)
    tree = UnitTree(user=user)
    grouped = (
        _visits(user, year)
        .filter(condolence_money__gt=0)
        .order_by()
        .values("cadre__unit_id", "occasion__holiday")
        .annotate(money=Sum("condolence_money"), visits=Count("id"))
    )
    money: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    visits: dict[int, int] = defaultdict(int)
    present = set()
    for row in grouped:
        line = tree.head(row["cadre__unit_id"])
        money[line][row["occasion__holiday"]] += row["money"]
        visits[line] += row["visits"]
        present.add(row["occasion__holiday"])
    holidays = [
        (pk, name, code)
        for pk, name, active, code in Holiday.objects.order_by("sort_order", "id").values_list(
            "id", "name", "is_active", "occasion__code"
        )
        if active or pk in present
    ]
    keys = [*[pk for pk, _name, _code in holidays], None]
    labels = [*[name for _pk, name, _code in holidays], gettext("Other occasions")]
    rows = []
    for line in sorted(money, key=lambda pk: tree.order[pk]):
        amounts = [money[line].get(key, Decimal(0)) for key in keys]
        rows.append([tree.names[line], *amounts, sum(amounts, Decimal(0)), visits[line]])
    columns = [
        Column(gettext("unit"), Format.TEXT),
        *[Column(label, Format.MONEY) for label in labels],
        Column(gettext("Total (yuan)"), Format.MONEY),
        Column(gettext("Visits with money"), Format.COUNT),
    ]
    return Report(
        columns=columns,
        rows=rows,
        total=_column_sums(rows, columns, gettext("Total")),
        chart=ChartData(
            labels=[row[0] for row in rows],
            series=[
                (label, [float(row[index]) for row in rows])
                for index, label in enumerate(labels, 1)
            ],
            colours={name: occasion_colour(code) for _pk, name, code in holidays if code},
        ),
        note=_year_note(year, day),
    )


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
    attendances = _attendances(user, year)
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
    register = _register(user, day).count()
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
                _share(participants, register),
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
    total = _column_sums(rows, columns, gettext("Total"))
    # A cadre who came to a study session and a sports event is one participant.
    total[4] = everyone
    total[5] = _share(everyone, register)
    return Report(
        columns=columns,
        rows=rows,
        total=total,
        chart=ChartData(
            labels=[row[0] for row in rows],
            series=[(gettext("Attendances"), [row[3] for row in rows])],
        ),
        note=_year_note(year, day)
        + " "
        + gettext("%(count)s cadres on the register.") % {"count": register},
    )


def volunteer_hours(*, user: User, year: int, today: datetime.date) -> Report:
    """志愿服务时长排行: the cadres with the most volunteer hours in the year."""
    day = reference_date(year, today)
    served = _attendances(user, year).filter(
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
        note=_year_note(year, day)
        + " "
        + gettext("The first %(count)s are listed.") % {"count": RANKING_LENGTH},
    )


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


STANDARD_TABLES: tuple[StandardTable, ...] = (
    StandardTable(
        "age-bands",
        _("Cadres by unit and age band"),
        _("On the register, by unit: 69 and under, 70–79, 80–89, 90 and over."),
        cadres_by_age_band,
    ),
    StandardTable(
        "retirement-kind",
        _("Lixiu and tuixiu cadres by unit"),
        _("On the register, by unit and retirement kind."),
        cadres_by_retirement_kind,
    ),
    StandardTable(
        "party-members",
        _("Party members by unit"),
        _("Political status by unit, with the members fifty years in the Party."),
        party_members,
    ),
    StandardTable(
        "living-situation",
        _("Living situation by unit"),
        _("Living with family, empty nest, alone or in a care home; the aged living alone."),
        living_situation,
    ),
    StandardTable(
        "hardship",
        _("Hardship by unit"),
        _("Cadres with living difficulties or in extreme hardship."),
        hardship,
    ),
    StandardTable(
        "communities",
        _("Cadres by residential community"),
        _("On the register in each community (四就近): living alone, aged and alone, hardship."),
        cadres_by_community,
    ),
    StandardTable(
        "visits",
        _("Visits per month by occasion and unit"),
        _("Visits done in the year, month by month."),
        visits_by_month,
    ),
    StandardTable(
        "condolence-money",
        _("Condolence money by unit and holiday"),
        _("Money given on the year's visits, by holiday and other occasions."),
        condolence_money,
    ),
    StandardTable(
        "activities",
        _("Activities and participation"),
        _("Activities organised, registrations, attendance and participants by kind."),
        activities_and_participation,
    ),
    StandardTable(
        "volunteer-hours",
        _("Volunteer hours ranking"),
        _("The cadres with the most volunteer hours in the year."),
        volunteer_hours,
    ),
    StandardTable(
        "branch-ages",
        _("Average ages of branch committees"),
        _("The secretary's age and the average ages of each branch committee and its members."),
        branch_committee_ages,
    ),
)
TABLES_BY_SLUG = {table.slug: table for table in STANDARD_TABLES}


# --- Years and themes ------------------------------------------------------------------


def year_themes() -> dict[int, YearTheme]:
    return {theme.year: theme for theme in YearTheme.objects.all()}


def year_choices(*, today: datetime.date, themes: dict[int, YearTheme]) -> list[int]:
    """The last ten years, and any earlier year that has a theme, newest first."""
    years = set(range(today.year - YEARS_OFFERED + 1, today.year + 1))
    years |= {year for year in themes if EARLIEST_YEAR <= year <= today.year}
    return sorted(years, reverse=True)


def scope_label(*, user: User) -> str:
    """Whose figures these are, printed under the title."""
    if reads_by_branch(user=user):
        return gettext("Members of the branches you lead")
    if visible_unit_ids(user=user) is None:
        return gettext("All units")
    unit = user.unit
    return gettext("%(unit)s and the units below it") % {"unit": unit.name} if unit else ""


# --- Presenting a table ----------------------------------------------------------------


def format_cell(value, column_format: str) -> str:
    if value is None:
        return "—"
    if column_format == Format.TEXT or isinstance(value, str):
        return str(value)
    if column_format == Format.MONEY:
        return f"{value:,.2f}"
    if column_format == Format.DECIMAL:
        return f"{value:.1f}"
    if column_format == Format.SHARE:
        return f"{value * 100:.1f}%"
    return str(value)


def display_rows(report: Report) -> list[dict]:
    """Rows as the page shows them: text per cell, numbers right-aligned."""
    lines = [(row, index in report.emphasis) for index, row in enumerate(report.rows)]

    def cells(row):
        return [
            {"text": format_cell(value, column.format), "numeric": column.numeric}
            for value, column in zip(row, report.columns, strict=True)
        ]

    return [{"cells": cells(row), "emphasis": emphasis} for row, emphasis in lines] + (
        [{"cells": cells(report.total), "emphasis": True, "total": True}] if report.total else []
    )


def chart_geometry(chart: ChartData) -> dict:
    if chart.horizontal:
        geometry = horizontal_stacked_bars(
            chart.labels,
            chart.series,
            stacked=chart.stacked,
            decimals=chart.decimals,
            colours=chart.colours,
        )
    else:
        geometry = bar_chart(
            chart.labels, chart.series or [("", [0] * len(chart.labels))], colours=chart.colours
        )
    return {**geometry, "horizontal": chart.horizontal}


# --- The .xlsx download ----------------------------------------------------------------

_XLSX_FORMATS = {
    Format.COUNT: "0",
    Format.MONEY: "#,##0.00",
    Format.DECIMAL: "0.0",
    Format.SHARE: "0.0%",
}


def report_workbook(
    *,
    table: StandardTable,
    report: Report,
    year: int,
    theme: YearTheme | None,
    scope: str,
) -> bytes:
    """The table as an .xlsx file: the year's theme and the title on top, then the same
    headers, rows and total row as the page."""
    workbook = Workbook()
    sheet = workbook.active
    title = str(table.title)
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    width = len(report.columns)
    heading = gettext("Year %(year)s") % {"year": year}
    if theme:
        heading = f"{heading} · {theme.theme}"
    lines = [
        (heading, Font(bold=True, size=14, color="8C1D18")),
        (title, Font(bold=True, size=13)),
        (" · ".join(part for part in (scope, report.note) if part), Font(size=10, italic=True)),
    ]
    for row_number, (text, font) in enumerate(lines, 1):
        write_cell(sheet, row=row_number, column=1, value=text).font = font
        if width > 1:
            sheet.merge_cells(
                start_row=row_number, start_column=1, end_row=row_number, end_column=width
            )
    header_row = len(lines) + 2
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column_number, column in enumerate(report.columns, 1):
        cell = write_cell(sheet, row=header_row, column=column_number, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2E6E5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    body = [(row, index in report.emphasis) for index, row in enumerate(report.rows)]
    if report.total:
        body.append((report.total, True))
    for offset, (row, bold) in enumerate(body, 1):
        for column_number, (value, column) in enumerate(zip(row, report.columns, strict=True), 1):
            cell = write_cell(sheet, row=header_row + offset, column=column_number, value=value)
            cell.border = border
            if bold:
                cell.font = Font(bold=True)
            if column.numeric and not isinstance(value, str):
                cell.number_format = _XLSX_FORMATS[column.format]
    for column_number, column in enumerate(report.columns, 1):
        longest = max(
            [len(str(column.label))]
            + [len(format_cell(row[column_number - 1], column.format)) for row, _bold in body]
        )
        sheet.column_dimensions[get_column_letter(column_number)].width = min(
            max(longest * 2 if not column.numeric else longest + 4, 8), 40
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
