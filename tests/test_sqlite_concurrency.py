"""The embedded default: web server, worker and beat write one SQLite file at once.

Several processes write interleaved transactions (each reads, then writes, which is the
pattern that fails with "database is locked" under SQLite's default DEFERRED mode)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 4
TRANSACTIONS = 60

WRITER = """
import sys, django
django.setup()
from django.db import transaction
from accounts.models import Unit
worker = int(sys.argv[1])
for n in range(int(sys.argv[2])):
    with transaction.atomic():
        count = Unit.objects.count()  # read first, then write in the same transaction
        Unit.objects.create(name=f"w{worker}-{n}-{count}", code=f"W{worker}-{n}", kind="employer")
print("done")
"""


def test_several_processes_write_without_database_is_locked(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=str(tmp_path),
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(worker), str(TRANSACTIONS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(WRITERS)
    ]
    for process in writers:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "done"
    database = sqlite3.connect(tmp_path / "yinling.sqlite3")
    try:
        written = database.execute(
            "SELECT COUNT(*) FROM accounts_unit WHERE code LIKE 'W%'"
        ).fetchone()[0]
        journal = database.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        database.close()
    assert written == WRITERS * TRANSACTIONS
    assert journal == "wal"
