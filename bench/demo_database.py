"""Shared by the benchmark scripts: a fresh SQLite database filled by `seed_demo`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment(folder: str) -> dict:
    """The app's embedded defaults, with all its files in ``folder``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=folder,
        DEBUG="false",
    )
    return env


def migrate(folder: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=environment(folder),
        check=True,
    )


def seed(folder: str, cadres: int) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--cadres", str(cadres)],
        cwd=ROOT,
        env=environment(folder),
        check=True,
        stdout=subprocess.DEVNULL,
    )
