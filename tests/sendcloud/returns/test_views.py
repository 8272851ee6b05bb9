"""The returns screens: create, the return's page (label, e-mail, cancel, Retoure booking), the
open list, and who may see or do what."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backoffice.companies import roles
from backoffice.inventory.stock import stock_quantity
from sendcloud.models import Return
from sendcloud.webhooks.returns import return_status_apply
from tests.factories import UserFactory
from tests.sendcloud.returns.conftest import labelled_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping_client(client, return_shop):
    company = return_shop["integration"].company
    client.force_login(UserFactory(company=company, role=roles.SHIPPING))
    return client


def _create(client, delivery, **changes):
    line = delivery.lines.get()
    data = {
        f"qty_{line.pk}": 2, "reason": 21, "refund_type": "money",
        "option": "dhl:retoure/return", "delivery_option": "drop_off_point",
        "warehouse": delivery.warehouse_id,
    }  # fmt: skip
    data.update(changes)
    return client.post(reverse("sendcloud:returns-create", args=[delivery.pk]), data)


def test_the_form_creates_the_return_and_its_page_shows_label_and_emails_it(
    shipping_client, return_shop
):
    delivery = labelled_delivery(return_shop)
    page = shipping_client.get(reverse("sendcloud:returns-create", args=[delivery.pk]))
    assert page.status_code == 200
    response = _create(shipping_client, delivery)
    returned = Return.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sendcloud:return", args=[returned.pk])
    detail = shipping_client.get(response["Location"])
    assert returned.incoming_tracking_number in detail.content.decode()
    label = shipping_client.get(reverse("sendcloud:return-label", args=[returned.pk]))
    assert b"".join(label.streaming_content).startswith(b"%PDF")
    shipping_client.post(reverse("sendcloud:return-email", args=[returned.pk]))
    assert len(mail.outbox) == 1


def test_a_refused_request_shows_the_problem_at_its_field(shipping_client, return_shop):
    delivery = labelled_delivery(return_shop)
    line = delivery.lines.get()
    response = _create(shipping_client, delivery, **{f"qty_{line.pk}": 0})
    assert response.status_code == 400
    assert "mindestens eine Position" in response.content.decode()  # German first
    assert not Return.objects.exists()


def test_the_retoure_is_booked_back_to_stock_from_the_return_page(shipping_client, return_shop):
    delivery = labelled_delivery(return_shop)
    _create(shipping_client, delivery)
    returned = Return.objects.get()
    parcel = {"id": returned.incoming_parcel_id, "status": {"id": 11, "message": "Delivered"}}
    return_status_apply(returned.integration, parcel, timestamp=timezone.now())
    returned.refresh_from_db()
    line = returned.retoure.lines.get()
    listed = shipping_client.get(reverse("sendcloud:returns-open")).content.decode()
    assert returned.retoure.number in listed
    response = shipping_client.post(
        reverse("sendcloud:return-book", args=[returned.pk]),
        {f"restock_{line.pk}": 2, f"write_off_{line.pk}": 0, f"reason_{line.pk}": ""},
    )
    assert response.status_code == 302
    assert stock_quantity(line.delivery_order_line.product, returned.retoure.warehouse) == 2


def test_another_companys_return_and_label_answer_404(client, return_shop):
    delivery = labelled_delivery(return_shop)
    client.force_login(UserFactory(company=return_shop["integration"].company, role=roles.SHIPPING))
    _create(client, delivery)
    returned = Return.objects.get()
    client.force_login(UserFactory(role=roles.MANAGEMENT))
    assert client.get(reverse("sendcloud:return", args=[returned.pk])).status_code == 404
    assert client.get(reverse("sendcloud:return-label", args=[returned.pk])).status_code == 404


def test_a_reading_user_sees_returns_but_cannot_create_one(client, return_shop):
    delivery = labelled_delivery(return_shop)
    client.force_login(UserFactory(company=return_shop["integration"].company, role=roles.READING))
    assert client.get(reverse("sendcloud:returns-delivery", args=[delivery.pk])).status_code == 200
    assert _create(client, delivery).status_code == 403
    assert not Return.objects.exists()


def test_the_returns_report_links_a_return_to_its_delivery_order_and_its_retoure(
    shipping_client, return_shop
):
    delivery = labelled_delivery(return_shop)
    _create(shipping_client, delivery)
    returned = Return.objects.get()
    parcel = {"id": returned.incoming_parcel_id, "status": {"id": 11, "message": "Delivered"}}
    return_status_apply(returned.integration, parcel, timestamp=timezone.now())
    returned.refresh_from_db()
    url = reverse("sendcloud:report", args=[returned.integration_id, "returns"])
    page = shipping_client.get(url).content.decode()
    assert delivery.number in page
    assert returned.retoure.number in page
    assert reverse("sendcloud:return", args=[returned.pk]) in page


def test_the_report_page_of_a_created_return_names_its_delivery_order(shipping_client, return_shop):
    delivery = labelled_delivery(return_shop)
    _create(shipping_client, delivery)
    returned = Return.objects.get()
    url = reverse("sendcloud:report-return", args=[returned.integration_id, returned.pk])
    page = shipping_client.get(url)
    assert page.status_code == 200
    assert delivery.number in page.content.decode()
