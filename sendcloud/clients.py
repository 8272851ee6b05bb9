"""Build Sendcloud clients for integrations; every call they make becomes an ApiCall row.

Sync, webhooks and services all get their client here, below them. The log never kills the job
it logs, nor loses a call: an insert the database refuses (say, "database is locked" after the
timeout) goes to the spool (`call_spool.py`) and is stored with the next call that is.
An ApiCall row is written at once, in the caller's connection. Code that calls Sendcloud holds
no transaction open across the call (a lock would be held for the length of an HTTP request),
so the row commits on its own and survives whatever the caller does next. Where a call still
happens inside a transaction, the row is written in a savepoint and lasts only if the caller
commits; a second connection for the log would stall on SQLite's single writer instead.
"""

import json
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from sendcloud.call_spool import api_call_spool, api_calls_unspool
from sendcloud.client import (
    DEFAULT_BASE_URL,
    DEFAULT_SERVICE_POINTS_URL,
    CallRecord,
    SendcloudClient,
)
from sendcloud.metrics import api_call_observe
from sendcloud.models import ApiCall, Integration

logger = logging.getLogger(__name__)


def api_call_recorder(integration: Integration | None, reference: str = ""):
    """An on_call hook that stores each (already redacted) call for the UI."""

    def record(call: CallRecord) -> None:
        api_call_observe(call)
        values = {
            "integration_id": integration.pk if integration and integration.pk else None,
            "company_id_hint": integration.company_id if integration else None,
            "method": call.method,
            "path": call.path[:500],
            "query": str(call.query or "")[:500],
            "status_code": call.status,
            "duration_ms": int(call.duration_ms),
            "attempt": call.attempt,
            "request_excerpt": _text(call.request_body),
            "response_excerpt": call.response_excerpt or "",
            "error": (call.error or "")[:300],
            "reference": reference[:100],
        }
        called_at = timezone.now()
        try:
            with transaction.atomic():
                ApiCall.objects.create(**values)
        except DatabaseError:
            logger.warning(
                "API call %s %s → %s kept in the spool: the database refused it",
                call.method,
                call.path,
                call.status,
                exc_info=True,
            )
            try:
                api_call_spool(values, called_at)
            except OSError:
                logger.exception(
                    "could not store the API call %s %s → %s", call.method, call.path, call.status
                )
            return
        if transaction.get_connection().in_atomic_block:
            return  # spooled calls stored in the caller's transaction would go if it rolls back
        try:
            api_calls_unspool()
        except OSError:
            logger.exception("could not read the API call spool")

    return record


def _text(body) -> str:
    if body in (None, ""):
        return ""
    return body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)


SANDBOX_SERVICE_POINTS_PATH = "/servicepoints/api/v2"


def service_points_url() -> str:
    """SENDCLOUD_SERVICE_POINTS_URL, else the host that goes with SENDCLOUD_BASE_URL: Sendcloud's
    service points host for the real panel, the sandbox's own prefix for it otherwise."""
    if settings.SENDCLOUD_SERVICE_POINTS_URL:
        return settings.SENDCLOUD_SERVICE_POINTS_URL
    base = settings.SENDCLOUD_BASE_URL.rstrip("/")
    if base == DEFAULT_BASE_URL:
        return DEFAULT_SERVICE_POINTS_URL
    return base + SANDBOX_SERVICE_POINTS_PATH


def sendcloud_client(
    public_key: str, secret_key: str, *, integration=None, reference="", **options
) -> SendcloudClient:
    return SendcloudClient(
        public_key,
        secret_key,
        base_url=settings.SENDCLOUD_BASE_URL,
        service_points_url=service_points_url(),
        timeout=settings.SENDCLOUD_TIMEOUT_SECONDS,
        on_call=api_call_recorder(integration, reference),
        **{"rate_limit_storage": settings.SENDCLOUD_RATE_LIMIT_STORAGE, **options},
    )


def client_for(integration: Integration, *, reference: str = "", **options) -> SendcloudClient:
    """The client of a connected integration, with its stored (decrypted) keys."""
    return sendcloud_client(
        integration.public_key,
        integration.secret_key,
        integration=integration,
        reference=reference,
        **options,
    )
