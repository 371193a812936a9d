"""How many cadres a registry list holds, and which residential communities it offers,
read without walking the register on PostgreSQL.

A province's register holds 100,000 cadres: an exact ``COUNT(*)`` of every row that
matches, or a ``DISTINCT`` of their communities, reads them all on every page. Above
``REGISTRY_EXACT_COUNT_BELOW`` rows the list says "共约 N 条" from the planner's
estimate (kept true by ``ANALYZE``); the few dozen communities are read by skipping
through the index on the column, one probe each."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .models import Cadre


@dataclass(frozen=True)
class ListCount:
    """The size of a list: exact, or the planner's estimate (``approximate``)."""

    value: int
    approximate: bool = False


def _planner_rows(queryset: QuerySet) -> int | None:
    """The rows PostgreSQL expects ``queryset`` to return (EXPLAIN, no execution)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def list_count(queryset: QuerySet) -> ListCount:
    """The number of rows of ``queryset``: counted when the planner expects fewer than
    ``REGISTRY_EXACT_COUNT_BELOW`` (or on SQLite, whose planner gives no estimate),
    else that estimate rounded to three significant figures."""
    threshold = settings.REGISTRY_EXACT_COUNT_BELOW
    if connection.vendor != "postgresql" or not threshold:
        return ListCount(queryset.count())
    try:
        estimate = _planner_rows(queryset)
    except EmptyResultSet:  # a scope or filter that can match nothing
        return ListCount(0)
    if estimate is None or estimate < threshold:
        return ListCount(queryset.count())
    digits = len(str(estimate)) - 3
    return ListCount(round(estimate, -digits) if digits > 0 else estimate, approximate=True)


# Each step takes the next community above the last through the index on
# (residential_community, status): as many index probes as there are communities.
_SKIP_SCAN = """
WITH RECURSIVE community(name) AS (
    SELECT MIN(residential_community) FROM {table} WHERE residential_community > ''
    UNION ALL
    SELECT (SELECT MIN(residential_community) FROM {table}
            WHERE residential_community > community.name)
    FROM community WHERE community.name IS NOT NULL
)
SELECT name FROM community WHERE name IS NOT NULL
"""


def all_community_names() -> list[str]:
    """Every residential community on the register (whatever the status), in order."""
    if connection.vendor != "postgresql":
        return list(
            Cadre.objects.exclude(residential_community="")
            .order_by("residential_community")
            .values_list("residential_community", flat=True)
            .distinct()
        )
    with connection.cursor() as cursor:
        cursor.execute(_SKIP_SCAN.format(table=connection.ops.quote_name(Cadre._meta.db_table)))
        return [row[0] for row in cursor.fetchall()]
