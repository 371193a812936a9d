"""Benchmark: exporting the whole cadre ledger to .xlsx for 10,000, 30,000 and 100,000 cadres.

    .venv/bin/python bench/export_ledger.py            # 10000 30000 100000
    .venv/bin/python bench/export_ledger.py 100000
    .venv/bin/python bench/export_ledger.py 10000 --database-url postgres://postgres@127.0.0.1:5432/yinling_bench

Each size gets a fresh database filled by `seed_demo` (SQLite in a temporary folder, or
the PostgreSQL database named by --database-url with the size appended, dropped and
created anew). A separate process then
posts the export form of `reports:export_cadres` as a bureau staff member (every cadre,
every column, ID numbers in full) and reads the streamed response to the end, as a
browser would: the same code path as a download. It prints the rows in the file, the
seconds taken, the peak resident memory of the process and its growth over the process
before the export, and, in a second run under tracemalloc, the peak of Python memory
allocated during the export. The aim: memory that does not grow with the number of rows.
"""

import argparse
import subprocess
import sys
import tempfile

from demo_database import (
    ROOT,
    add_database_argument,
    environment,
    migrate,
    seed,
    sized_url,
    use_database,
)

EXPORT = r"""
import resource, sys, time, tracemalloc, django
django.setup()
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from accounts.models import Unit
from reports.export_views import export_cadres
from reports.exports import ledger_columns

traced = sys.argv[1] == "traced"
User = get_user_model()
user = User.objects.filter(username="bench-bureau").first() or User.objects.create_user(
    "bench-bureau", role=User.Role.BUREAU_STAFF, unit=Unit.objects.filter(parent=None).first()
)
keys = [column.key for column in ledger_columns()]
request = RequestFactory().post("/?status=all", {"columns": keys})
request.user = user
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if traced:
    tracemalloc.start()
started = time.perf_counter()
response = export_cadres(request)
size = sum(len(chunk) for chunk in response.streaming_content)
response.close()
elapsed = time.perf_counter() - started
traced_peak = tracemalloc.get_traced_memory()[1] if traced else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rows = user.exports.latest("id").row_count
print(rows, f"{elapsed:.3f}", f"{peak / 1024:.1f}", f"{before / 1024:.1f}",
      f"{traced_peak / 2**20:.1f}", size)
"""


def run(folder: str, mode: str, url: str | None) -> list[str]:
    return subprocess.run(
        [sys.executable, "-c", EXPORT, mode],
        cwd=ROOT,
        env=environment(folder, database_url=url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


def measure(size: int, database_url: str | None) -> list[str]:
    url = sized_url(database_url, str(size)) if database_url else None
    with tempfile.TemporaryDirectory() as folder:
        migrate(folder, database_url=url)
        seed(folder, size, database_url=url)
        rows, seconds, peak, before, _, file_size = run(folder, "plain", url)
        traced_peak = run(folder, "traced", url)[4]
        return [rows, seconds, peak, f"{float(peak) - float(before):.1f}", traced_peak, file_size]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 30_000, 100_000])
    add_database_argument(parser)
    args = parser.parse_args()
    use_database(args.database_url)
    print("PostgreSQL" if args.database_url else "SQLite")
    columns = ["rows", "seconds", "µs/row", "RSS MB", "+RSS MB", "traced MB", "file MB"]
    print(" ".join(f"{name:>10}" for name in columns))
    for size in args.sizes:
        rows, seconds, peak, growth, traced, file_size = measure(size, args.database_url)
        per_row = float(seconds) / int(rows) * 1e6
        row = [rows, seconds, f"{per_row:.0f}", peak, growth, traced]
        row.append(f"{int(file_size) / 2**20:.1f}")
        print(" ".join(f"{value:>10}" for value in row))


if __name__ == "__main__":
    main()
