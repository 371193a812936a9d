"""Benchmark: the staff pages against Django admin's cadre changelist at 100,000 cadres.

    .venv/bin/python bench/staff_pages.py                  # 100,000 cadres, 7 runs each
    .venv/bin/python bench/staff_pages.py --cadres 30000 --repeat 11

A fresh SQLite database in a temporary folder is filled by `seed_demo`; then each page is
requested with Django's test client, signed in as the demo bureau staff ("bureau") and
unit staff ("unit"), and the admin changelist as the superuser ("admin"). For every page
the script prints the median wall time of the request, its number of queries, and the
median time of its SQL alone: the queries the page ran, captured once, executed again
as the same SQL strings on a bare cursor. Aims: every staff page at most as slow as the
admin changelist (without a search) and at most 3× its own SQL.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from demo_database import ROOT, environment, migrate, seed

# Statements that only open or close a transaction are not work of their own.
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


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


def time_sql(statements: list[str]) -> float:
    """Seconds to run ``statements`` again and read all their rows."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
                cursor.execute(sql)
                cursor.fetchall()
    return time.perf_counter() - started


def measure(folder: str, repeat: int) -> list[tuple]:
    """Rows of (login, page, page s, queries, SQL s) for the database in ``folder``."""
    os.environ.update(environment(folder))
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
        # Marked: a staff page slower than the admin changelist, or than 3x its own SQL.
        marks = "" if login == "admin" else "*" * (seconds > admin) + "+" * (seconds > 3 * sql)
        line = (
            f"{login:<7} {name:<18} {seconds * 1000:>9.1f} {queries:>7} {sql * 1000:>7.1f} "
            f"{seconds / sql:>8.1f} {seconds / admin:>10.2f} {marks}"
        )
        print(line.rstrip())
    print("* slower than the admin changelist   + more than 3x its own SQL")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        migrate(folder)
        seed(folder, args.cadres)
        print(f"seeded {args.cadres} cadres in {time.perf_counter() - started:.0f} s")
        rows = measure(folder, args.repeat)
    print(f"median of {args.repeat} requests each; page/admin against the admin changelist")
    print_table(rows)


if __name__ == "__main__":
    main()
