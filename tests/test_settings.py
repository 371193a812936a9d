"""The settings switch between the embedded defaults and real services by environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", ""),
    "email_tls": getattr(settings, "EMAIL_USE_TLS", False),
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
}))
"""

SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY")


def settings_with(tmp_path, module="config.settings.local", **environment):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=str(tmp_path),
        **environment,
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_embedded_defaults_need_no_service(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "yinling.sqlite3")
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in values["options"]["init_command"]
    assert values["cache"].endswith("LocMemCache")
    assert values["broker"] == "filesystem://"
    assert values["email"].endswith("filebased.EmailBackend")
    assert (values["tz"], values["lang"]) == ("Asia/Shanghai", "zh-hans")


def test_environment_selects_postgresql_redis_and_smtp(tmp_path):
    result = settings_with(
        tmp_path,
        DATABASE_URL="postgres://yinling:secret@db.example:5432/yinling",
        REDIS_URL="redis://cache.example:6379/0",
        EMAIL_URL="smtp+tls://mailer:pw@mail.example:587",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "yinling"
    assert "transaction_mode" not in values["options"]
    assert values["cache"].endswith("RedisCache")
    assert values["broker"] == "redis://cache.example:6379/0"
    assert values["email"].endswith("smtp.EmailBackend")
    assert (values["email_host"], values["email_tls"]) == ("mail.example", True)


def test_production_refuses_to_start_without_secrets(tmp_path):
    result = settings_with(tmp_path, module="config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_cache_round_trip():
    cache.set("yinling-test", {"ok": 1}, 30)
    assert cache.get("yinling-test") == {"ok": 1}


def test_the_suite_runs_on_the_services_the_environment_names(db):
    """CI's second pass sets YINLING_EXPECT_SERVICES=1: it must really be running on
    PostgreSQL and Redis, not quietly on the embedded defaults."""
    from django.db import connection

    expect_services = bool(os.environ.get("YINLING_EXPECT_SERVICES"))
    on_postgresql = expect_services or os.environ.get("DATABASE_URL", "").startswith("postgres")
    on_redis = expect_services or bool(os.environ.get("REDIS_URL"))
    assert connection.vendor == ("postgresql" if on_postgresql else "sqlite")
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith("RedisCache" if on_redis else "LocMemCache")
    if on_redis:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
