"""The runner behind Abgleich: executes one SyncRun, object type by object type.

Manual, scheduled and command-line runs all come here. A failing type is recorded with the API's
message and the others carry on; wrong keys (401) mark the integration as rejected and stop the
run. Progress is committed with every page, so a run that dies resumes where it stopped.
"""

from __future__ import annotations

import logging
import time
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
from sendcloud.models.sync import TypeProgress, TypeState
from sendcloud.runs import run_execute

from .base import SyncContext
from .types import SYNCERS

logger = logging.getLogger(__name__)

TRANSIENT = (ServerError, RateLimited, Timeout, ConnectionError, InvalidResponse)
TYPE_ATTEMPTS = 4  # walks of one type, each resuming from the last committed page
CLIENT_RETRIES = 5
HEARTBEAT_SECONDS = 15.0


class Heartbeat:
    """Saves the run's progress and counts requests; called per page and per API call."""

    def __init__(self, run: SyncRun, progress: dict[str, TypeProgress], on_progress=None):
        self.run = run
        self.progress = progress
        self.on_progress = on_progress
        self._last = 0.0

    def on_call(self, record) -> None:
        self.run.requests += 1
        if time.monotonic() - self._last > HEARTBEAT_SECONDS:
            self()

    def __call__(self) -> None:
        self._last = time.monotonic()
        self.run.beat(
            progress={t: p.dump() for t, p in self.progress.items()}, requests=self.run.requests
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

    def work(run: SyncRun) -> None:
        progress = run.type_progress()
        if not run.integration.has_keys:
            return _finish(run, progress, _("The integration has no API keys."))
        own = client or client_for(
            run.integration, reference=f"sync run {run.pk}", max_retries=CLIENT_RETRIES
        )
        beat = Heartbeat(run, progress, on_progress)
        stop_listening = own.transport.listen(beat.on_call)
        try:
            for object_type, type_progress in progress.items():
                if type_progress.finished:
                    continue  # done before the worker died
                if not _sync_type(run, object_type, type_progress, own, beat):
                    break
        finally:
            stop_listening()
            if client is None:
                own.close()
        _finish(run, progress)

    run = run_execute(SyncRun, run_id, work)
    if run is not None:
        run.refresh_from_db()
    return run


def _sync_type(run, object_type, progress: TypeProgress, client, beat) -> bool:
    """One object type; False when the run must stop (keys rejected)."""
    integration = run.integration
    syncer = SYNCERS[object_type]
    state, _created = SyncState.objects.get_or_create(
        integration=integration, object_type=object_type
    )
    if run.full and not progress.mode:
        progress.mode = "full"
    progress.state = TypeState.RUNNING
    progress.started_at = progress.started_at or timezone.now().isoformat()
    beat()
    ctx = SyncContext(run, integration, client, progress, state, heartbeat=beat)
    attempts = 0
    keep_going = True
    while True:
        attempts += 1
        try:
            syncer.run(ctx)
        except AuthenticationError as error:
            progress.fail(str(error))
            _integration_rejected(integration, error)
            for other in beat.progress.values():
                if other.state == TypeState.PENDING:
                    other.fail(_("Not synced: Sendcloud rejected the API keys."))
            keep_going = False
        except TRANSIENT as error:
            if attempts < TYPE_ATTEMPTS:
                client.transport.retry.sleep(client.transport.retry.delay(attempts, error))
                continue
            progress.fail(str(error) or type(error).__name__)
        except Exception as error:  # one type's failure must not cost the others their sync
            if not isinstance(error, SendcloudError):
                logger.exception("sync of %s failed in run %s", object_type, run.pk)
            progress.fail(str(error) or type(error).__name__)
        else:
            progress.state = TypeState.DONE
        break
    progress.finished_at = timezone.now().isoformat()
    _state_update(state, run, syncer, progress)
    beat()
    return keep_going


def _integration_rejected(integration: Integration, error: SendcloudError) -> None:
    """Wrong keys: stop scheduled runs until someone enters working keys (Setup)."""
    message = _("Sendcloud rejected the API keys during a sync: %(error)s") % {"error": error}
    integration.state, integration.last_error = Integration.State.REJECTED, message
    integration.last_error_at = timezone.now()
    integration.save(update_fields=["state", "last_error", "last_error_at", "updated_at"])


def _state_update(state: SyncState, run: SyncRun, syncer, progress: TypeProgress) -> None:
    now = timezone.now()
    state.last_run = run
    state.last_finished_at = now
    state.last_error = progress.error
    if progress.state == TypeState.DONE:
        state.last_outcome = SyncRun.State.PARTIAL if progress.failed else SyncRun.State.SUCCEEDED
        if progress.mode == "full":
            state.last_full_at = now
        if syncer.incremental and progress.max_seen:
            seen = datetime.fromisoformat(progress.max_seen)
            if state.watermark is None or seen > state.watermark:
                state.watermark = seen
    else:
        state.last_outcome = SyncRun.State.FAILED
    state.save()


def _finish(run: SyncRun, progress: dict[str, TypeProgress], error: str = "") -> None:
    states = [p.state for p in progress.values()]
    clean = not any(p.failed for p in progress.values())
    if states and all(s == TypeState.DONE for s in states) and clean:
        outcome = SyncRun.State.SUCCEEDED
    elif TypeState.DONE in states:
        outcome = SyncRun.State.PARTIAL
    else:
        outcome = SyncRun.State.FAILED
    errors = [f"{t}: {p.error}" for t, p in progress.items() if p.error]
    run.finish(
        outcome,
        "\n".join([error, *errors]).strip(),
        progress={t: p.dump() for t, p in progress.items()},
        requests=run.requests,
    )
