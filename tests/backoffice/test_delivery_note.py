import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from backoffice.companies import roles
from tests.factories import (
    CompanyFactory,
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def delivery():
    company = CompanyFactory()
    delivery = DeliveryOrderFactory(company=company, number="LA-77001")
    product = ProductFactory(company=company, sku="TS-100", ean="4001234560014", name="T-Shirt")
    DeliveryOrderLineFactory(delivery_order=delivery, product=product, quantity=1200)
    return delivery


def _client(company, role=roles.READING, language="de"):
    client = Client(headers={"accept-language": language})
    client.force_login(UserFactory(company=company, role=role))
    return client


def test_one_delivery_note_shows_number_lines_address_and_warehouse_in_german(delivery):
    client = _client(delivery.company)
    response = client.get(reverse("admin:sales_deliveryorder_delivery_note", args=[delivery.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert "Lieferschein LA-77001" in text
    assert text.count("LA-77001") >= 2  # the heading and the text under the barcode
    assert "TS-100" in text and "4001234560014" in text and "T-Shirt" in text
    assert "1.200" in text  # the quantity in German format
    assert delivery.city in text and delivery.warehouse.name in text


def test_the_note_is_in_english_for_an_english_reader(delivery):
    client = _client(delivery.company, language="en")
    client.cookies["django_language"] = "en"
    url = reverse("admin:sales_deliveryorder_delivery_note", args=[delivery.pk])
    text = _text(client.get(url))
    assert "Delivery note LA-77001" in text and "1,200" in text


def test_the_list_action_prints_one_page_per_delivery_order(delivery):
    other = DeliveryOrderFactory(company=delivery.company, number="LA-77002")
    client = _client(delivery.company)
    response = client.post(
        reverse("admin:sales_deliveryorder_changelist"),
        {"action": "delivery_notes_print", "_selected_action": [delivery.pk, other.pk]},
    )
    data = b"".join(response.streaming_content)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 2
    assert "LA-77001" in pages[0].extract_text() and "LA-77002" in pages[1].extract_text()


def test_another_companys_delivery_note_is_not_found(delivery):
    client = _client(CompanyFactory())
    url = reverse("admin:sales_deliveryorder_delivery_note", args=[delivery.pk])
    assert client.get(url).status_code in (403, 404)
