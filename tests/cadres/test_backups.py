"""``manage.py backup`` and ``manage.py restore``: the demo registry round-trips (every
table's rows, the cadre table byte for byte, the media and the private files), on a
SQLite file and — when DATABASE_URL names PostgreSQL, as in CI's second pass — on
PostgreSQL with pg_dump and pg_restore. The keys of the ID numbers stay out of a backup
unless --with-keys."""

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from glob import glob
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cadres.models import Cadre
from tests.factories import CadreFactory

ROOT = Path(__file__).resolve().parents[2]

# Every table's rows, and a checksum of the cadre table's raw rows (ID numbers as the
# ciphertext stored): a restore must give back the very bytes.
SNAPSHOT = r"""
import hashlib, json
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    tables = connection.introspection.table_names(cursor)
    for table in sorted(t for t in tables if not t.startswith("sqlite_")):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT * FROM cadres_cadre ORDER BY id")
    digest = hashlib.sha256()
    for row in cursor.fetchall():
        digest.update(repr(tuple(row)).encode())
print(json.dumps({"counts": counts, "cadres": digest.hexdigest()}))
"""

# Changes after the backup, which the restore must undo.
CHANGE = r"""
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("DELETE FROM cadres_visit_visitors")
    # History rows: nothing refers to them (visits are referred to by follow-ups,
    # checkups and expenses).
    cursor.execute("DELETE FROM cadres_historicalvisit WHERE history_id % 3 = 0")
    cursor.execute("SELECT MIN(id) FROM cadres_cadre")
    cursor.execute("UPDATE cadres_cadre SET name = 'changed' WHERE id = %s", cursor.fetchone())
"""


# Settings of the machine the suite runs on that an installation must not take.
NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "MEDIA_ROOT",
    "PRIVATE_FILES_ROOT",
)


class Installation:
    """A Yinling installation on the embedded defaults in its own var folder, driven by
    manage.py in subprocesses, as an operator would."""

    def __init__(self, var_dir: Path, database_url: str | None = None):
        self.var_dir = var_dir
        self.env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            YINLING_IGNORE_DOTENV="1",
            YINLING_VAR_DIR=str(var_dir),
            YINLING_FIELD_ENCRYPTION_KEYS="",
            YINLING_LOOKUP_HASH_KEY="",
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def run(self, *args, stdin: str = "", check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result

    def shell(self, script: str) -> str:
        return self.run("shell", "-v0", "-c", script).stdout

    def snapshot(self) -> dict:
        return json.loads(self.shell(SNAPSHOT).strip().splitlines()[-1])

    def backup(self, *args) -> Path:
        output = self.run("backup", *args).stdout
        match = re.search(r"Backup written: (\S+)", output)
        assert match, output
        return Path(match.group(1))


def round_trip(site: Installation) -> None:
    site.run("migrate", "-v0")
    site.run("seed_demo", "--cadres", "200")
    media = site.var_dir / "media"
    (media / "cadres" / "photos" / "2026").mkdir(parents=True)
    (media / "cadres" / "photos" / "2026" / "portrait.jpg").write_bytes(b"\xff\xd8photo")
    (media / "ledger" / "imports" / "2026" / "12").mkdir(parents=True)
    (media / "ledger" / "imports" / "2026" / "12" / "upload.xlsx").write_bytes(b"ID numbers")
    # Private uploads (an assistance document, a checkup scan), by default in var/private.
    private = site.var_dir / "private"
    scans = ["assistance/cases/1/record.pdf", "checkups/2026/scan.pdf"]
    for name in scans:
        (private / name).parent.mkdir(parents=True)
        (private / name).write_bytes(b"%PDF-1.4 " + name.encode())
    before = site.snapshot()
    assert before["counts"]["cadres_cadre"] == 200

    folder = site.backup()
    assert folder.parent == site.var_dir / "backups"
    assert re.fullmatch(r"yinling-\d{8}-\d{6}", folder.name)
    assert oct(folder.stat().st_mode)[-3:] == "700"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"] == before["counts"]
    assert manifest["field_keys"] == "not included"
    assert not (folder / "field-keys.json").exists()
    assert (folder / "media" / "cadres" / "photos" / "2026" / "portrait.jpg").exists()
    # Uploaded ledgers hold ID numbers in clear: never in a backup.
    assert not (folder / "media" / "ledger" / "imports").exists()
    assert manifest["private_files"] == 2
    assert all((folder / "private" / name).is_file() for name in scans)

    site.shell(CHANGE)
    (media / "cadres" / "photos" / "2026" / "portrait.jpg").unlink()
    shutil.rmtree(private)
    changed = site.snapshot()
    assert changed["counts"]["cadres_historicalvisit"] < before["counts"]["cadres_historicalvisit"]
    assert changed["cadres"] != before["cadres"]

    refused = site.run("restore", str(folder), stdin="no\n", check=False)
    assert refused.returncode != 0 and "Not restored" in refused.stderr
    assert site.snapshot() == changed

    output = site.run("restore", str(folder), "--yes").stdout
    assert "Restored: " in output
    assert re.search(r"cadres_cadre\s+200\s+200\s+ok", output)
    assert site.snapshot() == before
    assert (media / "cadres" / "photos" / "2026" / "portrait.jpg").read_bytes() == b"\xff\xd8photo"
    for name in scans:
        assert (private / name).read_bytes() == b"%PDF-1.4 " + name.encode()
    # The restored database is the app's again (sequences included): a new cadre is saved.
    site.shell(
        "from accounts.models import Unit; from tests.factories import CadreFactory; "
        "CadreFactory(unit=Unit.objects.order_by('pk').first())"
    )
    assert site.snapshot()["counts"]["cadres_cadre"] == 201


@pytest.mark.slow
def test_the_demo_registry_round_trips_on_a_sqlite_file(tmp_path):
    site = Installation(tmp_path)
    round_trip(site)
    assert (site.var_dir / "yinling.sqlite3").exists()


def _pg_tools_available() -> bool:
    return all(
        shutil.which(tool) or glob(f"/usr/lib/postgresql/*/bin/{tool}")
        for tool in ("pg_dump", "pg_restore")
    )


@pytest.mark.slow
def test_the_demo_registry_round_trips_on_postgresql(tmp_path):
    # The suite's own database when it is PostgreSQL, else the server CI names for this
    # test in its SQLite pass too; a throwaway database is made on it either way.
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = os.environ.get("YINLING_TEST_POSTGRES_URL", "")
    if not base.startswith("postgres"):
        if os.environ.get("CI"):
            pytest.fail("CI must name a PostgreSQL server: YINLING_TEST_POSTGRES_URL")
        pytest.skip("no PostgreSQL server named (DATABASE_URL or YINLING_TEST_POSTGRES_URL)")
    if not _pg_tools_available():
        if os.environ.get("CI"):
            pytest.fail("pg_dump and pg_restore are needed for backups and must be installed")
        pytest.skip("pg_dump/pg_restore not installed")
    import psycopg

    name = f"yinling_backup_{uuid.uuid4().hex[:8]}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        site = Installation(tmp_path, database_url=base.rsplit("/", 1)[0] + f"/{name}")
        round_trip(site)
        assert (site.var_dir / "backups").is_dir()
        assert next((site.var_dir / "backups").iterdir()).joinpath("db.dump").exists()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_with_keys_moves_a_laptop_installation_to_another_machine(tmp_path):
    old = Installation(tmp_path / "old")
    old.run("migrate", "-v0")
    old.run("seed_demo", "--cadres", "20")
    read_numbers = (
        "from cadres.models import Cadre; "
        "print(sorted(Cadre.objects.values_list('id_number', flat=True)))"
    )
    numbers = old.shell(read_numbers)
    without_keys = old.backup()
    folder = old.backup("--with-keys", "--to", str(tmp_path / "moved"))
    assert folder.parent == tmp_path / "moved"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["field_keys"] == "included"
    assert oct((folder / "field-keys.json").stat().st_mode)[-3:] == "600"

    new = Installation(tmp_path / "new")
    # Without its keys, a backup restores but its ID numbers do not open: said loudly.
    result = new.run("restore", str(without_keys), "--yes")
    assert "do not open with this installation's keys" in result.stderr
    generated = (tmp_path / "new" / "field-keys.json").read_bytes()

    output = new.run("restore", str(folder), "--yes").stdout
    assert "Key file installed" in output
    assert (tmp_path / "new" / "field-keys.json").read_bytes() == (
        tmp_path / "old" / "field-keys.json"
    ).read_bytes()
    # The key file it replaced is kept, not lost.
    (kept,) = (tmp_path / "new").glob("field-keys.json.before-restore-*")
    assert kept.read_bytes() == generated
    assert new.shell(read_numbers) == numbers


# Quick checks in this process: the refusals come before anything is touched.


def fake_backup(folder: Path, **manifest) -> Path:
    folder.mkdir()
    name = "db.sqlite3" if connection.vendor == "sqlite" else "db.dump"
    (folder / name).write_bytes(b"not a database")
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "format": 1,
                "engine": connection.vendor,
                "database_file": name,
                "sha256": "0" * 64,
                "created_at": "2026-12-01T07:30:00+08:00",
                "row_counts": {},
                **manifest,
            }
        )
    )
    return folder


@pytest.mark.django_db
def test_restore_refuses_a_damaged_copy(tmp_path):
    CadreFactory()
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(fake_backup(tmp_path / "b")), "--yes")
    assert Cadre.objects.count() == 1


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_engine(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(CommandError, match="same kind of database"):
        call_command("restore", str(fake_backup(tmp_path / "b", engine=other)), "--yes")


@pytest.mark.django_db
def test_restore_asks_before_replacing_anything(tmp_path):
    import hashlib

    folder = fake_backup(tmp_path / "b")
    database = next(folder.glob("db.*"))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["sha256"] = hashlib.sha256(database.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with (
        mock.patch("builtins.input", return_value="no") as asked,
        mock.patch("cadres.management.commands.restore.backup_restore") as restore,
        pytest.raises(CommandError, match="no confirmation"),
    ):
        call_command("restore", str(folder))
    asked.assert_called_once()
    restore.assert_not_called()


@pytest.mark.django_db
def test_with_keys_is_refused_when_the_keys_come_from_the_environment(tmp_path, settings):
    settings.YINLING_FIELD_ENCRYPTION_KEYS = ["Dkd3bm5eTjgxXhWCOiAH2cDWSdOmnWHJOdN0Q1BMy2M="]
    with pytest.raises(CommandError, match="never with the backups"):
        call_command("backup", "--with-keys", "--to", str(tmp_path))
    assert not list(tmp_path.iterdir())
