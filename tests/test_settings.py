"""The settings switch between the embedded defaults and real services by environment."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

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
    "cache_location": str(settings.CACHES["default"].get("LOCATION", "")),
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
    # Files that the web server and the worker both read (an import's progress).
    assert values["cache"].endswith("FileBasedCache")
    assert values["cache_location"] == str(tmp_path / "cache")
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


# A complete production environment (throwaway values), as CI's deployment check has.
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "k7Hc2pQ9vXw4Lm8Rt1Zb6Nf3Yd5Gs0Ja-Ue_Wq2Po9Ik4Mn7Bv1Cx3Lz8Hy6Tr5Ed",
    "ALLOWED_HOSTS": "yinling.example",
    "SITE_URL": "https://yinling.example",
    "DATABASE_URL": "postgres://yinling:secret@db.example:5432/yinling",
    "REDIS_URL": "redis://cache.example:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:pw@mail.example:587",
    "DEFAULT_FROM_EMAIL": "银龄 <yinling@yinling.example>",
    "YINLING_FIELD_ENCRYPTION_KEYS": "Dkd3bm5eTjgxXhWCOiAH2cDWSdOmnWHJOdN0Q1BMy2M=",
    "YINLING_LOOKUP_HASH_KEY": "lookup-hash-key-for-the-settings-tests",
}
PRODUCTION_OPTIONAL = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "YINLING_ALLOW_DEMO_DATA",
)


def production_settings(monkeypatch, **overrides):
    """Import ``config.settings.production`` afresh under this environment (the module
    reads it at import; the running test settings are untouched)."""
    for name in PRODUCTION_OPTIONAL:
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION_ENVIRONMENT, **overrides}.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    try:
        return importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)


def test_production_settings_start_with_a_complete_environment(monkeypatch):
    production = production_settings(monkeypatch)
    assert production.DEBUG is False
    assert production.YINLING_ALLOW_DEMO_DATA is False


def test_production_refuses_an_empty_secret_key_at_start(tmp_path):
    """Django itself would start and then answer 500 to every request."""
    result = settings_with(
        tmp_path,
        module="config.settings.production",
        **{**PRODUCTION_ENVIRONMENT, "SECRET_KEY": ""},
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "   ",
        "short-but-not-empty",
        "a" * 64,  # long, but one character
        "django-insecure-" + "x1y2z3" * 10,
        "insecure-local-development-key-change-me-in-production",  # the laptop default
    ],
)
def test_production_refuses_a_weak_secret_key(monkeypatch, key):
    with pytest.raises(ImproperlyConfigured, match=r"SECRET_KEY is (empty|too weak)"):
        production_settings(monkeypatch, SECRET_KEY=key)


def test_hsts_is_not_preloaded_by_default(monkeypatch):
    production = production_settings(monkeypatch)
    assert production.SECURE_HSTS_PRELOAD is False
    assert production.SECURE_HSTS_SECONDS == 60 * 60 * 24 * 30
    # check --deploy's "not preloaded" warning is the choice made, not an oversight.
    assert production.SILENCED_SYSTEM_CHECKS == ["security.W021"]


@pytest.mark.parametrize(
    "environment",
    [
        {"SECURE_HSTS_PRELOAD": "true"},  # with the 30-day default
        {"SECURE_HSTS_PRELOAD": "true", "SECURE_HSTS_SECONDS": "31535999"},
        {
            "SECURE_HSTS_PRELOAD": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
        },
    ],
)
def test_hsts_preload_needs_a_year_and_subdomains(monkeypatch, environment):
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_PRELOAD needs"):
        production_settings(monkeypatch, **environment)


def test_hsts_preload_with_a_year(monkeypatch):
    production = production_settings(
        monkeypatch, SECURE_HSTS_PRELOAD="true", SECURE_HSTS_SECONDS="31536000"
    )
    assert production.SECURE_HSTS_PRELOAD is True
    assert "security.W021" not in getattr(production, "SILENCED_SYSTEM_CHECKS", [])


def test_production_never_allows_demo_data(monkeypatch):
    production = production_settings(monkeypatch, YINLING_ALLOW_DEMO_DATA="true")
    assert production.YINLING_ALLOW_DEMO_DATA is False
