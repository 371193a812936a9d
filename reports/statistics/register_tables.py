"""The tables of the register (在册干部): the cadres on the register on the reference
day by unit and age band, retirement kind, political status (with the members fifty
years in the Party), living situation and hardship, and by residential community.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext

from accounts.models import User
from cadres.age_bands import AgeBand, age_band_q
from cadres.audiences import years_before
from cadres.models import Hardship, LivingSituation, PoliticalStatus, RetirementKind
from cadres.pinyin import pinyin_sort_key

from .report import ChartData, Column, Format, Report, column_sums, share
from .selectors import UnitTree, reference_date, register_note, scoped_register

# "光荣在党50年": the medal for fifty years in the Party.
PARTY_MEDAL_YEARS = 50


def _register_table(
    *, user: User, day: datetime.date, counts: dict, columns: list[Column], line, chart_keys
) -> Report:
    """A register table with one row per unit: ``counts`` are the aggregates per unit,
    ``line`` turns the summed counts into the row's figures after the unit's name."""
    tree = UnitTree(user=user)
    grouped = (
        scoped_register(user, day)
        .order_by()
        .values("unit_id")
        .annotate(total=Count("id"), **counts)
    )
    lines = tree.roll_up(grouped, "unit_id", ["total", *counts])
    rows = [[tree.names[head], *line(sums)] for head, sums in lines]
    whole = {name: sum(sums[name] for _head, sums in lines) for name in ["total", *counts]}
    total = [gettext("Total"), *line(whole)]
    chart = ChartData(
        labels=[row[0] for row in rows],
        series=[(str(label), [sums[key] for _head, sums in lines]) for key, label in chart_keys],
    )
    return Report(columns=columns, rows=rows, total=total, chart=chart, note=register_note(day))


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
            share(sums[RetirementKind.LIXIU.value], sums["total"]),
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
                filter=member & Q(party_joined_on__lte=years_before(day, PARTY_MEDAL_YEARS)),
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
            share(sums["cpc"], sums["total"]),
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
            share(sums["difficult"] + sums["extreme"], sums["total"]),
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
    grouped = (
        scoped_register(user, day).order_by().values("residential_community").annotate(**counts)
    )
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
        total=column_sums(rows, columns, gettext("Total")),
        chart=ChartData(
            labels=[row[0] for row in charted],
            series=[
                (gettext("On the register"), [row[1] for row in charted]),
                (gettext("Living alone"), [row[2] for row in charted]),
                (gettext("With hardship"), [row[4] for row in charted]),
            ],
            stacked=False,
        ),
        note=register_note(day)
        + (
            " "
            + gettext("The chart shows the %(count)s communities with the most cadres.")
            % {"count": COMMUNITIES_CHARTED}
            if len(rows) > COMMUNITIES_CHARTED
            else ""
        ),
    )
