"""Configuration checks: a broken environment is refused at start-up with a clear message."""

from ipaddress import ip_network
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

SUPPORTED_DB_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}
SUPPORTED_BROKERS = {"sqla+sqlite", "redis", "rediss", "amqp", "memory"}


@register(Tags.security, deploy=False)
def check_secrets(app_configs, **kwargs):
    errors = []
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the development default while DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random string.",
                id="config.E001",
            )
        )
    if not settings.DEBUG and not settings.SECRETS_ENCRYPTION_KEY:
        errors.append(
            Error(
                "SECRETS_ENCRYPTION_KEY is not set while DEBUG is off.",
                hint="Set SECRETS_ENCRYPTION_KEY; it encrypts stored Sendcloud keys. "
                "Keep it: stored keys cannot be read without it.",
                id="config.E002",
            )
        )
    return errors


@register(Tags.database)
def check_database(app_configs, **kwargs):
    engine = settings.DATABASES["default"].get("ENGINE", "")
    if engine not in SUPPORTED_DB_ENGINES:
        return [
            Error(
                f"DATABASE_URL selects the unsupported engine {engine!r}.",
                hint="Use sqlite:///path/to/file.sqlite3 or postgres://user@host/dbname.",
                id="config.E003",
            )
        ]
    return []


@register()
def check_urls(app_configs, **kwargs):
    errors = []
    for name in ("SENDCLOUD_BASE_URL", "PUBLIC_BASE_URL"):
        parts = urlsplit(getattr(settings, name))
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            errors.append(
                Error(
                    f"{name} must be an absolute http(s) URL, got {getattr(settings, name)!r}.",
                    hint="For example https://panel.sendcloud.sc or http://127.0.0.1:8001.",
                    id="config.E004",
                )
            )
    scheme = urlsplit(settings.CELERY_BROKER_URL).scheme
    if scheme not in SUPPORTED_BROKERS:
        errors.append(
            Error(
                f"CELERY_BROKER_URL uses the unsupported scheme {scheme!r}.",
                hint="Use redis://host:6379/0 in production or sqla+sqlite:///var/broker.sqlite3.",
                id="config.E005",
            )
        )
    if not settings.DEBUG and urlsplit(settings.SENDCLOUD_BASE_URL).hostname in {
        "127.0.0.1",
        "localhost",
    }:
        errors.append(
            Warning(
                "SENDCLOUD_BASE_URL points at the local sandbox while DEBUG is off.",
                hint="Set SENDCLOUD_BASE_URL=https://panel.sendcloud.sc for real shipments.",
                id="config.W001",
            )
        )
    return errors


@register()
def check_metrics_access(app_configs, **kwargs):
    """A mistyped network would make every scrape of /metrics fail; refuse it at start-up."""
    errors = []
    for entry in settings.METRICS_ALLOWED_NETWORKS:
        if entry.lower() == "none":
            continue
        try:
            ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"METRICS_ALLOWED_NETWORKS has {entry!r}, which is no network.",
                    hint="Comma-separated networks like 10.0.0.0/8,::1/128, or none.",
                    id="config.E010",
                )
            )
    return errors
