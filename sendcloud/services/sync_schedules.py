"""Abgleich schedules: how often each object type of an integration is synced.

One beat entry ("Sendcloud: scheduled sync", every minute) calls `sync_due_dispatch`, which
starts one run per integration with all object types that are due, through the same runner as
the Abgleich button. Types due while a run is active simply wait for the next minute, so types
with different intervals never push each other out. Runs whose worker died are queued again.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from sendcloud import jobs
from sendcloud.models import (
    Integration,
    LabelJob,
    ObjectType,
    OrderPushRun,
    ScheduleTick,
    SyncRun,
    SyncState,
)
from sendcloud.runs import RunActive, runs_resume_stale
from sendcloud.sync import sync_start

HOUR = 60
DAY = 24 * HOUR
DEFAULT_INTERVALS = {
    ObjectType.SENDER_ADDRESSES: HOUR,
    ObjectType.SHIPPING_METHODS: HOUR,
    ObjectType.ROUTES: HOUR,
    ObjectType.PARCELS: 15,
    ObjectType.RETURNS: 15,
    ObjectType.PARCEL_STATUSES: DAY,
    ObjectType.INVOICES: DAY,
    ObjectType.BRANDS: DAY,
}
DISPATCH_SPREAD_SECONDS = 60
TICKS_KEPT = timedelta(days=2)


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
    """When the type is due next (`now` if it never ran); None if it is not scheduled.

    A daily or weekly schedule with a time of day ("täglich um 03:00") is due at the first such
    local time after its last run (for weekly: after six more days), so it runs once a day at or
    after that time however late the previous run was; without a time the interval counts from
    the last run."""
    if not state.schedule_enabled or not state.interval_minutes:
        return None
    marks = [m for m in (state.last_scheduled_at, state.last_finished_at) if m]
    if not marks:
        return now or timezone.now()
    last = max(marks)
    if state.run_at is None or state.interval_minutes % DAY:
        return last + timedelta(minutes=state.interval_minutes)
    return next_time_of_day(last + timedelta(minutes=state.interval_minutes - DAY), state.run_at)


def next_time_of_day(after: datetime, at: time) -> datetime:
    """The first moment strictly after `after` when the local clock (TIME_ZONE) shows `at`.

    On the night the clocks go forward a time that does not exist falls an hour later; on the
    night they go back the first of the two moments counts."""
    zone = timezone.get_default_timezone()
    day = timezone.localtime(after, zone).date()
    slot = datetime.combine(day, at, tzinfo=zone)
    if slot <= after:
        slot = datetime.combine(day + timedelta(days=1), at, tzinfo=zone)
    return slot


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


def sync_schedules_update(
    integration: Integration, changes: dict[str, tuple[bool, int, time | None]]
) -> None:
    """Save `{object_type: (enabled, interval_minutes, time of day or None)}`; a time of day is
    kept only for whole days."""
    states = {s.object_type: s for s in sync_states_ensure(integration)}
    for object_type, (enabled, minutes, run_at) in changes.items():
        state = states[object_type]
        state.schedule_enabled = enabled
        state.interval_minutes = max(1, int(minutes))
        state.run_at = run_at if state.interval_minutes % DAY == 0 else None
        state.save(update_fields=["schedule_enabled", "interval_minutes", "run_at"])


def sync_runs_resume_stale(now=None) -> int:
    """Queue sync runs, order push runs and label jobs whose worker went silent; they continue."""
    return (
        runs_resume_stale(SyncRun, jobs.SYNC_RUN_EXECUTE, now)
        + runs_resume_stale(OrderPushRun, jobs.ORDER_PUSH_RUN, now)
        + runs_resume_stale(LabelJob, jobs.LABEL_JOB_EXECUTE, now)
    )


def sync_dispatch_offset(integration_id: int) -> int:
    """Seconds into the minute at which the integration's scheduled runs start: stable per
    integration and spread evenly, so a thousand schedules do not fire in the same second.
    37 is prime to 60: consecutive ids land 37 s apart and every second gets its share."""
    return (integration_id * 37) % DISPATCH_SPREAD_SECONDS


def _minute_claim(now: datetime) -> ScheduleTick | None:
    """This minute for this dispatcher, or None if another beat's dispatcher already has it."""
    minute = now.replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            tick = ScheduleTick.objects.create(minute=minute)
    except IntegrityError:
        return None
    ScheduleTick.objects.filter(minute__lt=minute - TICKS_KEPT).delete()
    return tick


def _states_by_integration(ids: list[int]) -> dict[int, list[SyncState]]:
    """Every type's state of the integrations `ids`, created in bulk where missing."""
    states: dict[int, dict[str, SyncState]] = {pk: {} for pk in ids}
    for state in SyncState.objects.filter(integration_id__in=ids).order_by():
        states[state.integration_id][state.object_type] = state
    missing = [
        SyncState(
            integration_id=pk,
            object_type=object_type,
            interval_minutes=DEFAULT_INTERVALS[object_type],
        )
        for pk, have in states.items()
        for object_type in ObjectType.values
        if object_type not in have
    ]
    if missing:
        SyncState.objects.bulk_create(missing, ignore_conflicts=True)
        created = {(s.integration_id, s.object_type) for s in missing}
        for state in SyncState.objects.filter(integration_id__in=ids).order_by():
            if (state.integration_id, state.object_type) in created:
                states[state.integration_id][state.object_type] = state
    for have in states.values():
        for state in have.values():
            if state.interval_minutes is None:  # shown and used as the type's default
                state.interval_minutes = DEFAULT_INTERVALS.get(state.object_type, DAY)
    return {pk: [have[t] for t in ObjectType.values if t in have] for pk, have in states.items()}


def sync_due_dispatch(now=None) -> list[SyncRun]:
    """Start one run per usable integration with every object type whose schedule is due.

    The number of queries does not grow with the number of integrations that have nothing to
    do: integrations, their states and their active runs are read in one query each; only an
    integration that is due costs the few queries of starting its run. Each run is queued with
    the integration's offset into the minute. A minute already dispatched (by a second beat
    started by mistake) starts nothing."""
    now = now or timezone.now()
    tick = _minute_claim(now)
    if tick is None:
        return []
    sync_runs_resume_stale(now)
    usable = Integration.objects.connected().exclude(public_key="").exclude(secret_key_encrypted="")
    integrations = {i.pk: i for i in usable.order_by("id")}
    states = _states_by_integration(list(integrations))
    busy = set(
        SyncRun.objects.active()
        .filter(integration_id__in=list(integrations))
        .values_list("integration_id", flat=True)
    )
    started = []
    for pk, integration in integrations.items():
        if pk in busy:
            continue  # due types stay due; the next minute tries again
        due = [
            state
            for state in states.get(pk, [])
            if (when := sync_state_next_at(state, now)) is not None and when <= now
        ]
        if not due:
            continue
        with transaction.atomic():
            try:
                run = sync_start(
                    integration,
                    [s.object_type for s in due],
                    trigger=SyncRun.Trigger.SCHEDULE,
                    queue=False,
                )
            except RunActive:
                continue
            SyncState.objects.filter(pk__in=[s.pk for s in due]).update(last_scheduled_at=now)
            jobs.enqueue_in(jobs.SYNC_RUN_EXECUTE, sync_dispatch_offset(pk), run.pk)
        started.append(run)
    if started:
        ScheduleTick.objects.filter(pk=tick.pk).update(runs_started=len(started))
    return started
