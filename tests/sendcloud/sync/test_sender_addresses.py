from sendcloud.models import ObjectType, SenderAddress, SyncRun

SENDERS = [ObjectType.SENDER_ADDRESSES]


def test_sync_mirrors_sender_addresses_with_brand_and_label(sandbox_integration, sync):
    run = sync(sandbox_integration, SENDERS)

    assert run.state == SyncRun.State.SUCCEEDED
    entry = run.progress["sender_addresses"]
    rows = SenderAddress.objects.filter(integration=sandbox_integration)
    assert entry["created"] == rows.count() > 0
    assert entry["pages"] == 1
    first = rows.order_by("sendcloud_id").first()
    assert first.brand_id and first.label and first.street and first.country
    assert first.tax_numbers and first.tax_numbers[0]["name"] == "VAT"


def test_second_sync_writes_nothing_when_nothing_changed(sandbox_integration, sync):
    sync(sandbox_integration, SENDERS)
    before = dict(
        SenderAddress.objects.filter(integration=sandbox_integration).values_list(
            "sendcloud_id", "synced_at"
        )
    )

    run = sync(sandbox_integration, SENDERS)

    entry = run.progress["sender_addresses"]
    assert (entry["created"], entry["updated"], entry["archived"]) == (0, 0, 0)
    assert entry["unchanged"] == len(before)
    after = dict(SenderAddress.objects.values_list("sendcloud_id", "synced_at"))
    assert after == before


def test_sync_archives_addresses_gone_from_sendcloud_and_restores_them(
    sandbox_integration, sync, sandbox_app
):
    store = sandbox_app.extensions["sandbox"].store
    sync(sandbox_integration, SENDERS)
    gone_id, account_id, data = store.query(
        "SELECT id, account_id, data FROM sender_addresses ORDER BY id LIMIT 1"
    )[0]
    with store.write() as conn:
        conn.execute("DELETE FROM sender_addresses WHERE id = ?", (gone_id,))

    run = sync(sandbox_integration, SENDERS)

    assert run.progress["sender_addresses"]["archived"] == 1
    gone = SenderAddress.objects.get(sendcloud_id=gone_id)
    assert gone.archived_at is not None and not gone.is_active

    with store.write() as conn:
        conn.execute(
            "INSERT INTO sender_addresses (id, account_id, data) VALUES (?, ?, ?)",
            (gone_id, account_id, data),
        )
    run = sync(sandbox_integration, SENDERS)

    gone.refresh_from_db()
    assert gone.archived_at is None
    assert run.progress["sender_addresses"]["updated"] == 1
