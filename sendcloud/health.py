"""Liveness and readiness checks for load balancers and orchestrators (`/health`, `/ready`).

Each check is cheap (one query or one connect with a short timeout) and never raises: it
returns a dict with `ok` and what it saw. Sendcloud's reachability is read from the newest
ApiCall row, not probed, and never decides readiness: the back office works while Sendcloud
is down (ARCHITECTURE.md, invariants), so a Sendcloud outage must not pull it out of rotation.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu import Connection

from backoffice.system.services import HEARTBEAT_EVERY, worker_last_seen
from sendcloud.models import ApiCall

# Three missed beats: one late beat (a busy worker, a beat restart) is not an outage.
WORKER_STALE_AFTER = HEARTBEAT_EVERY * 3
BROKER_TIMEOUT_SECONDS = 2.0
SENDCLOUD_RECENT = timedelta(minutes=15)


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def broker_check(url: str | None = None) -> dict:
    """Connect to the Celery broker once, without Celery's endless retry."""
    try:
        with Connection(
            url or settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:  # every transport raises its own family; any means "not ready"
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def worker_check(now=None) -> dict:
    now = now or timezone.now()
    try:
        seen = worker_last_seen()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    if seen is None:
        return {"ok": False, "last_seen": None, "age_seconds": None}
    age = (now - seen).total_seconds()
    return {
        "ok": age <= WORKER_STALE_AFTER.total_seconds(),
        "last_seen": seen.isoformat(),
        "age_seconds": round(age, 1),
    }


def sendcloud_check(now=None) -> dict:
    """What the newest call to Sendcloud saw; informational, never part of readiness."""
    now = now or timezone.now()
    try:
        last = ApiCall.objects.order_by("-created_at", "-id").first()
    except DatabaseError as error:
        return {"state": "unknown", "error": type(error).__name__}
    if last is None:
        return {"state": "unknown", "last_call_at": None, "last_status": None}
    answered = last.status_code is not None and last.status_code < 500
    if now - last.created_at > SENDCLOUD_RECENT:
        state = "unknown"  # too old to say anything about now
    else:
        state = "reachable" if answered else "unreachable"
    return {
        "state": state,
        "last_call_at": last.created_at.isoformat(),
        "last_status": last.status_code,
    }


def readiness() -> tuple[bool, dict]:
    checks = {"database": database_check(), "broker": broker_check()}
    checks["worker"] = worker_check() if checks["database"]["ok"] else {"ok": False}
    ready = all(check["ok"] for check in checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    body["sendcloud"] = sendcloud_check() if checks["database"]["ok"] else {"state": "unknown"}
    return ready, body
