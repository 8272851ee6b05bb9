"""Abgleich: mirror Sendcloud objects into the back office (one module per object type).

`sync_start` creates a run (or says one is active) and queues it on commit; `sync_run_execute`
(runner) does the work, for manual, scheduled and command-line runs alike.
"""

from __future__ import annotations

from sendcloud import jobs
from sendcloud.models import Integration, ObjectType, SyncRun
from sendcloud.models.sync import TypeProgress
from sendcloud.runs import run_start


def sync_run_active(integration: Integration) -> SyncRun | None:
    return SyncRun.objects.filter(integration=integration).active().first()


def sync_start(
    integration: Integration, object_types, *, trigger: str, user=None, full=False, queue=True
) -> SyncRun:
    """A new run queued for the worker (`queue=False`: the caller executes it). While one is
    active this raises RunActive; if that run's worker died, it is queued again and continues
    from its last committed page."""
    wanted = {str(t) for t in object_types}
    if not wanted or not wanted <= set(ObjectType.values):
        raise ValueError(f"no or unknown object types: {', '.join(sorted(wanted))}")
    types = [t for t in ObjectType.values if t in wanted]  # in the order of ObjectType
    return run_start(
        SyncRun,
        jobs.SYNC_RUN_EXECUTE,
        integration,
        queue=queue,
        trigger=trigger,
        started_by=user if user is not None and user.is_authenticated else None,
        object_types=types,
        full=full,
        progress={t: TypeProgress().dump() for t in types},
    )
