"""200 delivery orders labelled through 20 % injected faults of every kind, double submits and
two workers on the same orders: afterwards the sandbox holds exactly one live shipment per
delivery order and the back office agrees with it."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from backoffice.sales.models import Package
from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import LabelJob, LabelJobItem, Shipment, ShipmentEvent
from sendcloud.services.labels import (
    delivery_order_label_create,
    label_job_create,
    label_job_execute,
    labels_reconcile,
)
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS = 200
KINDS = [
    "server_error", "rate_limit", "timeout", "connection_reset", "truncated", "malformed_json",
    "timeout_after_commit", "reset_after_commit", "server_error_after_commit",
]  # fmt: skip
DEAD = {"ANNOUNCEMENT_FAILED", "CANCELLED", "CANCELLING", "CANCELLED_UPSTREAM", "NO_LABEL"}


def faults(sandbox_control, rate):
    rules = [{"kind": kind, "rate": rate / len(KINDS), "path": "/api/"} for kind in KINDS]
    response = sandbox_control.put("/_sandbox/faults", json={"faults": rules, "seed": 13})
    assert response.status_code in (200, 201), response.get_data(as_text=True)


def worker(deliveries, integration, errors):
    try:
        for delivery in deliveries:
            try:
                delivery_order_label_create(delivery, integration)
            except (ApplicationError, SendcloudError):
                pass  # the retry rounds below pick these up
    except Exception as exc:  # pragma: no cover - reported by the assertion
        errors.append(exc)
    finally:
        connection.close()


def test_two_hundred_orders_through_faults_get_exactly_one_live_label_each(
    shop, sandbox_control, settings
):
    integration = shop["integration"]
    deliveries = [make_delivery(shop) for _ in range(ORDERS)]
    for delivery in deliveries[:20]:  # some multicollo shipments too
        for weight in ("1.5", "2.5"):
            Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))
    faults(sandbox_control, 0.2)

    # Double submit from the UI: the second job finds every order in the first and skips it.
    first = label_job_create(integration, deliveries[:30], enqueue=False)
    second = label_job_create(integration, deliveries[:30], enqueue=False)
    assert set(second.items.values_list("state", flat=True)) == {LabelJobItem.State.SKIPPED}
    label_job_execute(first.pk)
    label_job_execute(second.pk)

    # Two workers on the same orders at once, in opposite order.
    errors: list = []
    threads = [
        threading.Thread(target=worker, args=(deliveries, integration, errors)),
        threading.Thread(target=worker, args=(deliveries[::-1], integration, errors)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    # Time passes (no request can still be running): "retry failed only" until all are done.
    settings.SENDCLOUD_LABEL_LOOKUP_AFTER_SECONDS = 0
    for round_ in range(8):
        if round_ == 6:
            faults(sandbox_control, 0.0)
        todo = [
            d for d in deliveries
            if not Shipment.objects.filter(delivery_order=d, state="live").exists()
        ]  # fmt: skip
        if not todo:
            break
        label_job_execute(label_job_create(integration, todo, enqueue=False).pk)
        # Asynchronous (multicollo) announcements finish at Sendcloud; reconciliation sees it.
        sandbox_control.post("/_sandbox/clock", json={"advance": 30})
        sandbox_control.post("/_sandbox/progression/run")
        try:
            labels_reconcile(integration)
        except SendcloudError:
            pass  # a fault on the list; the next round reconciles again
    faults(sandbox_control, 0.0)

    with client_for(integration) as client:
        at_sendcloud = [
            s for s in client.v3.shipments() if s.order_number and s.order_number.startswith("LA-")
        ]
    live = [
        s for s in at_sendcloud if not any(p.status and p.status.code in DEAD for p in s.parcels)
    ]
    per_order = Counter(s.order_number for s in live)
    numbers = {d.number for d in deliveries}
    assert set(per_order) == numbers
    assert max(per_order.values()) == 1
    ours = {
        s.delivery_order.number: s
        for s in Shipment.objects.filter(state="live").select_related("delivery_order")
    }
    assert set(ours) == numbers
    for shipment in live:
        mine = ours[shipment.order_number]
        assert mine.sendcloud_shipment_id == shipment.id
        assert sorted(mine.labels.values_list("sendcloud_parcel_id", flat=True)) == sorted(
            p.id for p in shipment.parcels
        )
    assert not LabelJob.objects.filter(state__in=("queued", "running")).exists()
    # The faults did happen: answers were lost after Sendcloud had created the shipment (and
    # were recovered by reference), and attempts failed without a label.
    assert ShipmentEvent.objects.filter(kind="adopted").count() > 0
    assert Shipment.objects.filter(state="failed").count() > 0
