"""Fast bulk loading for large data sets (the 100,000-cadre demo behind the benchmarks).

Django's ``bulk_create`` compiles every value of every row through the field machinery,
which dominates the cost at this size. Here only the columns that need it are adapted
(dates, JSON, files) and rows are sent with one ``executemany`` per batch; ids are
assigned up front (so callers can link rows without reading them back) and
PostgreSQL's sequences are reset afterwards. After a bulk write, ``analyze_tables``
gives the query planner fresh statistics of the tables written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.constants import OnConflict
from django.utils import timezone

from .encryption import EncryptedTextField, LookupHashField

BATCH = 5000


def _converters(fields: Sequence[models.Field]) -> list[tuple[int, Callable]]:
    """For each column that needs it, the function turning a Python value into what the
    database driver takes; columns of plain ints and strings are passed as they are."""
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"
    converters: list[tuple[int, Callable]] = []
    for index, field in enumerate(fields):
        if isinstance(field, EncryptedTextField):
            converters.append((index, field.get_prep_value))
        elif isinstance(field, models.FileField):
            converters.append((index, lambda value: value.name or ""))
        elif isinstance(field, models.JSONField):
            encoder = field.encoder
            converters.append((index, lambda value, e=encoder: ops.adapt_json_value(value, e)))
        elif sqlite and isinstance(field, models.DateTimeField):
            converters.append((index, lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)))
        elif sqlite and isinstance(field, models.DateField):
            converters.append((index, lru_cache(maxsize=4096)(datetime.date.isoformat)))
        elif sqlite and isinstance(field, models.DecimalField):
            converters.append((index, str))
    return converters


def _execute(
    table: str,
    fields: Sequence[models.Field],
    rows: Iterable[tuple],
    *,
    ignore_conflicts: bool = False,
) -> None:
    ops = connection.ops
    quote = ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{} {} ({}) VALUES ({}) {}".format(
        ops.insert_statement(on_conflict=on_conflict),
        quote(table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        ops.on_conflict_suffix_sql([], on_conflict, [], []) if ignore_conflicts else "",
    )
    converters = _converters(fields)
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            if converters:
                row = list(row)
                for index, convert in converters:
                    value = row[index]
                    if value is not None:
                        row[index] = convert(value)
            batch.append(tuple(row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def bulk_insert(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """Insert unsaved instances of ``model`` with consecutive new ids; returns them with
    their ``pk`` set. ``auto_now``/``auto_now_add`` fields get the current time, lookup
    hashes are computed and encrypted fields encrypted."""
    meta = model._meta
    fields = list(meta.concrete_fields)
    start = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
    now = timezone.now()
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    hashed = [f for f in fields if isinstance(f, LookupHashField)]
    for offset, obj in enumerate(objs):
        obj.pk = start + offset
        for field in stamped:
            setattr(obj, field.attname, now)
        for field in hashed:
            field.pre_save(obj, add=True)
        obj._state.adding = False
    _execute(
        meta.db_table,
        fields,
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
    _execute(meta.db_table, fields, rows, ignore_conflicts=ignore_conflicts)


def reset_sequences(model: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# Rows per index that SQLite's ANALYZE samples: enough for the planner, and it bounds the
# time ANALYZE takes on a large file (SQLite otherwise reads every index in full).
SQLITE_ANALYSIS_LIMIT = 1000


def analyze_tables(models_to_analyze: Iterable[type[models.Model]]) -> list[str]:
    """Refresh the planner's statistics of these models' tables (and their history
    tables) after a bulk write; returns the tables analysed.

    PostgreSQL's planner estimates from statistics that only ANALYZE (or autovacuum, some
    time later, if it runs at all) collects: right after 100,000 rows arrive in tables it
    believes empty, it picks nested loops, and a GROUP BY over visits ran for more than
    ten minutes on a server with autovacuum off. SQLite's planner reads the same kind of
    figures from ``sqlite_stat1``."""
    tables: list[str] = []
    for model in models_to_analyze:
        history = getattr(model, "history", None)
        for each in (model, getattr(history, "model", None)):
            if each is None or not each._meta.managed or each._meta.proxy:
                continue
            tables.append(each._meta.db_table)
            # Many-to-many tables Django made for the model (visit ↔ visitors).
            tables.extend(
                field.m2m_db_table()
                for field in each._meta.local_many_to_many
                if field.remote_field.through._meta.auto_created
            )
    tables = list(dict.fromkeys(tables))
    if not tables or connection.vendor not in ("postgresql", "sqlite"):
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables))
        else:
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
    return tables
