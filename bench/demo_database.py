"""Shared by the benchmark scripts: a fresh database filled by `seed_demo` — the embedded
SQLite file by default, or a PostgreSQL database when the script is given
``--database-url postgres://user@host:port/name`` (the named database is dropped and
created anew for each size, so point it at a throwaway name)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# Set by use_database(): the PostgreSQL URL of the current benchmark, or None for SQLite.
_database_url: str | None = None


def add_database_argument(parser) -> None:
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL database to (re)create and use, e.g. "
        "postgres://postgres@127.0.0.1:5432/yinling_bench (default: SQLite in a temp folder)",
    )


def use_database(url: str | None) -> None:
    global _database_url
    _database_url = url


def sized_url(url: str, suffix: str) -> str:
    """The same server, a database of its own: ``…/yinling_bench`` → ``…/yinling_bench_10000``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{suffix}"))


def environment(folder: str, *, database_url: str | None = None) -> dict:
    """The app's embedded defaults, with all its files in ``folder`` (and its database
    on PostgreSQL when a URL is given or set with use_database)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=folder,
        DEBUG="false",
    )
    url = database_url or _database_url
    if url:
        env["DATABASE_URL"] = url
    return env


# The PostgreSQL settings the README's Production section gives (SSD storage: an index
# look-up costs little more than reading the next page).
DATABASE_SETTINGS = {"random_page_cost": "1.1"}


def recreate(url: str, *, template: str | None = None) -> None:
    """Drop and create the PostgreSQL database of ``url`` (as a copy of ``template``),
    with the README's production settings."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
        for setting, value in DATABASE_SETTINGS.items():
            connection.execute(f'ALTER DATABASE "{name}" SET {setting} = {value}')


def vacuum(url: str | None = None) -> None:
    """What autovacuum does on a server some time after a bulk load (it is off on the
    benchmark machine): VACUUM ANALYZE, so that the planner has statistics and the
    index-only scans the pages rely on find the visibility map set. Nothing on SQLite."""
    url = url or _database_url
    if not url:
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def copy_database(seeded: str, copy: str, *, database_url: str | None = None) -> str | None:
    """A fresh copy of the seeded database for one run: on PostgreSQL the database of
    ``database_url`` copied (``CREATE DATABASE … TEMPLATE``) to ``…_copy``, whose URL is
    returned; on SQLite the file in folder ``seeded`` copied into folder ``copy`` (None).
    The ID-number keys generated in ``seeded`` (when none are in the environment) go
    along, or the copy's ID numbers could not be read."""
    url = database_url or _database_url
    keys = Path(seeded) / "field-keys.json"
    if keys.exists():
        shutil.copy2(keys, Path(copy) / keys.name)
    if url:
        copy_url = sized_url(url, "copy")
        recreate(copy_url, template=database_name(url))
        return copy_url
    shutil.copy(Path(seeded) / "yinling.sqlite3", Path(copy) / "yinling.sqlite3")
    return None


def migrate(folder: str, *, database_url: str | None = None) -> None:
    url = database_url or _database_url
    if url:
        recreate(url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=environment(folder, database_url=url),
        check=True,
    )


def seed(
    folder: str, cadres: int, *, visits_per_cadre: int = 0, database_url: str | None = None
) -> None:
    extra = ["--visits-per-cadre", str(visits_per_cadre)] if visits_per_cadre else []
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--cadres", str(cadres), *extra],
        cwd=ROOT,
        env=environment(folder, database_url=database_url),
        check=True,
        stdout=subprocess.DEVNULL,
    )
