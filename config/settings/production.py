"""Production: PostgreSQL, Redis, SMTP. Secrets have no defaults here: the app refuses
to start without them."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# Django starts with an empty key and then answers 500 to every request; a short or
# well-known one lets anyone forge sessions. Refuse both here, at start (the bar is
# `check --deploy`'s: 50 characters, 5 different ones, not a placeholder).
if not SECRET_KEY.strip():
    raise ImproperlyConfigured(
        "SECRET_KEY is empty. Set it to a long random string, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or "change-me" in SECRET_KEY
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: use at least 50 random characters, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SITE_URL = env("SITE_URL")
# No generated key file on a server: the keys live with the other secrets.
YINLING_FIELD_ENCRYPTION_KEYS = env.list("YINLING_FIELD_ENCRYPTION_KEYS")
YINLING_LOOKUP_HASH_KEY = env("YINLING_LOOKUP_HASH_KEY")
if not YINLING_FIELD_ENCRYPTION_KEYS or not YINLING_LOOKUP_HASH_KEY:
    raise ImproperlyConfigured(
        "Set YINLING_FIELD_ENCRYPTION_KEYS and YINLING_LOOKUP_HASH_KEY "
        "(`manage.py rotate_field_keys --generate` prints new ones)."
    )
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A monitor on the server itself asks gunicorn for /healthz over plain HTTP, past the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Secure cookies need HTTPS; an HTTP-only intranet install sets both to false.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# HSTS for 30 days unless set otherwise. Preloading (browsers then hard-code HTTPS for
# the domain and every subdomain, undone only over months) is off unless asked for, and
# then needs what the preload list requires: a year's max-age and includeSubDomains. An
# intranet host name cannot be preloaded at all.
HSTS_PRELOAD_MIN_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if SECURE_HSTS_PRELOAD and (
    SECURE_HSTS_SECONDS < HSTS_PRELOAD_MIN_SECONDS or not SECURE_HSTS_INCLUDE_SUBDOMAINS
):
    raise ImproperlyConfigured(
        f"SECURE_HSTS_PRELOAD needs SECURE_HSTS_SECONDS of at least {HSTS_PRELOAD_MIN_SECONDS} "
        "(one year) and SECURE_HSTS_INCLUDE_SUBDOMAINS=true."
    )
if not SECURE_HSTS_PRELOAD:
    # W021 only says that the site is not preloaded, which is the choice made above.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# `seed_demo` creates logins with the public demo password: never on a server.
YINLING_ALLOW_DEMO_DATA = False
