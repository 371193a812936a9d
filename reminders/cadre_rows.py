"""The register as the reminder rules read it: every cadre on the register (now, or on
a past day) as a light ``CadreRow`` tuple, read with a plain cursor so that the rules
can walk 100,000 cadres in seconds, and ``on_register``, the filter that says who was
on the register on a given day (retired by then, neither dead nor transferred out
before it). The holiday campaign pages and the reports read the register the same way.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from cadres.models import Cadre
from cadres.register import on_register


class CadreRow(NamedTuple):
    id: int
    name: str
    birth_date: datetime.date
    lunar: bool
    unit_id: int
    liaison_id: int | None
    political_status: str
    party_joined_on: datetime.date | None
    retirement_kind: str
    hardship: str
    health: str
    health_changed_on: datetime.date | None
    created_on: datetime.date


def active_cadres(
    cadre_filter: Q | None = None, *, on: datetime.date | None = None
) -> list[CadreRow]:
    """Every cadre on the register (or, given ``on``, on the register that day), as
    light tuples. Read with a plain cursor: the ORM's per-value converters would cost
    more than the rest of the plan at 100,000 rows."""
    queryset = Cadre.objects.filter(on_register(on))
    if cadre_filter is not None:
        queryset = queryset.filter(cadre_filter)
    queryset = queryset.order_by().values_list(
        "id",
        "name",
        "birth_date",
        "celebrates_lunar_birthday",
        "unit_id",
        "liaison_id",
        "political_status",
        "party_joined_on",
        "retirement_kind",
        "hardship",
        "health",
        "health_changed_on",
        "created_at",
    )
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter on no ids at all (a secretary who leads no branch)
        return []
    zone = timezone.get_current_timezone()
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for row in chunk:
                (pk, name, birth, lunar, unit, liaison, political, joined, kind, hardship,
                 health, health_since, created) = row  # fmt: skip
                rows.append(
                    CadreRow(
                        pk,
                        name,
                        _as_date(birth),
                        bool(lunar),
                        unit,
                        liaison,
                        political,
                        _as_date(joined),
                        kind,
                        hardship,
                        health,
                        _as_date(health_since),
                        _created_on(created, zone),
                    )
                )
    return rows


def _as_date(value) -> datetime.date | None:
    """SQLite hands dates back as ISO strings, PostgreSQL as dates."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def _created_on(value, zone) -> datetime.date:
    if isinstance(value, str):  # SQLite: naive UTC
        value = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value.astimezone(zone).date()
