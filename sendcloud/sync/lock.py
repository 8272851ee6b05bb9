"""One sync run per integration at a time.

The lock is a row: the database refuses a second queued/running SyncRun of an integration (a
partial unique constraint), so it holds across processes and survives worker restarts. A worker
claims a run by switching it to running in one UPDATE; a run whose worker stopped giving signs
of life for `STALE_AFTER` may be claimed again and continues from its last committed page.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sendcloud.models import Integration, ObjectType, SyncRun

from .base import new_entry

STALE_AFTER = timedelta(minutes=5)
# Cheap catalogue types first, so a long parcel walk does not hold them back.
ORDER = [
    ObjectType.BRANDS,
    ObjectType.SENDER_ADDRESSES,
    ObjectType.SHIPPING_METHODS,
    ObjectType.PARCEL_STATUSES,
    ObjectType.INVOICES,
    ObjectType.RETURNS,
    ObjectType.PARCELS,
]


class SyncAlreadyRunning(Exception):
    """A run of this integration is queued or running; `stale` if its worker seems gone."""

    def __init__(self, run: SyncRun | None, *, stale: bool = False) -> None:
        self.run = run
        self.stale = stale
        super().__init__(f"sync run {run.pk if run else '?'} is active")


def object_types_ordered(object_types) -> list[str]:
    wanted = {str(t) for t in object_types}
    unknown = wanted - set(ObjectType.values)
    if unknown:
        raise ValueError(f"unknown object types: {', '.join(sorted(unknown))}")
    return [str(t) for t in ORDER if str(t) in wanted]


def sync_run_active(integration: Integration) -> SyncRun | None:
    return SyncRun.objects.filter(integration=integration, state__in=SyncRun.ACTIVE_STATES).first()


def run_is_stale(run: SyncRun, now=None) -> bool:
    now = now or timezone.now()
    last = run.heartbeat_at or run.started_at or run.queued_at
    return last is not None and last < now - STALE_AFTER


def sync_run_create(
    integration: Integration, object_types, *, trigger: str, user=None, full: bool = False
) -> SyncRun:
    """A queued run, or SyncAlreadyRunning when the integration has an active one."""
    types = object_types_ordered(object_types)
    if not types:
        raise ValueError("no object type selected")
    active = sync_run_active(integration)
    if active is not None:
        raise SyncAlreadyRunning(active, stale=run_is_stale(active))
    try:
        with transaction.atomic():
            return SyncRun.objects.create(
                integration=integration,
                trigger=trigger,
                started_by=user if user is not None and user.is_authenticated else None,
                object_types=types,
                full=full,
                progress={t: new_entry() for t in types},
            )
    except IntegrityError:  # another trigger won the race between our check and insert
        raise SyncAlreadyRunning(sync_run_active(integration)) from None


def sync_run_claim(run_id: int, now=None) -> bool:
    """Take a queued run, or a running one whose worker went silent; False if not ours."""
    now = now or timezone.now()
    claimable = Q(state=SyncRun.State.QUEUED) | Q(
        state=SyncRun.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    taken = (
        SyncRun.objects.filter(pk=run_id)
        .filter(claimable)
        .update(state=SyncRun.State.RUNNING, heartbeat_at=now)
    )
    if taken:
        SyncRun.objects.filter(pk=run_id, started_at__isnull=True).update(started_at=now)
    return bool(taken)


def sync_runs_stale(now=None):
    """Active runs nobody works on any more (worker killed, task message lost)."""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    return SyncRun.objects.filter(
        Q(state=SyncRun.State.RUNNING, heartbeat_at__lt=cutoff)
        | Q(state=SyncRun.State.QUEUED, queued_at__lt=cutoff)
    )
