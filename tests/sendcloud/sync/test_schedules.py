"""Scheduled runs: beat calls `sync_due_dispatch` every minute; changes at Sendcloud show up."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from sendcloud.models import Integration, ObjectType, Parcel, SenderAddress, SyncRun, SyncState
from sendcloud.schedules import sendcloud_schedules_ensure
from sendcloud.services.sync_schedules import (
    DEFAULT_INTERVALS,
    sync_due_dispatch,
    sync_next_scheduled,
    sync_states_ensure,
)
from sendcloud.sync.runner import sync_run_execute


@pytest.fixture
def worker(monkeypatch):
    """Queued runs execute right away in this thread, as the worker would."""
    monkeypatch.setattr(
        "sendcloud.tasks.sync_run_execute_task.delay", lambda run_id: sync_run_execute(run_id)
    )
    # The dispatcher queues scheduled runs at the integration's offset into the minute.
    monkeypatch.setattr(
        "sendcloud.tasks.sync_run_execute_task.apply_async",
        lambda args, countdown=0: sync_run_execute(*args),
    )


@pytest.fixture
def live_integration(sandbox_integration, sandbox_server, settings):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    return sandbox_integration


def test_default_schedules(sandbox_integration):
    states = {s.object_type: s.interval_minutes for s in sync_states_ensure(sandbox_integration)}

    assert states["sender_addresses"] == states["shipping_methods"] == 60
    assert states["parcels"] == states["returns"] == 15
    assert states["parcel_statuses"] == states["invoices"] == 24 * 60
    assert set(states) == {str(t) for t in DEFAULT_INTERVALS}


def test_beat_has_the_dispatcher(db):
    from django_celery_beat.models import PeriodicTask

    sendcloud_schedules_ensure()

    task = PeriodicTask.objects.get(task="sendcloud.sync_due")
    assert task.interval.every == 60 and task.enabled


def test_changes_at_sendcloud_show_up_after_the_next_scheduled_run(
    live_integration, sandbox_app, sandbox_control, worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sync_due_dispatch()
    assert len(first) == 1
    run = SyncRun.objects.get(pk=first[0].pk)
    assert run.trigger == SyncRun.Trigger.SCHEDULE
    assert run.state == SyncRun.State.SUCCEEDED, run.error
    assert len(run.object_types) == len(ObjectType)

    # Someone works in the Sendcloud panel: a new sender address, a parcel moves on.
    store = sandbox_app.extensions["sandbox"].store
    account_id, data = store.query("SELECT account_id, data FROM sender_addresses LIMIT 1")[0]
    new_address = {**json.loads(data), "street": "Neue Straße", "label": "Lager Neu"}
    with store.write() as conn:
        new_id = store.next_ids(conn, "sender_addresses")
        conn.execute(
            "INSERT INTO sender_addresses (id, account_id, data) VALUES (?, ?, ?)",
            (new_id, account_id, json.dumps(new_address)),
        )
    parcel = Parcel.objects.exclude(status_code="DELIVERED").order_by("sendcloud_id").first()
    sandbox_control.post("/_sandbox/clock", json={"advance": 120})
    sandbox_control.post(
        f"/_sandbox/parcels/{parcel.sendcloud_id}/status", json={"status": "DELIVERED"}
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert sync_due_dispatch(timezone.now() + timedelta(minutes=5)) == []  # nothing due
    with django_capture_on_commit_callbacks(execute=True):
        second = sync_due_dispatch(timezone.now() + timedelta(minutes=61))

    run = SyncRun.objects.get(pk=second[0].pk)
    assert run.state == SyncRun.State.SUCCEEDED, run.error
    assert set(run.object_types) == {
        "sender_addresses",
        "shipping_methods",
        "routes",
        "parcels",
        "returns",
    }
    assert run.progress["parcels"]["mode"] == "incremental"
    assert SenderAddress.objects.get(sendcloud_id=new_id).label == "Lager Neu"
    parcel.refresh_from_db()
    assert parcel.status_code == "DELIVERED"


def test_rejected_integrations_are_not_scheduled(sandbox_integration, worker):
    sandbox_integration.state = Integration.State.REJECTED
    sandbox_integration.save()

    assert sync_due_dispatch() == []
    assert sync_next_scheduled(sandbox_integration) is None


def test_due_types_wait_while_a_run_is_active(sandbox_integration, monkeypatch):
    monkeypatch.setattr("sendcloud.tasks.sync_run_execute_task.delay", lambda run_id: None)
    monkeypatch.setattr("sendcloud.tasks.sync_run_execute_task.apply_async", lambda *a, **k: None)
    first = sync_due_dispatch()

    assert len(first) == 1
    assert sync_due_dispatch(timezone.now() + timedelta(hours=2)) == []
    assert SyncRun.objects.count() == 1
    assert SyncState.objects.filter(last_scheduled_at__isnull=False).count() == len(ObjectType)
