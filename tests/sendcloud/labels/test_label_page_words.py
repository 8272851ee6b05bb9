"""The label section and its neighbours say each thing once, in German, without stray marks."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from backoffice.companies import roles
from sendcloud.models import ApiCall, OrderPushRun, Shipment
from sendcloud.services.labels import delivery_order_label_cancel, delivery_order_label_create
from tests.factories import UserFactory
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping_client(client, shop):
    client.force_login(UserFactory(company=shop["integration"].company, role=roles.SHIPPING))
    return client


def section(client, delivery) -> str:
    url = reverse("sendcloud:labels-delivery", args=[delivery.pk])
    return client.get(url).content.decode()


def test_a_queued_cancellation_is_said_once_and_in_german(shop, shipping_client):
    delivery = make_delivery(shop)
    delivery_order_label_create(delivery, shop["integration"])
    shipment = delivery_order_label_cancel(delivery, shop["integration"])
    assert shipment.cancel_status == "queued"  # the sandbox's v3 answer
    text = section(shipping_client, delivery)
    assert text.count("Stornierung beantragt") >= 1
    assert "Stornierung beantragt · " not in text  # the state, not the state twice
    assert "cancellation has been queued" not in text  # Sendcloud's English, timeline included
    Shipment.objects.filter(pk=shipment.pk).update(state=Shipment.State.CANCELLED)
    delivery_order_label_create(delivery, shop["integration"])  # the queued one is "earlier"
    assert "cancellation has been queued" not in section(shipping_client, delivery)


def test_no_stray_zpl_link_while_the_label_pdf_is_missing(shop, shipping_client):
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    label = shipment.labels.get()
    label.label_pdf.delete(save=True)
    text = section(shipping_client, delivery)
    assert 'class="label-zpl"' not in text and "· <a" not in text.split("label-documents")[1][:400]
    label.label_pdf.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    text = section(shipping_client, delivery)
    assert 'class="label-pdf"' in text and 'class="label-zpl"' in text


def test_a_queued_order_run_counts_zero_not_nothing(shop, shipping_client):
    run = OrderPushRun.objects.create(integration=shop["integration"], since=date(2026, 12, 1))
    page = shipping_client.get(reverse("sendcloud:order-run", args=[run.pk]))
    text = page.content.decode()
    assert "angelegt: 0" in text
    assert "angelegt: </a>" not in text


def test_a_label_pdf_in_the_action_log_is_named_not_dumped(shop, shipping_client):
    pdf = ApiCall.objects.create(
        integration=shop["integration"], company_id_hint=shop["integration"].company_id,
        method="GET", path="/api/v3/parcels/1/documents/label", status_code=200,
        response_excerpt="[binary body: application/pdf, 12345 bytes]",
    )  # fmt: skip
    text = shipping_client.get(reverse("sendcloud:api-call", args=[pdf.pk])).content.decode()
    assert "PDF, 12 KB" in text
    legacy = ApiCall.objects.create(
        integration=shop["integration"], company_id_hint=shop["integration"].company_id,
        method="GET", path="/api/v3/parcels/1/documents/label", status_code=200,
        response_excerpt="%PDF-1.4\n%\ufffd\ufffd\ufffd\ufffd\n1 0 obj <</Type /Catalog>>",
    )  # fmt: skip
    text = shipping_client.get(reverse("sendcloud:api-call", args=[legacy.pk])).content.decode()
    assert "%PDF-1.4" not in text and "PDF (Datei, nicht angezeigt)" in text


def test_an_older_cancel_event_with_sendclouds_english_is_shown_in_german(shop, shipping_client):
    from sendcloud.models.shipments import shipment_event

    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    shipment_event(
        shipment, "cancel", "Stornierung beantragt: Shipment cancellation has been queued"
    )
    shipment_event(shipment, "cancel", "zu spät zum Stornieren: Parcel already scanned")
    text = section(shipping_client, delivery)
    assert "has been queued" not in text and "Stornierung beantragt" in text
    assert "zu spät zum Stornieren: Parcel already scanned" in text  # the reason it refused
