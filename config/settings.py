"""Settings for the back office, driven by environment variables (see README, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .logging import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
# `make run` sets the checks it expects to fail on a demo machine (scripts/run_env.sh).
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_celery_beat",
    "ninja",  # serves its Swagger UI assets from /static/ (no CDN)
    "backoffice.companies",
    "backoffice.inventory",
    "backoffice.sales",
    "backoffice.system",
    "sendcloud",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "companies.User"
LOGIN_URL = "admin:login"

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
            ],
            # Breadcrumbs read from the menu (backoffice/menu.py).
            "libraries": {"backoffice_menu": "backoffice.menu"},
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'backoffice.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
# One short date form per language across every page and export (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The back office serves its own static files (backoffice/static_files.py): `make run`, which
# runs without DEBUG. In production a proxy serves STATIC_ROOT and this stays off.
SERVE_STATIC = env_bool("SERVE_STATIC", DEBUG)

# Secrets stored in the database (Sendcloud secret keys) are encrypted with this key.
# Any string works; it is stretched into a Fernet key. Required when DEBUG is off.
SECRETS_ENCRYPTION_KEY = env_str("SECRETS_ENCRYPTION_KEY", "")

CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queues by kind of work (docs/deploy.md): in production each queue has its own worker pool, so a
# long first sync or a bulk label job never delays webhooks or another company's outbox.
# `make run` runs one worker that consumes all of them (Procfile: -Q webhooks,orders,...).
CELERY_TASK_DEFAULT_QUEUE = "default"  # housekeeping: the dispatcher, purges
CELERY_TASK_ROUTES = {
    "sendcloud.webhook_inbox_drain": {"queue": "webhooks"},
    "sendcloud.order_outbox_deliver": {"queue": "orders"},
    "sendcloud.order_push_run": {"queue": "orders"},
    "sendcloud.label_job_execute": {"queue": "labels"},
    "sendcloud.label_documents_fetch": {"queue": "labels"},
    "sendcloud.labels_reconcile": {"queue": "labels"},
    "sendcloud.returns_reconcile": {"queue": "labels"},
    "sendcloud.sync_run_execute": {"queue": "sync"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the broker goes away, a task in progress finishes its work (it is claimed in the
# database, which is still there) instead of being cancelled for redelivery; pinned because
# Celery 6 changes the default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False

SENDCLOUD_BASE_URL = env_str("SENDCLOUD_BASE_URL", "http://127.0.0.1:8001")
# The service points API has its own host (v2 reference §5.15). Empty: derived from
# SENDCLOUD_BASE_URL — Sendcloud's own host for the real panel, the sandbox's
# `/servicepoints/api/v2` otherwise (sendcloud.clients.service_points_url).
SENDCLOUD_SERVICE_POINTS_URL = env_str("SENDCLOUD_SERVICE_POINTS_URL", "")
SENDCLOUD_TIMEOUT_SECONDS = float(env_str("SENDCLOUD_TIMEOUT_SECONDS", "20"))
# Where the per-account request budget lives, shared by every process: Redis in production
# (redis://…), an SQLite file on the embedded default; "memory" keeps it per process.
SENDCLOUD_LABEL_LOOKUP_AFTER_SECONDS = env_int(
    "SENDCLOUD_LABEL_LOOKUP_AFTER_SECONDS", int(SENDCLOUD_TIMEOUT_SECONDS * 2 + 10)
)
SENDCLOUD_RATE_LIMIT_STORAGE = env_str(
    "SENDCLOUD_RATE_LIMIT_STORAGE", f"sqlite:///{VAR_DIR / 'sendcloud-ratelimit.sqlite3'}"
)
SENDCLOUD_SHOP_TYPE = env_str("SENDCLOUD_SHOP_TYPE", "api")
# Printers (packing station): seconds to wait for a printer to connect and take a job, and
# the sandbox's fake label printer, which the demo data sets up as "Sandbox-Etikettendrucker".
PRINTER_TIMEOUT_SECONDS = float(env_str("PRINTER_TIMEOUT_SECONDS", "5"))
# The packing page waits this long at the table for a multi-parcel shipment Sendcloud announces
# asynchronously before it prints (then "Erneut drucken" prints it once it is there).
PACKING_ANNOUNCE_WAIT_SECONDS = float(env_str("PACKING_ANNOUNCE_WAIT_SECONDS", "30"))
SANDBOX_PRINTER_ADDRESS = env_str(
    "SANDBOX_PRINTER_ADDRESS",
    f"{env_str('SANDBOX_HOST', '127.0.0.1')}:{env_str('SANDBOX_PRINTER_PORT', '9100')}",
)
SENDCLOUD_WEBHOOK_MAX_BYTES = env_int("SENDCLOUD_WEBHOOK_MAX_BYTES", 1024 * 1024)
SENDCLOUD_WEBHOOK_RETENTION_DAYS = env_int("SENDCLOUD_WEBHOOK_RETENTION_DAYS", 90)
SENDCLOUD_API_CALL_RETENTION_DAYS = env_int("SENDCLOUD_API_CALL_RETENTION_DAYS", 30)
# REST API answers stored under an Idempotency-Key: replayed for this many days, then purged
# nightly; the same key after that runs the request anew.
API_IDEMPOTENCY_DAYS = env_int("API_IDEMPOTENCY_DAYS", 7)
# Mail (the return label to the customer): printed to the console on the embedded default;
# production names its backend (smtp) and the EMAIL_HOST… settings Django documents.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "versand@localhost")
# API calls the database refused (locked too long) wait here until it takes them (call_spool.py).
SENDCLOUD_API_CALL_SPOOL_DIR = env_str(
    "SENDCLOUD_API_CALL_SPOOL_DIR", str(VAR_DIR / "api-call-spool")
)
# Operations (README "Operations", docs/deploy.md). Every process (gunicorn workers, granian,
# Celery) writes its counters into one shared folder; prometheus_client reads the variable when
# it is first imported, which is after the settings, so it is set here for all of them. Empty
# the folder when the whole service (re)starts: files of dead processes would count on.
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", str(VAR_DIR / "prometheus"))
Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", PROMETHEUS_MULTIPROC_DIR)
# /metrics answers a request with `Authorization: Bearer <METRICS_TOKEN>` (when set) or one from
# these networks (REMOTE_ADDR: behind a proxy, that is the proxy's address).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])

# The address Sendcloud uses to reach this back office (webhook URLs are built from it).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", f"http://127.0.0.1:{env_int('WEB_PORT', 8000)}")

# structlog renders every log line (config/logging.py): LOG_FORMAT=json in production, readable
# lines by default; manage.py sets LOG_HTTPX_LEVEL=WARNING so httpx's per-request INFO lines
# stay out of the CLI (the API call log has every call).
LOGGING = logging_settings(
    env_str("LOG_FORMAT", "console"),
    env_str("LOG_LEVEL", "INFO"),
    env_str("LOG_HTTPX_LEVEL", "INFO"),
)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
