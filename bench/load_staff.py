"""Load test: simulated staff of mixed roles against gunicorn on the production settings.

    # the keys the database was seeded with (and optionally its DATABASE_URL):
    export YINLING_FIELD_ENCRYPTION_KEYS=… YINLING_LOOKUP_HASH_KEY=…
    .venv/bin/python bench/load_staff.py        # 50 users, 10/s, 2 minutes
    .venv/bin/python bench/load_staff.py --users 20 --run-time 1m \\
        --database-url postgres://postgres@127.0.0.1:5432/yinling_i12_100000

The database must already be migrated and seeded (`seed_demo`, whose demo logins
bureau, unit, unit02 and secretary sign in here), and the ID-number keys must be those it
was seeded with: --field-keys/--lookup-key, or YINLING_FIELD_ENCRYPTION_KEYS and
YINLING_LOOKUP_HASH_KEY from the environment. The run records a few hundred visits and
exports in that database: point it at a benchmark database, never a real one.

The script collects the static files into a temporary STATIC_ROOT (the production
settings serve them from WhiteNoise's manifest), starts `gunicorn config.wsgi --workers 3
--timeout 180` on 127.0.0.1 with `config.settings.production` (a fresh random SECRET_KEY,
Redis database 13 for the cache, HTTP without the HTTPS redirect or secure cookies), runs
Locust headless (bench/locustfile_staff.py: each simulated user signs in through the
login form, then browses the dashboard, the registry, its searches, filters and pages,
and cadre pages, and now and then records a visit or exports three columns), and prints
requests per second, the median, 95th and 99th percentile of each request type and in
total, and the failures. It exits non-zero if any request failed. Gunicorn is stopped
at the end, on errors and on Ctrl-C too.
"""

import argparse
import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from demo_database import vacuum

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/yinling_i12_100000"


def app_environment(args, folder: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("YINLING_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=folder,
        STATIC_ROOT=str(Path(folder) / "static"),
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{args.port}",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        EMAIL_URL="smtp://127.0.0.1:2525",
        DEFAULT_FROM_EMAIL="yinling@example.com",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        YINLING_FIELD_ENCRYPTION_KEYS=args.field_keys,
        YINLING_LOOKUP_HASH_KEY=args.lookup_key,
    )
    return env


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def stop(server: subprocess.Popen | None) -> None:
    """Stop gunicorn's master (it stops its workers) and wait for it; kill its process
    group if it does not go."""
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def print_table(stats_csv: Path) -> int:
    """The Locust summary, one row per request type and the total; the failures."""
    with open(stats_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = (
        f"{'request':<22} {'count':>6} {'fails':>5} {'req/s':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        name = "total" if row["Name"] == "Aggregated" else row["Name"]
        if name == "total":
            print("-" * len(header))
            failures = int(row["Failure Count"])
        print(
            f"{name:<22} {int(row['Request Count']):>6} {int(row['Failure Count']):>5} "
            f"{float(row['Requests/s']):>6.1f} {row['50%']:>7} {row['95%']:>7} "
            f"{row['99%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
    return failures


def print_failures(failures_csv: Path) -> None:
    if not failures_csv.exists():
        return
    with open(failures_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows:
        print("\nfailures:")
        for row in rows:
            print(f"  {row['Occurrences']:>4} × {row['Method']} {row['Name']}: {row['Error']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE,
        help=f"a migrated, seeded database (default: $DATABASE_URL, else {DEFAULT_DATABASE})",
    )
    parser.add_argument(
        "--field-keys",
        default=os.environ.get("YINLING_FIELD_ENCRYPTION_KEYS"),
        help="the database's Fernet keys (default: $YINLING_FIELD_ENCRYPTION_KEYS)",
    )
    parser.add_argument(
        "--lookup-key",
        default=os.environ.get("YINLING_LOOKUP_HASH_KEY"),
        help="the database's look-up hash key (default: $YINLING_LOOKUP_HASH_KEY)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="2m")
    parser.add_argument(
        "--logins",
        default="unit:4,unit02:3,bureau:2,secretary:1",
        help="demo logins and their weights in the mix of simulated users",
    )
    parser.add_argument("--password", default="yinling-demo-2026")
    args = parser.parse_args()
    if not args.field_keys or not args.lookup_key:
        parser.error("give the database's keys (--field-keys/--lookup-key or the environment)")
    host = f"http://127.0.0.1:{args.port}"

    # Ctrl-C and a plain `kill` both end up in the finally below, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = None
    with tempfile.TemporaryDirectory(prefix="yinling-load-") as folder:
        env = app_environment(args, folder)
        try:
            # The database as autovacuum keeps a server's (it is off on this machine).
            vacuum(args.database_url)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
            log = open(Path(folder) / "gunicorn.log", "w")  # noqa: SIM115 (closed with folder)
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "config.wsgi",
                    "--workers",
                    str(args.workers),
                    "--timeout",
                    "180",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script only; it stops gunicorn
            )
            wait_until_up(f"{host}/accounts/login/", server)
            prefix = Path(folder) / "locust"
            locust = subprocess.run(
                [
                    str(BIN / "locust"),
                    "--locustfile",
                    str(ROOT / "bench" / "locustfile_staff.py"),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    args.run_time,
                    "--stop-timeout",
                    "30",
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--csv",
                    str(prefix),
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "LOAD_LOGINS": args.logins,
                    "LOAD_PASSWORD": args.password,
                },
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            stats = Path(f"{prefix}_stats.csv")
            if not stats.exists():
                sys.stderr.write(locust.stderr)
                raise SystemExit(f"locust failed (exit code {locust.returncode})")
            workers = args.workers
            print(
                f"{args.users} users (spawn rate {args.spawn_rate:g}/s, {args.run_time}, "
                f"logins {args.logins}) against gunicorn, {workers} workers, "
                f"{urlsafe(args.database_url)}"
            )
            failures = print_table(stats)
            print_failures(Path(f"{prefix}_failures.csv"))
            # Exceptions raised in the simulated users' code (Locust's "Error report").
            report = locust.stderr.partition("Error report")[2].strip()
            if report:
                print("\nerrors in the simulated users:\n" + report[-3000:])
            elif locust.returncode:
                print("\nlocust:\n" + locust.stderr[-3000:])
            if failures or locust.returncode:
                print(f"\nFAILED: {failures} failed requests, locust exit code {locust.returncode}")
                return 1
            print("\nno failed requests")
            return 0
        finally:
            stop(server)


def urlsafe(url: str) -> str:
    """The database URL without a password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{parts.username or ''}@{host}:{parts.port or ''}{parts.path}"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # gunicorn has been stopped by then
        sys.exit("interrupted")
