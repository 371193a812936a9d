"""The import's progress bar on the embedded defaults: the worker writes the percentage
to the cache and the web server reads it, two processes, so the default cache must be
one that both read (files under var/cache; Redis where REDIS_URL is set)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

WORKER = """
import django
django.setup()
from ledger.services import _report_importing
_report_importing(job_id=7, percent=42)
"""
WEB_SERVER = """
import django
django.setup()
from ledger.models import ImportJob
from ledger.selectors import import_job_percent
print(import_job_percent(job=ImportJob(pk=7, status=ImportJob.Status.IMPORTING)))
"""


def run_with_embedded_defaults(code: str, var_dir: Path) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in SERVICES}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=str(var_dir),
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_web_server_reads_the_progress_the_worker_wrote(tmp_path):
    assert run_with_embedded_defaults(WEB_SERVER, tmp_path) == "None"  # nothing yet
    run_with_embedded_defaults(WORKER, tmp_path)
    assert run_with_embedded_defaults(WEB_SERVER, tmp_path) == "42"
