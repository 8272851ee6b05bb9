"""Abgleich: mirror Sendcloud objects into the back office (one module per object type).

`sync_start` creates a run (or says one is active) and queues it on commit; `sync_run_execute`
(runner) does the work, for manual, scheduled and command-line runs alike.
"""

from __future__ import annotations

from sendcloud import jobs
from sendcloud.models import Integration, SyncRun

from .lock import SyncAlreadyRunning, run_is_stale, sync_run_active, sync_run_create

__all__ = ["SyncAlreadyRunning", "sync_run_active", "sync_run_queue", "sync_start"]


def sync_run_queue(run: SyncRun) -> None:
    """Hand the run to the worker once the surrounding transaction is committed."""
    jobs.enqueue(jobs.SYNC_RUN_EXECUTE, run.pk)


def sync_start(
    integration: Integration, object_types, *, trigger: str, user=None, full: bool = False
) -> SyncRun:
    """Queue a run. A second trigger while one is active raises SyncAlreadyRunning; if that
    run's worker died, it is queued again and continues from its last committed page."""
    try:
        run = sync_run_create(integration, object_types, trigger=trigger, user=user, full=full)
    except SyncAlreadyRunning as busy:
        if busy.run is not None and run_is_stale(busy.run):
            sync_run_queue(busy.run)
        raise
    sync_run_queue(run)
    return run
