"""Backups of the whole installation (``manage.py backup`` / ``manage.py restore``).

A backup is a folder ``yinling-YYYYmmdd-HHMMSS`` holding a consistent copy of the
database — SQLite's online backup API into ``db.sqlite3``, or ``pg_dump --format=custom``
into ``db.dump`` (the client tools are found and run by pg_tools.py) — a ``manifest.json``
(when, which engine, the migrations applied, the rows of every table and the SHA-256 of
the copy), the uploaded media (cadre photos) and the private uploads of
PRIVATE_FILES_ROOT (assistance documents, checkup report scans; see backup_files.py).

What is *not* in it, by design:

- the keys of the ID numbers (``YINLING_FIELD_ENCRYPTION_KEYS``/``YINLING_LOOKUP_HASH_KEY``
  or, on a laptop, ``var/field-keys.json``): the ID numbers in a backup are ciphertext,
  and a backup that carried its keys would carry them readable. ``--with-keys`` adds the
  laptop's key file, for moving a laptop installation to another machine only;
- uploaded ledger spreadsheets (``media/ledger/imports``): working files of an import,
  with ID numbers in clear; an imported ledger is in the database already.

It lives in the registry app because what it guards is the registry and its keys; it
reads every table through the database, not through the apps' models.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from . import encryption
from .backup_files import (
    MEDIA,
    MEDIA_LEFT_OUT,
    PRIVATE,
    files_copy_media,
    files_copy_private,
    files_restore,
)
from .models import Cadre
from .pg_tools import PgToolError, pg_run, pg_tool

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
KEY_FILE = "field-keys.json"
KEYS_NOTE = (
    "ID numbers are stored encrypted, and their keys are not in this backup: keep "
    "YINLING_FIELD_ENCRYPTION_KEYS and YINLING_LOOKUP_HASH_KEY (on a laptop, "
    "var/field-keys.json) apart from it, in a second safe place. Without them the ID "
    "numbers of this backup cannot be read."
)
KEYS_INCLUDED_NOTE = (
    "This backup holds the laptop's key file (field-keys.json): whoever has it can read "
    "every ID number in it. Only for moving a laptop installation; delete it once moved."
)
# Tables printed after a restore (every table is compared; these are shown).
KEY_TABLES = (
    "accounts_unit",
    "accounts_user",
    "cadres_cadre",
    "cadres_familycontact",
    "cadres_visit",
    "cadres_careneed",
    "branches_partybranch",
    "activities_activity",
    "reminders_digest",
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Restored:
    manifest: dict
    counts: dict[str, int]
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    unapplied_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)
    keys_installed: str = ""
    id_numbers_readable: bool | None = None


# ------------------------------------------------------------------------------
# Backup
# ------------------------------------------------------------------------------
def backup_create(*, parent: Path | None = None, with_keys: bool = False) -> tuple[Path, dict]:
    """Write a backup folder under ``parent`` (default ``var/backups``) and return it with
    its manifest. The folder appears only once complete (it is written under a hidden
    name first), readable by its owner only."""
    engine = _engine()
    key_file = Path(settings.YINLING_FIELD_KEY_FILE)
    if with_keys and (_keys_from_environment() or not key_file.exists()):
        raise BackupError(
            "--with-keys copies a laptop's generated key file; this installation takes its "
            "keys from YINLING_FIELD_ENCRYPTION_KEYS / YINLING_LOOKUP_HASH_KEY (or has no "
            "key file). Keep those with the other secrets, never with the backups."
        )
    parent = Path(parent or Path(settings.VAR_DIR) / "backups")
    parent.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    final = parent / f"yinling-{now:%Y%m%d-%H%M%S}"
    suffix = 1
    while final.exists():
        suffix += 1
        final = parent / f"yinling-{now:%Y%m%d-%H%M%S}-{suffix}"
    work = parent / f".{final.name}.partial"
    work.mkdir(mode=0o700)
    try:
        target = work / DATABASE_FILES[engine]
        if engine == "sqlite":
            counts, migrations = _sqlite_backup(target)
        else:
            counts, migrations = _postgres_backup(target)
        target.chmod(0o600)
        media_files = files_copy_media(work / MEDIA)
        private_files = files_copy_private(work / PRIVATE)
        if with_keys:
            shutil.copy2(key_file, work / KEY_FILE)
            (work / KEY_FILE).chmod(0o600)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "engine": engine,
            "database_file": target.name,
            "sha256": _sha256(target),
            "size_bytes": target.stat().st_size,
            "migrations": {
                "applied": sum(len(names) for names in migrations.values()),
                "latest": {app: max(names) for app, names in sorted(migrations.items())},
            },
            "row_counts": dict(sorted(counts.items())),
            "media_files": media_files,
            "media_left_out": list(MEDIA_LEFT_OUT),
            "private_files": private_files,
            "field_keys": "included" if with_keys else "not included",
            "field_keys_note": KEYS_INCLUDED_NOTE if with_keys else KEYS_NOTE,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        (work / MANIFEST).chmod(0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final, manifest


def _sqlite_backup(target: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    # The online backup API copies a consistent state of the database (the WAL
    # included) while the app goes on using it; the copy is one self-contained file.
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as copy:
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return _counts(copy.cursor(), tables), _migrations(copy.cursor())


def _postgres_backup(target: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    # pg_dump reads the snapshot exported here, so the counts in the manifest are those
    # of the very rows it dumps, whatever the app writes meanwhile.
    try:
        tool = pg_tool("pg_dump")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            pg_run(
                tool,
                "--format=custom",
                f"--file={target}",
                f"--snapshot={snapshot}",
                "--no-password",
            )
            tables = connection.introspection.table_names(cursor)
            return _counts(cursor, tables), _migrations(cursor)
    except PgToolError as error:
        raise BackupError(str(error)) from None


# ------------------------------------------------------------------------------
# Restore
# ------------------------------------------------------------------------------
def backup_read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, checked against the copy it describes."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a Yinling backup: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(
            f"The backup is of a {manifest.get('engine')} database; this installation uses "
            f"{engine}. A backup is restored onto the same kind of database."
        )
    database_file = folder / DATABASE_FILES[engine]
    if not database_file.is_file():
        raise BackupError(f"{database_file} is missing.")
    if _sha256(database_file) != manifest.get("sha256"):
        raise BackupError(
            f"{database_file} does not match the checksum in the manifest: the copy is "
            "damaged or was changed. Nothing was restored."
        )
    return manifest


def backup_restore(*, folder: Path) -> Restored:
    """Replace the database (and add the media and private files) with the backup in
    ``folder``, then compare every table's rows with the manifest. Stop the web app, the
    worker and beat first: the database is replaced under them."""
    folder = Path(folder)
    manifest = backup_read_manifest(folder)
    database_file = folder / manifest["database_file"]
    connections.close_all()
    if manifest["engine"] == "sqlite":
        _sqlite_restore(database_file)
    else:
        try:
            pg_run(
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                str(database_file),
                "--dbname",  # the database name follows (see pg_tools.pg_run)
            )
        except PgToolError as error:
            raise BackupError(str(error)) from None
        connections.close_all()
        # pg_dump carries no planner statistics: without them the first queries on the
        # restored tables are planned as if they were empty (see cadres.bulk.analyze_tables).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    files_restore(folder)
    restored = Restored(manifest=manifest, counts={})
    if (folder / KEY_FILE).is_file():
        restored.keys_installed = _install_key_file(folder / KEY_FILE)
    expected = manifest["row_counts"]
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        restored.counts = _counts(cursor, [t for t in expected if t in present])
        applied = _migrations(cursor)
    restored.mismatches = {
        table: (count, restored.counts.get(table))
        for table, count in expected.items()
        if restored.counts.get(table) != count
    }
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    restored.unapplied_migrations = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    # Applied in the backup, unknown to this code: the backup is of a newer version.
    known = set(executor.loader.disk_migrations) | set(executor.loader.replacements)
    restored.unknown_migrations = sorted(
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in known and app in executor.loader.migrated_apps
    )
    restored.id_numbers_readable = _id_numbers_readable()
    return restored


def _sqlite_restore(source: Path) -> None:
    # The backup API in reverse: the open database's pages are replaced by the copy's in
    # one step, under SQLite's own locks (it waits while another process writes).
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as copy:
        connection.ensure_connection()
        copy.backup(connection.connection)
    connections.close_all()


def _install_key_file(source: Path) -> str:
    """Put a backed-up laptop key file in place; what was done, in words."""
    target = Path(settings.YINLING_FIELD_KEY_FILE)
    if _keys_from_environment():
        return (
            "The backup's key file was not installed: this installation takes its keys "
            "from the environment."
        )
    message = f"Key file installed: {target}"
    if target.exists():
        if target.read_bytes() == source.read_bytes():
            return f"Key file unchanged: {target}"
        kept = target.with_name(f"{target.name}.before-restore-{timezone.now():%Y%m%d%H%M%S}")
        target.rename(kept)
        message += f" (the previous one is kept as {kept.name})"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only from the moment it exists (as encryption.py writes it).
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(source.read_bytes())
    # This process read the old file already; the web app and the worker need a restart.
    encryption._configured.cache_clear()
    return message + ". Restart the web app and the worker."


def _id_numbers_readable() -> bool | None:
    """Whether this installation's keys open the restored ID numbers (None: none to
    open). The first few rows tell: the keys must open each of them and match its hash."""
    meta = Cadre._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT {}, {} FROM {} WHERE {} <> '' ORDER BY {} LIMIT 5".format(
                quote(meta.get_field("id_number").column),
                quote(meta.get_field("id_number_hash").column),
                quote(meta.db_table),
                quote(meta.get_field("id_number").column),
                quote(meta.pk.column),
            )
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    try:
        return all(encryption.lookup_hash(encryption.decrypt(t)) == h for t, h in rows)
    except ImproperlyConfigured:
        return False


# ------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------
def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _keys_from_environment() -> bool:
    return bool(settings.YINLING_FIELD_ENCRYPTION_KEYS or settings.YINLING_LOOKUP_HASH_KEY)


def _counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        # Both engines quote names the SQL standard's way.
        cursor.execute('SELECT COUNT(*) FROM "{}"'.format(table.replace('"', '""')))
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor) -> dict[str, set[str]]:
    cursor.execute("SELECT app, name FROM django_migrations")
    applied: dict[str, set[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, set()).add(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
