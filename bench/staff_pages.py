"""Benchmark: the staff pages against Django admin's cadre changelist at 10,000 and
100,000 cadres with about eleven visits each (over a million visits at 100,000).

    .venv/bin/python bench/staff_pages.py                  # SQLite, 10,000 and 100,000
    .venv/bin/python bench/staff_pages.py --database-url postgres://postgres@127.0.0.1:5432/yinling_bench
    .venv/bin/python bench/staff_pages.py --cadres 30000 --repeat 11 --visits-per-cadre 0

For each size a fresh database (SQLite in a temporary folder, or the PostgreSQL database
named by --database-url with the size appended, dropped and created anew) is filled by
`seed_demo --visits-per-cadre`; then a separate process requests each page with Django's
test client, signed in as the demo bureau staff ("bureau") and
unit staff ("unit"), and the admin changelist as the superuser ("admin"). For every page
the script prints the median wall time of the request, its number of queries, and the
median time of its SQL alone: the queries the page ran, captured once, executed again
as the same SQL strings on a bare cursor (inside a transaction that is rolled back, so
that writes such as the session's are replayed too; a server-side cursor's DECLARE is
replayed as its query). Aims: every staff page at most as slow as the admin changelist
(without a search), and paginated pages no more than 1.5× slower at 100,000 cadres than
at 10,000.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from demo_database import (
    ROOT,
    add_database_argument,
    environment,
    migrate,
    seed,
    sized_url,
    use_database,
    vacuum,
)

# Statements that only open or close a transaction or move a cursor are not work of
# their own.
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "CLOSE", "FETCH")
# PostgreSQL's server-side cursors (QuerySet.iterator()) log as DECLARE … FOR <query>.
DECLARE = re.compile(r"^\s*DECLARE\s.*?\bCURSOR\b.*?\bFOR\s+(.*)$", re.IGNORECASE | re.DOTALL)
PAGINATED = {
    "cadre list",
    "search q=zs",
    "filters",
    "sorted by age",
    "page 50",
    "community filter",
    "search 东关社区",
    "search chenj",
}


def staff_pages(cadre_pk: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    registry = reverse("cadres:registry")
    return [
        ("cadre list", registry),
        ("search q=zs", f"{registry}?q=zs"),
        (
            "filters",
            f"{registry}?retirement_kind=tuixiu&age_band=80-89&party_member=yes",
        ),
        ("sorted by age", f"{registry}?sort=age"),
        ("page 50", f"{registry}?page=50"),
        ("community filter", f"{registry}?community=城关镇东关社区"),
        ("search 东关社区", f"{registry}?q=东关社区"),
        ("search chenj", f"{registry}?q=chenj"),
        ("cadre page", reverse("cadres:detail", args=[cadre_pk])),
        ("dashboard", reverse("reports:dashboard")),
    ]


def admin_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    changelist = reverse("admin:cadres_cadre_changelist")
    return [("admin changelist", changelist), ("admin search q=zs", f"{changelist}?q=zs")]


def capture(client, url: str) -> list[str]:
    """The SQL of one request (which also warms the page up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    # Read them now: every request starts by emptying the connection's query log.
    return [query["sql"] for query in captured.captured_queries]


def time_request(client, url: str) -> float:
    started = time.perf_counter()
    client.get(url)
    return time.perf_counter() - started


def replayable(sql: str) -> str | None:
    if sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
        return None
    declared = DECLARE.match(sql)
    return declared.group(1) if declared else sql


def time_sql(statements: list[str]) -> float:
    """Seconds to run ``statements`` again and read all their rows, in a transaction
    that is rolled back."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql in statements:
                sql = replayable(sql)
                if sql is None:
                    continue
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def measure(folder: str, repeat: int) -> list[tuple]:
    """Rows of (login, page, page s, queries, SQL s) for the database in ``folder``."""
    os.environ.update(environment(folder, database_url=os.environ.get("BENCH_DATABASE_URL")))
    # The test client's host; setup_test_environment() would let it in too, but it also
    # instruments every template render, which would weigh on template-heavy pages.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from cadres.selectors import cadres_visible_to

    unit_staff = User.objects.get(username="unit")
    # A cadre both logins may open, with as much history as any.
    cadre = (
        cadres_visible_to(user=unit_staff)
        .annotate(visit_count=Count("visits"))
        .order_by("-visit_count", "pk")
        .first()
    )
    requests = []  # (login, page, client, url)
    for username, pages in [
        ("admin", admin_pages()),
        ("bureau", staff_pages(cadre.pk)),
        ("unit", staff_pages(cadre.pk)),
    ]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        requests += [(username, name, client, url) for name, url in pages]
    statements = [capture(client, url) for _login, _name, client, url in requests]
    # Round after round over every page, so that a busy moment of the machine weighs on
    # all pages alike rather than on the few measured then.
    page_runs = [[] for _ in requests]
    sql_runs = [[] for _ in requests]
    for _ in range(repeat):
        for index, (_login, _name, client, url) in enumerate(requests):
            page_runs[index].append(time_request(client, url))
            sql_runs[index].append(time_sql(statements[index]))
    return [
        (login, name, statistics.median(pages), len(sql), statistics.median(sqls))
        for (login, name, _client, _url), pages, sql, sqls in zip(
            requests, page_runs, statements, sql_runs, strict=True
        )
    ]


def print_table(rows: list[tuple]) -> None:
    admin = next(row[2] for row in rows if row[1] == "admin changelist")
    print(
        f"{'login':<7} {'page':<18} {'median ms':>9} {'queries':>7} {'SQL ms':>7} "
        f"{'page/SQL':>8} {'page/admin':>10}"
    )
    for login, name, seconds, queries, sql in rows:
        # Marked: a staff page slower than the admin changelist.
        marks = "" if login == "admin" else "*" * (seconds > admin)
        line = (
            f"{login:<7} {name:<18} {seconds * 1000:>9.1f} {queries:>7} {sql * 1000:>7.1f} "
            f"{seconds / sql:>8.1f} {seconds / admin:>10.2f} {marks}"
        )
        print(line.rstrip())
    print("* slower than the admin changelist")


def print_growth(small: int, large: int, by_size: dict[int, list[tuple]]) -> None:
    before = {(row[0], row[1]): row[2] for row in by_size[small]}
    print(f"\ntime({large:,}) / time({small:,}) per page (aim for paginated pages: <= 1.5)")
    for login, name, seconds, _queries, _sql in by_size[large]:
        ratio = seconds / before[(login, name)]
        mark = " !" if name in PAGINATED and ratio > 1.5 else ""
        print(f"{login:<7} {name:<18} {ratio:>6.2f}{mark}")


def run_size(size: int, args) -> tuple[list[tuple], int]:
    """Seed a fresh database of ``size`` cadres and measure it in a process of its own
    (Django is set up once per process, for one database)."""
    url = sized_url(args.database_url, str(size)) if args.database_url else None
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        migrate(folder, database_url=url)
        seed(folder, size, visits_per_cadre=args.visits_per_cadre, database_url=url)
        # What the daily task does just after midnight: the dashboard reads its snapshot.
        subprocess.run(
            [sys.executable, "manage.py", "refresh_dashboard"],
            cwd=ROOT,
            env=environment(folder, database_url=url),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        vacuum(url)
        print(f"seeded {size:,} cadres in {time.perf_counter() - started:.0f} s", flush=True)
        measured = subprocess.run(
            [sys.executable, __file__, "--measure", folder, "--repeat", str(args.repeat)],
            cwd=ROOT,
            env={**os.environ, "BENCH_DATABASE_URL": url or ""},
            capture_output=True,
            text=True,
        )
        if measured.returncode:
            raise SystemExit(f"measuring {size} cadres failed:\n{measured.stderr}")
        out = measured.stdout
    measured = json.loads(out.splitlines()[-1])
    return [tuple(row) for row in measured["rows"]], measured["visits"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", default="10000,100000", help="sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--visits-per-cadre", type=int, default=11)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    add_database_argument(parser)
    args = parser.parse_args()
    if args.measure:
        rows = measure(args.measure, args.repeat)
        from cadres.models import Visit  # Django is set up by measure()

        print(json.dumps({"rows": rows, "visits": Visit.objects.count()}))
        return
    use_database(args.database_url)
    sizes = [int(size) for size in args.cadres.split(",")]
    by_size = {}
    for size in sizes:
        by_size[size], visits = run_size(size, args)
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"\n{engine}, {size:,} cadres, {visits:,} visits; median of "
            f"{args.repeat} requests; page/admin against the admin changelist"
        )
        print_table(by_size[size])
    if len(sizes) > 1:
        print_growth(sizes[0], sizes[-1], by_size)


if __name__ == "__main__":
    main()
