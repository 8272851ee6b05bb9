"""All object types against the sandbox: counts, lists, failures, the lock."""

import pytest

from sendcloud.models import (
    Brand,
    Carrier,
    Integration,
    Invoice,
    ObjectType,
    Parcel,
    ParcelStatus,
    Return,
    SenderAddress,
    ShippingOption,
    SyncRun,
    SyncState,
)
from sendcloud.runs import RunActive
from sendcloud.sync import sync_start

ALL = list(ObjectType.values)


def test_full_sync_mirrors_every_object_type_of_the_account(
    sandbox_integration, sync, sandbox_account, sandbox_app
):
    run = sync(sandbox_integration, ALL)

    assert run.state == SyncRun.State.SUCCEEDED, run.error
    mine = {"integration": sandbox_integration}
    # Parcels and returns of the account's other integration are not mirrored (v3 §2.1).
    store = sandbox_app.extensions["sandbox"].store
    own = (sandbox_account["integration_id"],) * 2
    parcels = store.one("SELECT COUNT(*) FROM parcels WHERE integration_id = ?", own[:1])[0]
    returns = store.one(
        "SELECT COUNT(*) FROM returns WHERE COALESCE(json_extract(data, '$.integration_id'), ?)"
        " = ?",
        own,
    )[0]
    assert 0 < parcels < sandbox_account["seeded"]["parcels"]
    assert Parcel.objects.filter(**mine).count() == parcels
    assert Return.objects.filter(**mine).count() == returns
    assert Invoice.objects.filter(**mine).count() == sandbox_account["seeded"]["invoices"]
    assert SenderAddress.objects.filter(**mine).exists()
    assert Brand.objects.filter(**mine).exists()
    assert ShippingOption.objects.filter(**mine, supports_returns=True).exists()
    assert ShippingOption.objects.filter(**mine, supports_returns=False).exists()
    assert Carrier.objects.filter(**mine).count() == len(
        set(ShippingOption.objects.values_list("carrier_code", flat=True))
    )
    assert ParcelStatus.objects.filter(**mine, v3_code="DELIVERED", v2_id=11).exists()
    parcel = Parcel.objects.filter(**mine).exclude(tracking_number="").first()
    assert parcel.status_code and parcel.carrier_code and parcel.to_country
    assert parcel.sendcloud_updated_at and parcel.shipment_id
    for object_type, entry in run.progress.items():
        assert entry["state"] == "done", object_type
        assert entry["failed"] == 0
    assert run.requests >= len(ALL)
    assert run.finished_at and run.duration is not None


def test_parcels_sync_incrementally_after_the_first_full_run(
    sandbox_integration, sync, sandbox_control
):
    first = sync(sandbox_integration, [ObjectType.PARCELS])
    assert first.progress["parcels"]["mode"] == "full"
    state = SyncState.objects.get(integration=sandbox_integration, object_type="parcels")
    assert state.watermark is not None and state.last_full_at is not None

    parcel = Parcel.objects.filter(integration=sandbox_integration).order_by("sendcloud_id")[0]
    sandbox_control.post("/_sandbox/clock", json={"advance": 60})
    changed = sandbox_control.post(
        f"/_sandbox/parcels/{parcel.sendcloud_id}/status", json={"status": "DELIVERED"}
    )
    assert changed.status_code == 200

    second = sync(sandbox_integration, [ObjectType.PARCELS])

    entry = second.progress["parcels"]
    assert entry["mode"] == "incremental"
    assert entry["pages"] == 1
    assert entry["updated"] >= 1 and entry["created"] == 0
    parcel.refresh_from_db()
    assert parcel.status_code == "DELIVERED"

    third = sync(sandbox_integration, [ObjectType.PARCELS])
    assert third.progress["parcels"]["pages"] == 1
    assert third.progress["parcels"]["updated"] == 0


def test_a_second_trigger_while_a_run_is_active_is_told_so(sandbox_integration):
    first = sync_start(sandbox_integration, ALL, queue=False, trigger=SyncRun.Trigger.MANUAL)

    with pytest.raises(RunActive) as busy:
        sync_start(sandbox_integration, ALL, trigger=SyncRun.Trigger.SCHEDULE)

    assert busy.value.run == first
    assert not busy.value.stale
    assert SyncRun.objects.filter(integration=sandbox_integration).count() == 1


def test_one_failing_type_leaves_the_others_synced_with_the_api_message(
    sandbox_integration, sync, sandbox_control
):
    sandbox_control.put(
        "/_sandbox/faults",
        json={"faults": [{"kind": "server_error", "rate": 1, "path": "/api/v2/user/invoices"}]},
    )

    run = sync(sandbox_integration, [ObjectType.INVOICES, ObjectType.SENDER_ADDRESSES])

    assert run.state == SyncRun.State.PARTIAL
    assert run.progress["sender_addresses"]["state"] == "done"
    assert run.progress["invoices"]["state"] == "failed"
    assert "HTTP 500" in run.progress["invoices"]["error"]
    assert "invoices" in run.error
    assert SenderAddress.objects.filter(integration=sandbox_integration).exists()
    state = SyncState.objects.get(integration=sandbox_integration, object_type="invoices")
    assert state.last_outcome == "failed" and "HTTP 500" in state.last_error


def test_wrong_keys_mark_the_integration_rejected_and_stop_the_run(sandbox_integration, sync):
    sandbox_integration.secret_key = "wrong-" + "0" * 26
    sandbox_integration.save()

    run = sync(sandbox_integration, [ObjectType.SENDER_ADDRESSES, ObjectType.PARCELS])

    assert run.state == SyncRun.State.FAILED
    sandbox_integration.refresh_from_db()
    assert sandbox_integration.state == Integration.State.REJECTED
    assert "abgelehnt" in sandbox_integration.last_error
    assert run.progress["parcels"]["state"] == "failed"
    assert run.requests == 1  # nothing else was tried after the 401


def test_returns_sync_incrementally_from_the_newest_return_seen(
    sandbox_integration, sync, sandbox_control, sandbox_account
):
    seeded = sandbox_control.post(
        f"/_sandbox/accounts/{sandbox_account['id']}/seed", json={"returns": 480, "seed": 3}
    )
    assert seeded.status_code == 200
    first = sync(sandbox_integration, [ObjectType.RETURNS])
    newest = max(Return.objects.values_list("sendcloud_created_at", flat=True))
    state = SyncState.objects.get(integration=sandbox_integration, object_type="returns")
    assert first.progress["returns"]["pages"] > 10
    assert state.watermark == newest

    second = sync(sandbox_integration, [ObjectType.RETURNS])

    assert second.progress["returns"]["mode"] == "incremental"
    assert second.progress["returns"]["pages"] == 1
    assert second.progress["returns"]["updated"] == 0
