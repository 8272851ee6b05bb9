"""Must show: a delivery order made, labelled, printed and followed to delivered using only the
REST API (the sandbox's own control API plays the carrier)."""

import io
import json

import pytest
from pypdf import PdfReader

from tests.api.conftest import ADDRESS
from tests.factories import SalesOrderFactory

pytestmark = pytest.mark.django_db


def test_only_the_api_creates_an_order_its_label_pdf_and_follows_it_to_delivered(
    client, auth, shop, sandbox_control
):
    sales_order = SalesOrderFactory(company=shop["integration"].company)
    api = "/api/v1"

    def post(path, body=None):
        return client.post(
            f"{api}{path}", json.dumps(body or {}), content_type="application/json", **auth
        )

    created = post(
        "/delivery-orders/",
        {
            "number": "LA-REST-1",
            "sales_order": sales_order.pk,
            "warehouse": shop["warehouse"].pk,
            "shipping_method": shop["method"].pk,
            "address": {**ADDRESS, "email": "erika@example.com"},
            "lines": [
                {
                    "product": shop["product"].pk,
                    "quantity": 2,
                    "weight_kg": "0.4",
                    "value": "19.90",
                }
            ],
        },
    )
    assert created.status_code == 201, created.content
    order = created.json()
    preflight = client.get(f"{api}/delivery-orders/{order['id']}/preflight", **auth).json()
    assert preflight == {"ok": True, "problems": []}

    labelled = post(f"/delivery-orders/{order['id']}/label")
    assert labelled.status_code == 201, labelled.content
    label = labelled.json()["labels"][0]
    assert labelled.json()["state"] == "live" and label["tracking_number"]

    pdf = client.get(label["pdf_url"], **auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages) == 1

    found = client.get(f"{api}/delivery-orders/?sendcloud_state=live&search=REST", **auth)
    assert [row["number"] for row in found.json()["items"]] == ["LA-REST-1"], found.content

    detail = client.get(f"{api}/delivery-orders/{order['id']}", **auth).json()
    assert detail["sendcloud_state"] == "live"
    assert [s["labels"][0]["id"] for s in detail["labels"]] == [label["id"]]
    assert detail["timeline"]

    # The carrier delivers: the sandbox moves the parcel; the API asks Sendcloud and tells.
    moved = sandbox_control.post(
        f"/_sandbox/parcels/{label['parcel_id']}/status", json={"status": 11}
    )
    assert moved.status_code == 200
    status = post(f"/delivery-orders/{order['id']}/status/refresh").json()
    assert status["state"] == "delivered" and status["labels"][0]["status_id"] == 11
    again = client.get(f"{api}/delivery-orders/{order['id']}/status", **auth).json()
    assert again == status
    delivered = client.get(f"{api}/delivery-orders/?state=delivered", **auth).json()["items"]
    assert [row["number"] for row in delivered] == ["LA-REST-1"]
