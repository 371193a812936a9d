"""Benchmark: time and peak memory of `seed_demo --cadres N` on a fresh database.

    .venv/bin/python bench/seed_demo.py            # 10,000 30,000 100,000
    .venv/bin/python bench/seed_demo.py 100000
    .venv/bin/python bench/seed_demo.py 10000 --database-url postgres://postgres@127.0.0.1:5432/yinling_bench

The target is under two minutes for 100,000 cadres. Each size runs in its own process
against a new database (SQLite in a temporary folder, or the PostgreSQL database named by
--database-url with the size appended, dropped and created anew); the script prints one
row per size.
"""

import argparse
import resource
import tempfile
import time

from demo_database import add_database_argument, migrate, seed, sized_url, use_database


def run(size: int, database_url: str | None) -> tuple[float, float]:
    url = sized_url(database_url, str(size)) if database_url else None
    with tempfile.TemporaryDirectory() as folder:
        migrate(folder, database_url=url)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        seed(folder, size, database_url=url)
        elapsed = time.perf_counter() - started
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return elapsed, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 30_000, 100_000])
    add_database_argument(parser)
    args = parser.parse_args()
    use_database(args.database_url)
    print("PostgreSQL" if args.database_url else "SQLite")
    print(f"{'cadres':>8} {'seconds':>8} {'s/1k':>6} {'peak MB':>8}")
    for size in args.sizes:
        elapsed, peak = run(size, args.database_url)
        print(f"{size:>8} {elapsed:>8.1f} {elapsed / size * 1000:>6.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
