"""The runner behind Abgleich: executes one SyncRun, object type by object type.

Manual, scheduled and command-line runs all come here. A failing type is recorded with the API's
message and the others carry on; wrong keys (401) mark the integration as rejected and stop the
run. Progress is committed with every page, so a run that dies resumes where it stopped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from sendcloud.client import (
    AuthenticationError,
    ConnectionError,
    InvalidResponse,
    RateLimited,
    SendcloudClient,
    SendcloudError,
    ServerError,
    Timeout,
)
from sendcloud.clients import client_for
from sendcloud.models import Integration, SyncRun, SyncState

from .base import SyncContext, new_entry
from .lock import sync_run_claim
from .types import SYNCERS

logger = logging.getLogger(__name__)

TRANSIENT = (ServerError, RateLimited, Timeout, ConnectionError, InvalidResponse)
TYPE_ATTEMPTS = 4  # walks of one type, each resuming from the last committed page
CLIENT_RETRIES = 5
HEARTBEAT_SECONDS = 15.0
FINISHED = ("done", "failed")


class Heartbeat:
    """Saves the run's progress and counts requests; called per page and per API call."""

    def __init__(self, run: SyncRun, on_progress: Callable[[SyncRun], None] | None = None):
        self.run = run
        self.on_progress = on_progress
        self.requests = run.requests
        self._last = 0.0
        self._inner = None
        self._owner = threading.current_thread()
        self._deferred: deque = deque()

    def attach(self, client: SendcloudClient) -> None:
        self._inner = client.transport.on_call

        def on_call(record):
            self.requests += 1
            if threading.current_thread() is not self._owner:
                self._deferred.append(record)  # the database belongs to the runner's thread
                return
            self._record(record)
            if time.monotonic() - self._last > HEARTBEAT_SECONDS:
                self()

        client.transport.on_call = on_call

    def _record(self, record) -> None:
        if self._inner is not None:
            self._inner(record)

    def flush(self) -> None:
        while self._deferred:
            self._record(self._deferred.popleft())

    def __call__(self) -> None:
        self.flush()
        self._last = time.monotonic()
        self.run.requests = self.requests
        SyncRun.objects.filter(pk=self.run.pk).update(
            progress=self.run.progress, heartbeat_at=timezone.now(), requests=self.requests
        )
        if self.on_progress is not None:
            self.on_progress(self.run)


def sync_run_execute(
    run_id: int,
    *,
    client: SendcloudClient | None = None,
    on_progress: Callable[[SyncRun], None] | None = None,
) -> SyncRun | None:
    """Claim and execute a run; None when another worker has it (or it is finished)."""
    if not sync_run_claim(run_id):
        return None
    run = SyncRun.objects.select_related("integration").get(pk=run_id)
    integration = run.integration
    if not integration.has_keys:
        run.error = _("The integration has no API keys.")
        return _finish(run)
    own_client = client is None
    if own_client:
        client = client_for(integration, reference=f"sync run {run.pk}", max_retries=CLIENT_RETRIES)
    beat = Heartbeat(run, on_progress)
    beat.attach(client)
    try:
        for object_type in run.object_types:
            entry = run.progress.setdefault(object_type, new_entry())
            if entry["state"] in FINISHED:
                continue  # done before the worker died
            if not _sync_type(run, integration, object_type, entry, client, beat):
                break
    finally:
        if own_client:
            client.close()
    return _finish(run)


def _sync_type(run, integration, object_type, entry, client, beat) -> bool:
    """One object type; False when the run must stop (keys rejected)."""
    syncer = SYNCERS[object_type]
    state, _created = SyncState.objects.get_or_create(
        integration=integration, object_type=object_type
    )
    if run.full and not entry["mode"]:
        entry["mode"] = "full"
    entry["state"] = "running"
    entry.setdefault("started_at", timezone.now().isoformat())
    beat()
    ctx = SyncContext(run, integration, client, object_type, entry, state, heartbeat=beat)
    attempts = 0
    keep_going = True
    while True:
        attempts += 1
        try:
            syncer.run(ctx)
        except AuthenticationError as error:
            _fail(entry, error)
            _integration_rejected(integration, error)
            _skip_rest(run, _("Not synced: Sendcloud rejected the API keys."))
            keep_going = False
        except TRANSIENT as error:
            if attempts < TYPE_ATTEMPTS:
                client.transport.retry.sleep(client.transport.retry.delay(attempts, error))
                continue
            _fail(entry, error)
        except SendcloudError as error:
            _fail(entry, error)
        except Exception as error:  # one type's bug must not cost the other types their sync
            logger.exception("sync of %s failed in run %s", object_type, run.pk)
            _fail(entry, error)
        else:
            entry["state"] = "done"
        break
    entry["finished_at"] = timezone.now().isoformat()
    _state_update(state, run, syncer, entry)
    beat()
    return keep_going


def _fail(entry: dict, error: Exception) -> None:
    entry["state"] = "failed"
    entry["error"] = str(error)[:1000] or type(error).__name__


def _skip_rest(run: SyncRun, message: str) -> None:
    for entry in run.progress.values():
        if entry["state"] in ("pending",):
            entry["state"] = "failed"
            entry["error"] = message


def _integration_rejected(integration: Integration, error: SendcloudError) -> None:
    """Wrong keys: stop scheduled runs until someone enters working keys (Setup)."""
    integration.state = Integration.State.REJECTED
    integration.last_error = _("Sendcloud rejected the API keys during a sync: %(error)s") % {
        "error": error
    }
    integration.last_error_at = timezone.now()
    integration.save(update_fields=["state", "last_error", "last_error_at", "updated_at"])


def _state_update(state: SyncState, run: SyncRun, syncer, entry: dict) -> None:
    now = timezone.now()
    state.last_run = run
    state.last_finished_at = now
    state.last_error = entry["error"]
    if entry["state"] == "done":
        state.last_outcome = "partial" if entry["failed"] else "succeeded"
        if entry["mode"] == "full":
            state.last_full_at = now
        if syncer.incremental and entry.get("max_seen"):
            seen = datetime.fromisoformat(entry["max_seen"])
            if state.watermark is None or seen > state.watermark:
                state.watermark = seen
    else:
        state.last_outcome = "failed"
    state.save()


def _finish(run: SyncRun) -> SyncRun:
    states = [entry["state"] for entry in run.progress.values()]
    clean = all(not entry["failed"] for entry in run.progress.values())
    if states and all(s == "done" for s in states) and clean:
        run.state = SyncRun.State.SUCCEEDED
    elif any(s == "done" for s in states):
        run.state = SyncRun.State.PARTIAL
    else:
        run.state = SyncRun.State.FAILED
    errors = [f"{t}: {e['error']}" for t, e in run.progress.items() if e.get("error")]
    run.error = "\n".join([run.error, *errors]).strip()[:5000]
    run.finished_at = timezone.now()
    run.heartbeat_at = run.finished_at
    run.save()
    return run
