"""The Sendcloud endpoints on a shop linked to the in-process sandbox: pre-flight refusals in the
error body, label jobs, cancel, the option choice, the warehouse mapping, Abgleich, mirrors."""

import json

import pytest

from backoffice.companies import roles
from sendcloud.models import LabelJob, SenderAddress, SyncRun
from sendcloud.services.labels import label_job_execute
from tests.api.conftest import bearer
from tests.factories import UserFactory, WarehouseFactory
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


def send(client, method, path, headers, body=None):
    return client.generic(
        method,
        f"/api/v1{path}",
        json.dumps({} if body is None else body),
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def shipping(shop):
    return bearer(UserFactory(company=shop["integration"].company, role=roles.SHIPPING))


def test_a_refused_label_carries_the_preflight_problems_naming_the_field(client, shop, shipping):
    delivery = make_delivery(shop, postal_code="", city="")
    preflight = send(client, "GET", f"/delivery-orders/{delivery.pk}/preflight", shipping)
    assert preflight.json()["ok"] is False
    response = send(client, "POST", f"/delivery-orders/{delivery.pk}/label", shipping)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "refused" and error["problems"]
    assert {p["object"] for p in error["problems"]} == {delivery.number}
    assert any("Postleitzahl" in p["message"] for p in error["problems"]), error


def test_many_labels_are_a_job_to_follow_and_a_label_can_be_cancelled(client, shop, shipping):
    first, second = make_delivery(shop), make_delivery(shop)
    started = send(
        client, "POST", "/label-jobs/", shipping, {"delivery_orders": [first.pk, second.pk]}
    )
    assert started.status_code == 202 and started.json()["state"] == "queued"
    label_job_execute(started.json()["id"])  # what the worker does with the queued job
    job = send(client, "GET", f"/label-jobs/{started.json()['id']}", shipping).json()
    assert job["state"] == LabelJob.State.SUCCEEDED, job
    assert [item["delivery_order"] for item in job["items"]] == [first.pk, second.pk]
    cancelled = send(client, "POST", f"/delivery-orders/{first.pk}/label/cancel", shipping)
    assert cancelled.status_code == 200 and cancelled.json()["result"], cancelled.content
    again = send(client, "POST", f"/delivery-orders/{first.pk}/label/cancel", shipping)
    assert again.status_code == 422 and again.json()["error"]["code"] == "refused"


def test_the_option_choice_offers_the_fitting_options_and_refuses_others(client, shop, auth):
    delivery = make_delivery(shop)
    choice = send(client, "GET", f"/delivery-orders/{delivery.pk}/shipping-option", auth).json()
    assert "dhl:paket" in [fit["code"] for fit in choice["fits"]]
    chosen = send(
        client,
        "PUT",
        f"/delivery-orders/{delivery.pk}/shipping-option",
        auth,
        {"option": "dhl:paket"},
    )
    assert chosen.status_code == 200 and chosen.json()["option"] == "dhl:paket"
    wrong = send(
        client, "PUT", f"/delivery-orders/{delivery.pk}/shipping-option", auth, {"option": "x:y"}
    )
    assert wrong.status_code == 422 and "option" in wrong.json()["error"]["fields"]


def test_the_warehouse_mapping_reads_and_saves_all_rows_or_none(client, shop, auth, shipping):
    sender = SenderAddress.objects.get(integration=shop["integration"])
    second = WarehouseFactory(company=shop["integration"].company, country="DE")
    rows = send(client, "GET", "/warehouse-mapping", auth).json()
    assert {r["warehouse"]: r["sender_address"] for r in rows}[shop["warehouse"].pk] == sender.pk
    saved = send(
        client,
        "PUT",
        "/warehouse-mapping",
        auth,
        [{"warehouse": second.pk, "sender_address": sender.pk}],
    )
    assert saved.status_code == 200, saved.content
    assert {r["warehouse"]: r["sender_address"] for r in saved.json()}[second.pk] == sender.pk
    refused = send(client, "PUT", "/warehouse-mapping", shipping, [])
    assert refused.status_code == 403  # Versand does not manage the integration


def test_an_abgleich_is_started_and_followed_and_mirrors_are_listed(client, shop, shipping):
    started = send(client, "POST", "/sync-runs/", shipping, {"object_types": ["sender_addresses"]})
    assert started.status_code == 202, started.content
    run = send(client, "GET", f"/sync-runs/{started.json()['id']}", shipping).json()
    assert run["state"] == SyncRun.objects.get().state and run["object_types"] == [
        "sender_addresses"
    ]
    busy = send(client, "POST", "/sync-runs/", shipping, {"object_types": ["parcels"]})
    assert busy.status_code == 422 and busy.json()["error"]["code"] == "refused"
    senders = send(client, "GET", "/sender-addresses/?search=Muster", shipping).json()
    assert [s["company_name"] for s in senders["items"]] == ["Muster Handel GmbH"]
    options = send(client, "GET", "/shipping-options/?carrier_code=dhl", shipping).json()
    assert [o["code"] for o in options["items"]] == ["dhl:paket"]


def test_push_now_sends_the_order_to_sendclouds_incoming_orders(client, shop, shipping):
    delivery = make_delivery(shop)
    pushed = send(client, "POST", f"/delivery-orders/{delivery.pk}/push", shipping)
    assert pushed.status_code == 200, pushed.content
    assert pushed.json()["outcome"] in ("created", "updated"), pushed.json()
