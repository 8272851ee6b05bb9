"""Abgleich: mirror Sendcloud objects into the back office (one module per object type).

`sync_start` creates a run (or says one is active) and queues it on commit; `sync_run_execute`
(runner) does the work, for manual, scheduled and command-line runs alike.
"""

from __future__ import annotations

from sendcloud import jobs
from sendcloud.models import Integration, SyncRun
from sendcloud.runs import run_start

from .lock import sync_run_active, sync_run_fields

__all__ = ["sync_run_active", "sync_start"]


def sync_start(integration: Integration, object_types, **options) -> SyncRun:
    """Queue a run (`trigger`, `user`, `full`). While one is active this raises RunActive; if
    that run's worker died, it is queued again and continues from its last committed page."""
    fields = sync_run_fields(object_types, **options)
    return run_start(SyncRun, jobs.SYNC_RUN_EXECUTE, integration, **fields)
