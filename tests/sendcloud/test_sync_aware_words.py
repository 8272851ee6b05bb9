"""Lists say what the Abgleich found, and delivery orders what their label says."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice.sales.models import DeliveryOrder
from sendcloud.models import Label, ObjectType, Shipment, SyncState
from tests.factories import DeliveryOrderFactory

pytestmark = pytest.mark.django_db


def returns_page(client, integration) -> str:
    url = reverse("sendcloud:report", args=[integration.pk, "returns"])
    return client.get(url).content.decode()


def test_empty_returns_before_any_sync_ask_for_one(clerk_client, integration):
    assert "Noch nichts übernommen" in returns_page(clerk_client, integration)


def test_empty_returns_after_a_sync_say_sendcloud_has_none(clerk_client, integration):
    SyncState.objects.create(
        integration=integration, object_type=ObjectType.RETURNS, last_outcome="succeeded",
        last_finished_at=timezone.make_aware(datetime(2026, 12, 7, 1, 21)),
    )  # fmt: skip
    text = returns_page(clerk_client, integration)
    assert "Noch nichts übernommen" not in text
    assert "Keine Retouren bei Sendcloud (abgeglichen am 07.12.2026 01:21)." in text


def test_empty_list_after_a_failed_sync_says_it_failed(clerk_client, integration):
    SyncState.objects.create(
        integration=integration, object_type=ObjectType.RETURNS, last_outcome="failed",
        last_finished_at=timezone.now(),
    )  # fmt: skip
    assert "fehlgeschlagen" in returns_page(clerk_client, integration)


def test_a_delivered_order_with_a_label_is_not_called_not_pushed(clerk_client, integration):
    delivery = DeliveryOrderFactory(company=integration.company, number="LA-42")
    shipment = Shipment.objects.create(
        delivery_order=delivery, integration=integration, generation="v3", mode="announce",
        external_reference="LA-42#1", state=Shipment.State.LIVE,
    )  # fmt: skip
    Label.objects.create(shipment=shipment, sendcloud_parcel_id=1, status_id=11)
    DeliveryOrder.objects.filter(pk=delivery.pk).update(state=DeliveryOrder.State.DELIVERED)
    page = clerk_client.get(reverse("admin:sales_deliveryorder_changelist"))
    text = page.content.decode()
    assert "mit dem Versandlabel übertragen" in text
    assert "nicht übertragen" not in text
