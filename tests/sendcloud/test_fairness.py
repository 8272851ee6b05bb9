"""One company's backlog cannot starve the others: the inbox drain and the order outbox take a
bounded slice of every waiting integration per pass; parcel statuses are applied in batches."""

import hashlib
import json

import pytest

from sendcloud import jobs
from sendcloud.models import OrderOutbox, Parcel, WebhookEvent
from sendcloud.services.orders import outbox
from sendcloud.webhooks.processing import PER_INTEGRATION, webhook_inbox_drain
from tests.factories import (
    CompanyFactory,
    DeliveryOrderFactory,
    SalesOrderFactory,
    ShippingMethodFactory,
    WarehouseFactory,
)
from tests.sendcloud.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def received(integration, payloads):
    """Accepted, signed events as intake stores them."""
    events = []
    for payload in payloads:
        body = json.dumps(payload).encode()
        events.append(
            WebhookEvent(
                integration=integration,
                company_id_hint=integration.company_id,
                raw_body=body,
                body_sha256=hashlib.sha256(body).hexdigest(),
                action=payload["action"],
                signature=WebhookEvent.Signature.VALID,
            )
        )
    return WebhookEvent.objects.bulk_create(events)


def status(parcel_id, timestamp_ms, status_id=3, message="En route"):
    return {
        "action": "parcel_status_changed",
        "timestamp": timestamp_ms,
        "parcel": {"id": parcel_id, "status": {"id": status_id, "message": message}},
    }


def waiting(integration):
    return WebhookEvent.objects.filter(integration=integration, state="received").count()


def test_a_big_inbox_backlog_of_one_company_does_not_hold_up_another():
    busy, quiet = IntegrationFactory(), IntegrationFactory(company=CompanyFactory())
    received(busy, [{"action": "test_webhook", "n": n} for n in range(PER_INTEGRATION + 20)])
    received(quiet, [{"action": "test_webhook", "n": n} for n in range(3)])

    assert webhook_inbox_drain(limit=PER_INTEGRATION + 3) == PER_INTEGRATION + 3

    assert waiting(quiet) == 0
    assert waiting(busy) == 20


def test_parcel_statuses_are_applied_as_a_batch_with_the_one_by_one_outcome(
    django_assert_max_num_queries,
):
    integration = IntegrationFactory()
    events = received(
        integration,
        [status(900 + n, 1_767_225_600_000 + n) for n in range(100)]
        + [
            status(900, 1_767_225_500_000, 1, "Older news"),  # older than the stored status
            status(901, 1_767_225_600_001),  # the very same body again
        ],
    )

    # One UPDATE per changed parcel and a few per batch (one by one takes about ten per event).
    with django_assert_max_num_queries(150):
        assert webhook_inbox_drain() == 102

    states = dict(WebhookEvent.objects.values_list("pk", "state"))
    assert [states[e.pk] for e in events[:100]] == ["processed"] * 100
    older = WebhookEvent.objects.get(pk=events[100].pk)
    assert older.state == "processed" and older.reason.startswith("Older than")
    assert states[events[101].pk] == "duplicate"
    assert Parcel.objects.filter(integration=integration).count() == 100
    assert Parcel.objects.get(sendcloud_id=900).status_message == "En route"


def test_a_malformed_event_in_a_batch_fails_alone():
    integration = IntegrationFactory()
    good, bad = received(
        integration,
        [status(77, 1_767_225_600_000), {"action": "parcel_status_changed", "parcel": "?"}],
    )

    webhook_inbox_drain()

    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.state, bad.state) == ("processed", "failed")
    assert Parcel.objects.filter(sendcloud_id=77).exists()


def queued_orders(integration, count):
    company = integration.company
    sales_order = SalesOrderFactory(company=company)
    warehouse, method = WarehouseFactory(company=company), ShippingMethodFactory(company=company)
    for _ in range(count):
        delivery = DeliveryOrderFactory(
            company=company, sales_order=sales_order, warehouse=warehouse, shipping_method=method
        )
        # Confirming a ready delivery queues it already (signal); make sure either way.
        OrderOutbox.objects.get_or_create(
            delivery_order=delivery,
            integration=integration,
            defaults={"available_at": delivery.created_at},
        )


def test_a_big_outbox_of_one_company_does_not_hold_up_another(monkeypatch):
    busy, quiet = IntegrationFactory(), IntegrationFactory(company=CompanyFactory())
    queued_orders(busy, outbox.PER_INTEGRATION + 20)
    queued_orders(quiet, 3)
    sent = []
    monkeypatch.setattr(
        outbox,
        "orders_push",
        lambda integration, deliveries, client: sent.append((integration.pk, len(deliveries))),
    )

    assert outbox.order_outbox_deliver(limit=outbox.PER_INTEGRATION + 3) == (
        outbox.PER_INTEGRATION + 3
    )

    assert sent == [(busy.pk, outbox.PER_INTEGRATION), (quiet.pk, 3)]
    assert OrderOutbox.objects.filter(integration=quiet).count() == 0
    assert OrderOutbox.objects.filter(integration=busy).count() == 20


def test_a_drain_pass_gives_the_worker_back_after_its_time_and_queues_the_rest(monkeypatch):
    """Webhooks arriving all the time never leave the inbox empty: a pass stops after its time
    (here: already up after the first claim) and queues another pass for the rest."""
    kicks = []
    monkeypatch.setattr(jobs, "kick", lambda name, every=0.5: kicks.append(name))
    integration = IntegrationFactory()
    received(integration, [{"action": "test_webhook", "n": n} for n in range(PER_INTEGRATION + 5)])

    assert webhook_inbox_drain(seconds=0) == PER_INTEGRATION
    assert kicks == [jobs.WEBHOOK_INBOX_DRAIN]
    assert waiting(integration) == 5

    assert webhook_inbox_drain(seconds=60) == 5
    assert kicks == [jobs.WEBHOOK_INBOX_DRAIN]
