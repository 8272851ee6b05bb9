"""Abgleich schedules: how often each object type of an integration is synced.

One beat entry ("Sendcloud: scheduled sync", every minute) calls `sync_due_dispatch`, which
starts one run per integration with all object types that are due, through the same runner as
the Abgleich button. Types due while a run is active simply wait for the next minute, so types
with different intervals never push each other out. Runs whose worker died are queued again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sendcloud import jobs
from sendcloud.models import Integration, ObjectType, OrderPushRun, SyncRun, SyncState
from sendcloud.runs import RunActive, runs_resume_stale
from sendcloud.sync import sync_start

HOUR = 60
DAY = 24 * HOUR
DEFAULT_INTERVALS = {
    ObjectType.SENDER_ADDRESSES: HOUR,
    ObjectType.SHIPPING_METHODS: HOUR,
    ObjectType.PARCELS: 15,
    ObjectType.RETURNS: 15,
    ObjectType.PARCEL_STATUSES: DAY,
    ObjectType.INVOICES: DAY,
    ObjectType.BRANDS: DAY,
}


def sync_states_ensure(integration: Integration) -> list[SyncState]:
    """The integration's per-type sync state rows (with default schedules), in runner order."""
    states = {s.object_type: s for s in SyncState.objects.filter(integration=integration)}
    for object_type in ObjectType:
        if object_type not in states:
            states[object_type], _created = SyncState.objects.get_or_create(
                integration=integration,
                object_type=object_type,
                defaults={"interval_minutes": DEFAULT_INTERVALS[object_type]},
            )
    for state in states.values():
        if state.interval_minutes is None:
            state.interval_minutes = DEFAULT_INTERVALS.get(state.object_type, DAY)
            state.save(update_fields=["interval_minutes"])
    return [states[t] for t in ObjectType.values]


def sync_state_next_at(state: SyncState, now=None) -> datetime | None:
    """When the type is due next (`now` if it never ran); None if it is not scheduled."""
    if not state.schedule_enabled or not state.interval_minutes:
        return None
    marks = [m for m in (state.last_scheduled_at, state.last_finished_at) if m]
    if not marks:
        return now or timezone.now()
    return max(marks) + timedelta(minutes=state.interval_minutes)


def sync_next_scheduled(
    integration: Integration, states: list[SyncState] | None = None
) -> tuple[datetime, list[str]] | None:
    """The next scheduled run of the integration and the types it will sync."""
    if not integration.is_usable:
        return None
    upcoming = [
        (when, state.object_type)
        for state in (sync_states_ensure(integration) if states is None else states)
        if (when := sync_state_next_at(state)) is not None
    ]
    if not upcoming:
        return None
    first = min(when for when, _type in upcoming)
    # Types falling due within the dispatcher's minute go into the same run.
    batch = [t for when, t in upcoming if when <= first + timedelta(minutes=1)]
    return first, batch


def sync_schedules_update(integration: Integration, changes: dict[str, tuple[bool, int]]) -> None:
    """Save `{object_type: (enabled, interval_minutes)}`."""
    states = {s.object_type: s for s in sync_states_ensure(integration)}
    for object_type, (enabled, minutes) in changes.items():
        state = states[object_type]
        state.schedule_enabled = enabled
        state.interval_minutes = max(1, int(minutes))
        state.save(update_fields=["schedule_enabled", "interval_minutes"])


def sync_runs_resume_stale(now=None) -> int:
    """Queue sync and order push runs whose worker went silent again; they continue."""
    return runs_resume_stale(SyncRun, jobs.SYNC_RUN_EXECUTE, now) + runs_resume_stale(
        OrderPushRun, jobs.ORDER_PUSH_RUN, now
    )


def sync_due_dispatch(now=None) -> list[SyncRun]:
    """Start one run per usable integration with every object type whose schedule is due."""
    now = now or timezone.now()
    sync_runs_resume_stale(now)
    started = []
    integrations = Integration.objects.connected().exclude(public_key="")
    for integration in integrations:
        due = [
            state
            for state in sync_states_ensure(integration)
            if (when := sync_state_next_at(state, now)) is not None and when <= now
        ]
        if not due:
            continue
        with transaction.atomic():
            try:
                run = sync_start(
                    integration, [s.object_type for s in due], trigger=SyncRun.Trigger.SCHEDULE
                )
            except RunActive:
                continue  # due types stay due; the next minute tries again
            SyncState.objects.filter(pk__in=[s.pk for s in due]).update(last_scheduled_at=now)
        started.append(run)
    return started
