"""Faults, malformed objects and a worker killed mid-run all end in the same mirrored rows."""

import json

import httpx
import pytest

from sendcloud.models import (
    Invoice,
    ObjectType,
    Parcel,
    Return,
    SenderAddress,
    ShippingOption,
    SyncRun,
)
from sendcloud.models.runs import STALE_AFTER
from sendcloud.services.sync_schedules import sync_runs_resume_stale
from sendcloud.sync import sync_start
from sendcloud.sync.base import TypeSync
from sendcloud.sync.runner import sync_run_execute
from tests.sendcloud.factories import IntegrationFactory

ALL = list(ObjectType.values)
VOLUME = {"parcels": 320, "returns": 90, "invoices": 12, "seed": 7}
MIRRORED = (Parcel, Return, Invoice, SenderAddress, ShippingOption)
# Bookkeeping of our own (created_at/updated_at: when the back office wrote the row).
IGNORED = {"id", "integration", "synced_at", "seen_run", "created_at", "updated_at"}


@pytest.fixture
def big_integration(sandbox_integration, sandbox_control, sandbox_account):
    response = sandbox_control.post(f"/_sandbox/accounts/{sandbox_account['id']}/seed", json=VOLUME)
    assert response.status_code == 200
    return sandbox_integration


@pytest.fixture
def twin(big_integration):
    """A second integration of the same account, mirrored separately (a fault-free baseline)."""
    return IntegrationFactory(
        company=big_integration.company,
        shop_name="Twin",
        sendcloud_id=None,
        public_key=big_integration.public_key,
        secret_key=big_integration.secret_key,
    )


def mirrored_rows(integration) -> dict:
    out = {}
    for model in MIRRORED:
        names = [f.name for f in model._meta.concrete_fields if f.name not in IGNORED]
        rows = model.objects.filter(integration=integration).order_by("pk").values_list(*names)
        out[model.__name__] = sorted(json.dumps(r, default=str, sort_keys=True) for r in rows)
    return out


FAULTS = [
    {"kind": kind, "rate": rate}
    for kind, rate in (
        ("server_error", 0.05),
        ("rate_limit", 0.05),
        ("timeout", 0.04),
        ("connection_reset", 0.04),
        ("malformed_json", 0.04),
    )
]


def test_sync_with_injected_faults_ends_with_the_rows_of_a_fault_free_run(
    big_integration, twin, sync, sandbox_control, sandbox_app, sandbox_account
):
    baseline = sync(twin, ALL)
    assert baseline.state == SyncRun.State.SUCCEEDED, baseline.error

    sandbox_control.put("/_sandbox/faults", json={"faults": FAULTS, "seed": 20})
    run = sync(big_integration, ALL)

    fired = sum(f["fired"] for f in sandbox_app.extensions["sandbox"].faults.state()["faults"])
    assert fired >= 5, "the faults did not fire"
    assert run.state == SyncRun.State.SUCCEEDED, run.error
    assert mirrored_rows(big_integration) == mirrored_rows(twin)
    # Every parcel the sandbox holds for this key pair (the seed gives a tenth or so to the
    # account's shop integration, which this key pair does not see).
    [held] = sandbox_app.extensions["sandbox"].store.one(
        "SELECT COUNT(*) FROM parcels WHERE integration_id = ?",
        (sandbox_account["integration_id"],),
    )
    assert Parcel.objects.filter(integration=twin).count() == held > VOLUME["parcels"] * 0.8


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the runner may catch it."""


def test_a_run_killed_mid_walk_resumes_from_its_last_committed_page(
    big_integration, twin, sync, make_client, monkeypatch
):
    baseline = sync(twin, ALL)
    original = TypeSync.write_batch
    written = {"parcels": 0}

    def dying_write(self, ctx, batch, **kwargs):
        if self.object_type == "parcels":
            if written["parcels"] == 2:
                raise WorkerKilled
            written["parcels"] += 1
        return original(self, ctx, batch, **kwargs)

    monkeypatch.setattr(TypeSync, "write_batch", dying_write)
    run = sync_start(big_integration, ALL, queue=False, trigger=SyncRun.Trigger.MANUAL)
    with pytest.raises(WorkerKilled):
        sync_run_execute(run.pk, client=make_client(big_integration))
    monkeypatch.setattr(TypeSync, "write_batch", original)

    run.refresh_from_db()
    assert run.state == SyncRun.State.RUNNING
    assert run.progress["parcels"]["pages"] == 2 and run.progress["parcels"]["token"]
    assert run.progress["returns"]["state"] == "done"
    # A redelivered task finds the run alive and leaves it alone …
    assert sync_run_execute(run.pk, client=make_client(big_integration)) is None
    # … until it has been silent for STALE_AFTER.
    SyncRun.objects.filter(pk=run.pk).update(heartbeat_at=run.heartbeat_at - STALE_AFTER * 2)

    resumed = sync_run_execute(run.pk, client=make_client(big_integration))

    assert resumed.state == SyncRun.State.SUCCEEDED, resumed.error
    assert resumed.pk == run.pk
    total_pages = baseline.progress["parcels"]["pages"]
    assert resumed.progress["parcels"]["pages"] == total_pages
    assert resumed.progress["parcels"]["created"] == baseline.progress["parcels"]["created"]
    assert mirrored_rows(big_integration) == mirrored_rows(twin)


def test_stale_runs_are_queued_again_by_the_scheduler(
    big_integration, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "sendcloud.tasks.sync_run_execute_task.delay", lambda run_id: queued.append(run_id)
    )
    run = sync_start(big_integration, ALL, queue=False, trigger=SyncRun.Trigger.MANUAL)
    SyncRun.objects.filter(pk=run.pk).update(
        state=SyncRun.State.RUNNING, heartbeat_at=run.queued_at - STALE_AFTER * 2
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert sync_runs_resume_stale() == 1

    assert queued == [run.pk]


class Garbling(httpx.BaseTransport):
    """Breaks one shipment and one sender address in otherwise good pages."""

    def __init__(self, inner):
        self.inner = inner
        self.broken = {}

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        path = request.url.path
        if request.method != "GET" or not path.startswith(
            ("/api/v3/shipments", "/api/v3/addresses/sender-addresses")
        ):
            return response
        body = json.loads(response.read())
        item = body["data"][0]
        if path.startswith("/api/v3/shipments"):
            self.broken["parcel"] = item["parcels"][0]["id"]
            item["parcels"][0]["id"] = "not a number"
        else:
            self.broken["sender"] = item["id"]
            item["id"] = None
            item["address_line_1"] = {"nested": "nonsense"}
        return httpx.Response(
            response.status_code, headers=response.headers, content=json.dumps(body).encode()
        )


def test_a_malformed_object_is_skipped_and_counted_failed_with_its_id(
    sandbox_integration, sync, make_client, sandbox_transport
):
    garbling = Garbling(sandbox_transport)
    client = make_client(sandbox_integration, transport=garbling)

    run = sync(
        sandbox_integration, [ObjectType.PARCELS, ObjectType.SENDER_ADDRESSES], client=client
    )

    assert run.state == SyncRun.State.PARTIAL
    parcels = run.progress["parcels"]
    assert parcels["state"] == "done" and parcels["failed"] == 1
    assert parcels["failed_ids"][0]["id"]  # the shipment's id
    assert not Parcel.objects.filter(sendcloud_id=garbling.broken["parcel"]).exists()
    assert Parcel.objects.filter(integration=sandbox_integration).count() > 0
    senders = run.progress["sender_addresses"]
    assert senders["failed"] == 1 and senders["created"] >= 1
