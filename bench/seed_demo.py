"""Benchmark: time and peak memory of `seed_demo --cadres N` on a fresh SQLite file.

    .venv/bin/python bench/seed_demo.py            # 10,000 30,000 100,000
    .venv/bin/python bench/seed_demo.py 100000

The target is under two minutes for 100,000 cadres. Each size runs in its own process
against a new database in a temporary folder; the script prints one row per size.
"""

import resource
import sys
import tempfile
import time

from demo_database import migrate, seed


def run(size: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        migrate(folder)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        seed(folder, size)
        elapsed = time.perf_counter() - started
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return elapsed, peak / 1024


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 30_000, 100_000]
    print(f"{'cadres':>8} {'seconds':>8} {'s/1k':>6} {'peak MB':>8}")
    for size in sizes:
        elapsed, peak = run(size)
        print(f"{size:>8} {elapsed:>8.1f} {elapsed / size * 1000:>6.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
