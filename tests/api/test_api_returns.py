"""Returns over the REST API: create (validated before the paid write, Idempotency-Key), get,
label PDF, cancel — with the returns pages' role checks and company scoping."""

import io
import json

import pytest
from pypdf import PdfReader

from backoffice.companies import roles
from backoffice.sales.models import DeliveryOrder
from sendcloud.models import Return
from tests.api.conftest import ADDRESS, bearer
from tests.factories import DeliveryOrderFactory, SalesOrderFactory, UserFactory
from tests.sendcloud.returns.conftest import RETURN_OPTION, labelled_delivery, sandbox_returns

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, path, body, headers, **extra):
    return client.post(
        f"{API}{path}", json.dumps(body), content_type="application/json", **headers, **extra
    )


def test_only_the_api_ships_an_order_then_returns_it_gets_its_label_and_cancels_it(
    client, auth, return_shop, sandbox_control, sandbox_account
):
    shop = return_shop
    order = post(
        client,
        "/delivery-orders/",
        {
            "number": "LA-RET-1",
            "sales_order": SalesOrderFactory(company=shop["integration"].company).pk,
            "warehouse": shop["warehouse"].pk,
            "shipping_method": shop["method"].pk,
            "address": {**ADDRESS, "email": "erika@example.com"},
            "lines": [{"product": shop["product"].pk, "quantity": 2, "weight_kg": "0.4"}],
        },
        auth,
    )
    assert order.status_code == 201, order.content
    order = order.json()
    assert post(client, f"/delivery-orders/{order['id']}/label", {}, auth).status_code == 201
    line = DeliveryOrder.objects.get(pk=order["id"]).lines.get()

    body = {
        "lines": [{"line": line.pk, "quantity": 1}],
        "reason": 21,
        "option": RETURN_OPTION,
    }
    key = {"HTTP_IDEMPOTENCY_KEY": "return-LA-RET-1"}
    created = post(client, f"/delivery-orders/{order['id']}/returns", body, auth, **key)
    assert created.status_code == 201, created.content
    returned = created.json()
    assert returned["state"] == "live" and returned["tracking_number"]
    assert returned["lines"] == [{"line": line.pk, "quantity": 1, "product": line.product.sku}]
    # The same request with the same key: the stored answer, no second return at Sendcloud.
    again = post(client, f"/delivery-orders/{order['id']}/returns", body, auth, **key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == returned
    assert len(sandbox_returns(sandbox_control, sandbox_account["id"])) == 1
    assert Return.objects.count() == 1

    listed = client.get(f"{API}/delivery-orders/{order['id']}/returns", **auth).json()
    assert [r["id"] for r in listed] == [returned["id"]]
    got = client.get(f"{API}/returns/{returned['id']}", **auth)
    assert got.status_code == 200 and got.json()["state"] == "live"

    pdf = client.get(returned["label_url"], **auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages) >= 1

    cancelled = post(client, f"/returns/{returned['id']}/cancel", {}, auth)
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "cancel_requested" and cancelled.json()["message"]
    after = client.get(f"{API}/returns/{returned['id']}", **auth).json()
    assert after["state"] == "cancel_requested"
    assert after["cancel_message"] == cancelled.json()["message"]


def test_a_refused_return_names_the_field_in_the_readers_language_and_stores_nothing(
    client, auth, return_shop
):
    delivery = labelled_delivery(return_shop)
    line = delivery.lines.get()
    body = {"lines": [{"line": line.pk, "quantity": 5}], "option": RETURN_OPTION}
    path = f"/delivery-orders/{delivery.pk}/returns"

    german = post(client, path, body, auth, HTTP_ACCEPT_LANGUAGE="de")
    english = post(client, path, body, auth, HTTP_ACCEPT_LANGUAGE="en")

    assert german.status_code == english.status_code == 422
    assert list(german.json()["error"]["fields"]) == ["lines.0.quantity"]
    assert "höchstens noch 2 zurückgehen" in german.json()["error"]["fields"]["lines.0.quantity"][0]
    assert "can still go back" in english.json()["error"]["fields"]["lines.0.quantity"][0]
    assert english.json()["error"]["code"] == "refused"
    assert not Return.objects.exists()


def test_a_line_of_another_order_an_unknown_option_and_a_foreign_warehouse_are_refused(
    client, auth, return_shop
):
    delivery = labelled_delivery(return_shop)
    other = labelled_delivery(return_shop)
    path = f"/delivery-orders/{delivery.pk}/returns"

    foreign_line = post(client, path, {"lines": [{"line": other.lines.get().pk, "quantity": 1}]},
                        auth, HTTP_ACCEPT_LANGUAGE="de")  # fmt: skip
    assert foreign_line.status_code == 422
    assert foreign_line.json()["error"]["fields"] == {
        "lines.0.line": ["Dieser Lieferauftrag hat keine solche Position."]
    }

    option = post(client, path, {"option": "nope:nothing"}, auth, HTTP_ACCEPT_LANGUAGE="en")
    assert option.status_code == 422
    assert "not a return shipping option" in option.json()["error"]["fields"]["option"][0]

    stranger = DeliveryOrderFactory().warehouse  # another company's
    warehouse = post(client, path, {"warehouse": stranger.pk}, auth)
    assert warehouse.status_code == 422
    assert list(warehouse.json()["error"]["fields"]) == ["warehouse"]
    assert not Return.objects.exists()


def test_readers_read_returns_shipping_creates_them_and_other_companies_get_404(
    client, return_shop
):
    company = return_shop["integration"].company
    delivery = labelled_delivery(return_shop)
    reader = bearer(UserFactory(company=company, role=roles.READING))
    shipper = bearer(UserFactory(company=company, role=roles.SHIPPING))
    path = f"/delivery-orders/{delivery.pk}/returns"

    refused = post(client, path, {"option": RETURN_OPTION}, reader)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    created = post(client, path, {"option": RETURN_OPTION}, shipper)
    assert created.status_code == 201, created.content
    returned = created.json()
    assert client.get(f"{API}/returns/{returned['id']}", **reader).status_code == 200
    assert post(client, f"/returns/{returned['id']}/cancel", {}, reader).status_code == 403

    outsider = bearer(UserFactory(role=roles.MANAGEMENT))  # of another company
    assert client.get(f"{API}/returns/{returned['id']}", **outsider).status_code == 404
    assert client.get(f"{API}/returns/{returned['id']}/label", **outsider).status_code == 404
    assert post(client, f"/returns/{returned['id']}/cancel", {}, outsider).status_code == 404
    assert post(client, path, {"option": RETURN_OPTION}, outsider).status_code == 404
    assert client.get(f"{API}{path}", **outsider).status_code == 404
    assert Return.objects.get().state == Return.State.LIVE
