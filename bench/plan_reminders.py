"""Benchmark: planning one day of reminders for 10,000, 30,000 and 100,000 cadres.

    .venv/bin/python bench/plan_reminders.py               # 10000 30000 100000
    .venv/bin/python bench/plan_reminders.py 100000 --day 2027-01-23
    .venv/bin/python bench/plan_reminders.py 10000 --database-url postgres://postgres@127.0.0.1:5432/yinling_bench

Each size gets a fresh database filled by `seed_demo` (SQLite in a temporary folder, or
the PostgreSQL database named by --database-url with the size appended, dropped and
created anew); then a separate process plans the day (the heaviest kind of day by
default: within the Spring Festival lead time, when every cadre on the register is due a
holiday visit) and prints the planning time (median of --repeat runs, each on a fresh
copy of the seeded database: the SQLite file copied, or on PostgreSQL ``…_<size>_copy``
created from it as a template) and the peak resident memory of that process. Aims: under
10 s and 300 MB for 100,000 cadres, cost growing no faster than the number of cadres.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile

from demo_database import (
    ROOT,
    add_database_argument,
    copy_database,
    environment,
    migrate,
    seed,
    sized_url,
    use_database,
)

PLAN = r"""
import datetime, resource, sys, time, django
django.setup()
from reminders.services import reminders_plan_day
day = datetime.date.fromisoformat(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
created, digests = reminders_plan_day(day=day)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{elapsed:.3f} {peak / 1024:.0f} {before / 1024:.0f} {created} {len(digests)}")
"""


def measure(
    size: int, day: str, repeat: int, database_url: str | None
) -> tuple[float, float, float, int, int]:
    url = sized_url(database_url, str(size)) if database_url else None
    with tempfile.TemporaryDirectory() as seeded:
        migrate(seeded, database_url=url)
        seed(seeded, size, database_url=url)
        python = sys.executable
        runs = []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as copy:
                copy_url = copy_database(seeded, copy, database_url=url)
                out = subprocess.run(
                    [python, "-c", PLAN, day],
                    cwd=ROOT,
                    env=environment(copy, database_url=copy_url),
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                runs.append(out)
        seconds = statistics.median(float(r[0]) for r in runs)
        peak = max(float(r[1]) for r in runs)
        baseline = max(float(r[2]) for r in runs)
        return seconds, peak, baseline, int(runs[0][3]), int(runs[0][4])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 30_000, 100_000])
    parser.add_argument("--day", default="2027-01-23", help="day to plan (YYYY-MM-DD)")
    parser.add_argument("--repeat", type=int, default=3)
    add_database_argument(parser)
    args = parser.parse_args()
    use_database(args.database_url)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{engine}, planning {args.day}, median of {args.repeat} runs each")
    columns = ["cadres", "seconds", "µs/cadre", "peak MB", "base MB", "items", "digests"]
    print(" ".join(f"{name:>9}" for name in columns))
    for size in args.sizes:
        seconds, peak, base, items, digests = measure(
            size, args.day, args.repeat, args.database_url
        )
        row = [size, f"{seconds:.2f}", f"{seconds / size * 1e6:.1f}", f"{peak:.0f}"]
        row += [f"{base:.0f}", items, digests]
        print(" ".join(f"{value:>9}" for value in row))


if __name__ == "__main__":
    main()
