"""Settings for the test suite.

SQLite in memory unless DATABASE_URL names another database (CI runs the suite a second
time on PostgreSQL and Redis that way).
"""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
# Fixed keys, so that every process of a test run reads what another wrote.
YINLING_FIELD_ENCRYPTION_KEYS = ["Dkd3bm5eTjgxXhWCOiAH2cDWSdOmnWHJOdN0Q1BMy2M="]
YINLING_LOOKUP_HASH_KEY = "test-only-lookup-hash-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
if not env("DATABASE_URL", default=""):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Each test process its own cache (Redis when REDIS_URL names one, as in CI), not the
# files under var/cache that the app on this machine uses.
if not env("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Serve static files straight from the apps and packages, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
SITE_URL = "http://testserver"
