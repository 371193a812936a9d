"""Fast bulk loading for large data sets (the 100,000-cadre demo behind the benchmarks).

Django's ``bulk_create`` compiles every value of every row through the field machinery,
which dominates the cost at this size. Here the values are adapted by type and sent with
one ``executemany`` per batch; ids are assigned up front (so callers can link rows
without reading them back) and PostgreSQL's sequences are reset afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.constants import OnConflict
from django.db.models.fields.files import FieldFile
from django.utils import timezone

BATCH = 5000


def _adapter():
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"

    @lru_cache(maxsize=4096)
    def adapt_temporal(value):
        if isinstance(value, datetime.datetime):
            return ops.adapt_datetimefield_value(value)
        return value.isoformat()

    def adapt(value):
        if value is None or isinstance(value, int | str):
            return value
        if sqlite and isinstance(value, datetime.date):
            return adapt_temporal(value)
        if isinstance(value, FieldFile):
            return value.name or ""
        if not sqlite:
            return value
        if isinstance(value, Decimal):
            return str(value)
        return value

    return adapt


def _execute(
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    ignore_conflicts: bool = False,
    json_columns: Sequence[int] = (),
    json_field=None,
) -> None:
    ops = connection.ops
    quote = ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{} {} ({}) VALUES ({}) {}".format(
        ops.insert_statement(on_conflict=on_conflict),
        quote(table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
        ops.on_conflict_suffix_sql([], on_conflict, [], []) if ignore_conflicts else "",
    )
    adapt = _adapter()
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            if json_columns:
                row = list(row)
                for index in json_columns:
                    row[index] = ops.adapt_json_value(row[index], json_field.encoder)
            batch.append(tuple(adapt(v) for v in row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def bulk_insert(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """Insert unsaved instances of ``model`` with consecutive new ids; returns them with
    their ``pk`` set. ``auto_now``/``auto_now_add`` fields get the current time."""
    meta = model._meta
    fields = list(meta.concrete_fields)
    start = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
    now = timezone.now()
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for offset, obj in enumerate(objs):
        obj.pk = start + offset
        for field in stamped:
            setattr(obj, field.attname, now)
        obj._state.adding = False
    _execute(
        meta.db_table,
        [f.column for f in fields],
        (tuple(getattr(obj, f.attname) for f in fields) for obj in objs),
    )
    reset_sequences(model)
    return objs


def bulk_insert_values(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[tuple],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert plain tuples of the named fields, without building model instances; the
    database assigns the ids. With ``ignore_conflicts``, rows that would break a unique
    constraint are skipped (INSERT OR IGNORE / ON CONFLICT DO NOTHING)."""
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]
    json_columns = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    _execute(
        meta.db_table,
        [f.column for f in fields],
        rows,
        ignore_conflicts=ignore_conflicts,
        json_columns=json_columns,
        json_field=fields[json_columns[0]] if json_columns else None,
    )


def reset_sequences(model: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
