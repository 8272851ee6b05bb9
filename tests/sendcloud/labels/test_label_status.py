"""Parcel statuses reach the delivery order: webhooks (idempotent) and reconciliation."""

from datetime import UTC, datetime, timedelta

import pytest

from backoffice.sales.models import DeliveryOrder
from sendcloud.models import Integration, Parcel, ShipmentEvent
from sendcloud.services.labels import (
    delivery_order_label_create,
    label_status_apply,
    labels_reconcile,
)
from sendcloud.webhooks.handlers import on_parcel_status_changed
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


class Event:
    action = "parcel_status_changed"

    def __init__(self, integration):
        self.integration = integration


def webhook(parcel_id, status_id, message, at):
    return {
        "action": "parcel_status_changed",
        "timestamp": int(at.timestamp() * 1000),
        "parcel": {"id": parcel_id, "status": {"id": status_id, "message": message}},
    }


@pytest.fixture
def labelled(shop):
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    return delivery, shipment, shipment.labels.get()


def test_the_sandbox_moves_a_parcel_to_delivered_and_reconciliation_marks_the_order(
    shop, labelled, sandbox_control
):
    delivery, shipment, label = labelled
    response = sandbox_control.post(
        f"/_sandbox/parcels/{label.sendcloud_parcel_id}/status", json={"status": 11}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    pages = labels_reconcile(shop["integration"])
    assert pages == 1
    delivery.refresh_from_db()
    label.refresh_from_db()
    assert (label.status_id, delivery.state) == (11, DeliveryOrder.State.DELIVERED)


def test_a_delivered_webhook_marks_the_order_delivered(shop, labelled):
    delivery, shipment, label = labelled
    at = datetime.now(UTC)
    on_parcel_status_changed(
        Event(shop["integration"]), webhook(label.sendcloud_parcel_id, 11, "Delivered", at)
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryOrder.State.DELIVERED


def test_exceptions_are_flagged_with_the_carriers_message_and_replays_change_nothing(
    shop, labelled
):
    delivery, shipment, label = labelled
    at = datetime.now(UTC)
    payload = webhook(label.sendcloud_parcel_id, 62997, "Address invalid", at)
    payload["parcel"]["carrier_message"] = "Street unknown"
    on_parcel_status_changed(Event(shop["integration"]), payload)
    shipment.refresh_from_db()
    assert shipment.needs_attention
    assert shipment.attention_message == "Address invalid – Street unknown"
    events = ShipmentEvent.objects.filter(shipment=shipment).count()
    on_parcel_status_changed(Event(shop["integration"]), payload)  # replay
    older = webhook(label.sendcloud_parcel_id, 11, "Delivered", at - timedelta(minutes=5))
    on_parcel_status_changed(Event(shop["integration"]), older)  # out of order
    label.refresh_from_db()
    delivery.refresh_from_db()
    assert label.status_id == 62997 and delivery.state != DeliveryOrder.State.DELIVERED
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == events


def test_a_parcel_of_another_integration_changes_nothing(shop, labelled, company):
    delivery, shipment, label = labelled
    other = Integration.objects.create(company=company, shop_name="Other")
    payload = webhook(label.sendcloud_parcel_id, 11, "Delivered", datetime.now(UTC))
    assert label_status_apply(other, payload["parcel"], timestamp=datetime.now(UTC)) is None
    delivery.refresh_from_db()
    assert delivery.state != DeliveryOrder.State.DELIVERED


def test_an_unknown_status_never_marks_anything_delivered(shop, labelled):
    delivery, shipment, label = labelled
    label_status_apply(
        shop["integration"],
        {"id": label.sendcloud_parcel_id, "status": {"id": 777, "message": "Mystery"}},
        timestamp=datetime.now(UTC),
    )
    delivery.refresh_from_db()
    label.refresh_from_db()
    assert label.status_message == "Mystery" and delivery.state != DeliveryOrder.State.DELIVERED


def timeless(parcel_id, status_id, message):
    return {
        "action": "parcel_status_changed",
        "parcel": {"id": parcel_id, "status": {"id": status_id, "message": message}},
    }


def test_a_status_without_a_time_never_replaces_a_newer_status_of_the_label_or_the_parcel(
    shop, labelled
):
    delivery, shipment, label = labelled
    at = datetime.now(UTC) - timedelta(hours=1)
    integration = shop["integration"]
    on_parcel_status_changed(
        Event(integration), webhook(label.sendcloud_parcel_id, 11, "Delivered", at)
    )

    on_parcel_status_changed(Event(integration), timeless(label.sendcloud_parcel_id, 3, "En route"))

    label.refresh_from_db()
    parcel = Parcel.objects.get(integration=integration, sendcloud_id=label.sendcloud_parcel_id)
    assert (label.status_id, label.status_changed_at) == (
        11,
        at.replace(microsecond=at.microsecond // 1000 * 1000),
    )
    assert (parcel.status_id, parcel.status_changed_at) == (
        label.status_id,
        label.status_changed_at,
    )


def test_a_status_without_a_time_is_not_stamped_now_so_the_next_timed_event_still_wins(
    shop, labelled
):
    delivery, shipment, label = labelled
    integration = shop["integration"]
    on_parcel_status_changed(Event(integration), timeless(label.sendcloud_parcel_id, 3, "En route"))
    label.refresh_from_db()
    assert (label.status_id, label.status_changed_at) == (3, None)

    earlier = datetime.now(UTC) - timedelta(minutes=10)  # sent before the timeless one arrived
    on_parcel_status_changed(
        Event(integration), webhook(label.sendcloud_parcel_id, 11, "Delivered", earlier)
    )

    label.refresh_from_db()
    delivery.refresh_from_db()
    parcel = Parcel.objects.get(integration=integration, sendcloud_id=label.sendcloud_parcel_id)
    assert label.status_id == parcel.status_id == 11
    assert delivery.state == DeliveryOrder.State.DELIVERED


def test_reconciliation_repairs_a_label_whose_last_status_came_without_a_time(
    shop, labelled, sandbox_control
):
    delivery, shipment, label = labelled
    response = sandbox_control.post(
        f"/_sandbox/parcels/{label.sendcloud_parcel_id}/status", json={"status": 11}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    # A late, timeless "en route" arrives after Sendcloud already knew the parcel delivered.
    on_parcel_status_changed(
        Event(shop["integration"]), timeless(label.sendcloud_parcel_id, 3, "En route")
    )

    labels_reconcile(shop["integration"])

    label.refresh_from_db()
    delivery.refresh_from_db()
    assert (label.status_id, delivery.state) == (11, DeliveryOrder.State.DELIVERED)
