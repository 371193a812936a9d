"""Settings shared by every environment.

Every value comes from the environment (django-environ) and has an embedded default that
works on a laptop with nothing installed: SQLite in ``var/``, mail written to files under
``var/mail``, Celery on kombu's ``filesystem://`` transport. ``production.py`` removes the
defaults that must never reach a server.
"""

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# A local .env file is read by the app, never by the test suite (or its subprocesses).
if "pytest" not in sys.modules and not env.bool("YINLING_IGNORE_DOTENV", default=False):
    env.read_env(BASE_DIR / ".env", overwrite=False)
# Everything the app writes on its own (SQLite file, mail, queue, media) lives here.
VAR_DIR = Path(env("YINLING_VAR_DIR", default=str(BASE_DIR / "var")))

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    # django.contrib.admin with the site that refuses branch secretaries.
    "accounts.admin_apps.YinlingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "js_lib_bootstrap5",
    "js_lib_htmx",
    "simple_history",
    "axes",
    "django_celery_beat",
    "import_export",
]
LOCAL_APPS = [
    "accounts",
    "cadres",
    "branches",
    "activities",
    "funds",
    "assistance",
    "checkups",
    "distributions",
    "reminders",
    "ledger",
    "reports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "accounts.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
# The embedded default is one SQLite file that the web server, the Celery worker and
# beat's database scheduler all write at once. WAL lets readers run beside the one
# writer; IMMEDIATE transactions take the write lock at BEGIN, so a writer waits for the
# busy timeout instead of failing with "database is locked" when it upgrades a read lock.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000;"
    ),
}
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'yinling.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# ------------------------------------------------------------------------------
# Cache (Redis when configured, files under var/cache otherwise)
# ------------------------------------------------------------------------------
# The web server and the worker must share it: an import reports its progress there.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# ------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
SESSION_SAVE_EVERY_REQUEST = True  # the session expires after inactivity, not after login

# django-axes: lock a username + address after repeated failures. The pair, not the
# username alone: an attacker's failures from their address do not lock the real user out
# of theirs.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind a reverse proxy (accounts/client_address.py): the number of
# proxies that append to YINLING_CLIENT_IP_HEADER (one nginx with
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` is 1). With 0, the
# header is ignored and the connection's address is the client's: a header the client
# wrote itself must never choose the address that failures are counted by.
YINLING_TRUSTED_PROXY_COUNT = env.int("YINLING_TRUSTED_PROXY_COUNT", default=0)
YINLING_CLIENT_IP_HEADER = env("YINLING_CLIENT_IP_HEADER", default="X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip_address"
# Every failed sign-in, with its address, for administrators (admin → Axes).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"

# ------------------------------------------------------------------------------
# Personal data at rest (cadres/encryption.py)
# ------------------------------------------------------------------------------
# Resident ID numbers are stored encrypted (Fernet) and looked up by a keyed hash.
# YINLING_FIELD_ENCRYPTION_KEYS: Fernet keys, newest first (old ones stay until
# `manage.py rotate_field_keys` has re-encrypted every row); YINLING_LOOKUP_HASH_KEY: the
# hash key. Unset on a laptop: both are generated once into this file.
YINLING_FIELD_ENCRYPTION_KEYS = env.list("YINLING_FIELD_ENCRYPTION_KEYS", default=[])
YINLING_LOOKUP_HASH_KEY = env("YINLING_LOOKUP_HASH_KEY", default="")
YINLING_FIELD_KEY_FILE = VAR_DIR / "field-keys.json"

# ------------------------------------------------------------------------------
# Security headers (every environment, so that a violation shows on a laptop first)
# ------------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site
# only; no inline scripts or event-handler attributes (page scripts live in static/js).
# style="" attributes stay allowed (progress-bar widths, chart legend colours), <style>
# elements do not, and url() in either still loads only from this site. data: images are
# Bootstrap's own SVG icons (select arrows, check marks, the menu button).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page needs these devices or APIs.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# ------------------------------------------------------------------------------
# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("6月15日" / "June 15"): config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Templates, static and media files
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.admin_access",
                "accounts.context_processors.languages",
            ],
        },
    }
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Private uploads (assistance documents, checkup report scans), each app in its own
# subfolder. No URL serves them: they are read only through views that check the scope.
# Keep it out of MEDIA_ROOT, and back it up (``manage.py backup`` copies it).
PRIVATE_FILES_ROOT = Path(env("PRIVATE_FILES_ROOT", default=str(VAR_DIR / "private")))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# ------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------
# EMAIL_URL: smtp://host:25 (plain), smtp+tls://user:password@host:587 (STARTTLS) or
# smtp+ssl://user:password@host:465 (implicit TLS); consolemail:// prints messages.
# The default, filemail://, writes each message to a file under var/mail.
_email = env.email_url("EMAIL_URL", default="filemail://")
vars().update(_email)
if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # django-environ drops the leading slash of filemail:///absolute/path.
    _path = _email.get("EMAIL_FILE_PATH")
    EMAIL_FILE_PATH = f"/{_path}" if _path else str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="银龄 <yinling@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[银龄] "
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# ------------------------------------------------------------------------------
# Celery
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast (remote control) messages; kombu's default is ./control.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # kombu's filesystem transport needs its folders to exist before the first message.
    _queue.mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# ------------------------------------------------------------------------------
# Yinling
# ------------------------------------------------------------------------------
# Reminders: calendar rules for dates that do not exist every year (reminders/calendar.py).
YINLING_FEB29_RULE = env("YINLING_FEB29_RULE", default="feb28")  # or "mar1"
YINLING_LUNAR_DAY30_RULE = env("YINLING_LUNAR_DAY30_RULE", default="last_day")  # or "next_day"
# Days missed while the system was down that the daily plan still catches up.
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=7)
# Delivery until delivered: a digest the mail server refuses is tried again after
# REMINDER_RETRY_BASE_SECONDS, doubling each time up to REMINDER_RETRY_MAX_SECONDS, until
# REMINDER_DEADLINE_HOURS after the start of its day (24: the end of that day; at least
# two hours after it was queued); the first failure after that is final and the
# administrators are mailed. The sweep that sends what is due is a schedule in admin.
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_RETRY_MAX_SECONDS = env.int("REMINDER_RETRY_MAX_SECONDS", default=30 * 60)
REMINDER_DEADLINE_HOURS = env.int("REMINDER_DEADLINE_HOURS", default=24)
# A digest left "sending" this long (its worker died) may be claimed again.
REMINDER_STALE_SENDING_MINUTES = env.int("REMINDER_STALE_SENDING_MINUTES", default=15)
REMINDER_MESSAGE_ID_DOMAIN = env("REMINDER_MESSAGE_ID_DOMAIN", default="yinling.local")

# Demo logins printed by `make run` and created by `seed_demo`. The demo password is
# public: production settings forbid demo data whatever the environment says.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="yinling-demo-2026")
YINLING_ALLOW_DEMO_DATA = env.bool("YINLING_ALLOW_DEMO_DATA", default=True)

# Registry lists on PostgreSQL: a list the planner expects to hold at least this many
# cadres shows its estimate ("共约 N 条") instead of counting every row; 0 always counts.
REGISTRY_EXACT_COUNT_BELOW = env.int("REGISTRY_EXACT_COUNT_BELOW", default=5000)

# Ledger import: files with more rows than this are checked and imported by a worker.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=500)
# Ledger import: what an uploaded file may hold (ledger/upload_limits.py). A file past
# any of them is refused with a message before it is kept; none of them limits a real
# ledger of IMPORT_MAX_ROWS cadres.
IMPORT_MAX_FILE_MB = env.int("IMPORT_MAX_FILE_MB", default=20)
# An .xlsx is a zip: what its parts may unpack to, in all and each, and how many times
# its packed size a part of 1 MB or more may unpack to (real sheets: under 20; a "zip
# bomb": thousands).
IMPORT_MAX_UNZIPPED_MB = env.int("IMPORT_MAX_UNZIPPED_MB", default=200)
IMPORT_MAX_UNZIPPED_PART_MB = env.int("IMPORT_MAX_UNZIPPED_PART_MB", default=150)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
# Characters in one cell: Excel's own limit, so no file Excel saved is refused by it.
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=32_767)
# Columns with any cell (the ledger has 36; extra columns are listed as ignored).
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=256)
# Cadre rows in one file.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# This many blank rows in a row end the data: nothing below them is read.
IMPORT_BLANK_ROWS_END = env.int("IMPORT_BLANK_ROWS_END", default=1000)
