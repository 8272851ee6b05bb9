"""v3 shipments: synchronous announce, asynchronous create, refusals, duplicates, cancel."""

import base64
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sandbox_labels import announce_body, us_body
from sandbox_shapes import assert_shape, sample

from sandbox.testing import SANDBOX_BASE_URL

LOOSE = {
    # documented conflicts: item prices as string or number, item weights string or number
    "$.data.parcels[].parcel_items[].price.value",
    "$.data.parcels[].parcel_items[].weight.value",
    "$.data.parcels[].parcel_items[].properties.size",
}


def _run(control, advance=0):
    if advance:
        control.post("/_sandbox/clock", json={"advance": advance})
    return control.post("/_sandbox/progression/run").get_json()["changed"]


def test_announce_answers_201_like_the_sample_with_tracking_number_and_label_file(
    sandbox_client,
):
    response = sandbox_client.post("/api/v3/shipments/announce", json=announce_body())
    assert response.status_code == 201
    body = response.json()
    assert_shape(body, sample("v3_shipment_announce_201.json"), loose=LOOSE)
    parcel = body["data"]["parcels"][0]
    assert parcel["status"] == {"code": "READY_TO_SEND", "message": "Ready to send"}
    assert parcel["tracking_number"].startswith("00340434")
    assert base64.b64decode(parcel["label_file"]).startswith(b"%PDF-")
    assert body["data"]["errors"] == []
    assert body["data"]["to_address"]["address_line_1"] == "Voorbeeldlaan"
    assert body["data"]["carrier"] == {"code": "dhl", "name": "DHL"}


def test_announced_shipment_is_read_through_v3_get_and_list_and_v2_parcels(sandbox_client):
    created = sandbox_client.post(
        "/api/v3/shipments/announce", json=announce_body(external_reference_id="LA-1#1")
    ).json()["data"]
    got = sandbox_client.get(f"/api/v3/shipments/{created['id']}").json()["data"]
    assert got["parcels"][0]["tracking_number"] == created["parcels"][0]["tracking_number"]
    assert got["external_reference_id"] == "LA-1#1"
    listed = sandbox_client.get("/api/v3/shipments", params={"external_reference_id": "LA-1#1"})
    assert [s["id"] for s in listed.json()["data"]] == [created["id"]]
    by_order = sandbox_client.get("/api/v3/shipments", params={"order_number": "1234567890"})
    assert created["id"] in [s["id"] for s in by_order.json()["data"]]
    parcel_id = created["parcels"][0]["id"]
    v2 = sandbox_client.get(f"/api/v2/parcels/{parcel_id}").json()["parcel"]
    assert v2["status"] == {"id": 1000, "message": "Ready to send"}
    assert v2["tracking_number"] == created["parcels"][0]["tracking_number"]


def test_weight_outside_the_band_is_a_201_with_a_failed_parcel_and_the_carrier_error(
    sandbox_client,
):
    body = announce_body()
    body["parcels"][0]["weight"] = {"value": "40.000", "unit": "kg"}
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 201
    data = response.json()
    assert_shape(data, sample("v3_shipment_announce_201_failed.json"), loose=LOOSE)
    assert data["data"]["parcels"][0]["status"]["code"] == "ANNOUNCEMENT_FAILED"
    assert data["data"]["parcels"][0]["label_file"] is None
    [error] = data["data"]["errors"]
    assert error["code"] == "parcel_announcement_error" and error["status"] == "500"
    assert "40.000 kg" in error["detail"] and error["detail"].startswith("Service error:")


def test_missing_recipient_name_is_the_sample_400_and_creates_nothing(sandbox_client):
    body = announce_body()
    del body["to_address"]["name"]
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 400
    assert response.json() == sample("v3_shipment_announce_400.json")
    assert (
        sandbox_client.get("/api/v3/shipments", params={"order_number": "1234567890"}).json()[
            "data"
        ]
        == []
    )


def test_service_point_option_without_a_service_point_is_refused(sandbox_client):
    body = announce_body()
    body["ship_with"]["properties"]["shipping_option_code"] = "dhl:paket/service_point"
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["source"] == {"pointer": "/to_service_point"} and error["code"] == "required"
    body["to_service_point"] = {"carrier_service_point_id": "8004-4711"}
    ok = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert ok.status_code == 201
    assert ok.json()["data"]["to_service_point"]["carrier_service_point_id"] == "8004-4711"


def test_outside_the_eu_customs_data_is_required_and_brings_a_customs_document(sandbox_client):
    body = us_body()
    del body["customs_information"]
    del body["parcels"][0]["parcel_items"][0]["hs_code"]
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 400
    pointers = {e["source"]["pointer"] for e in response.json()["errors"]}
    assert pointers == {"/customs_information", "/parcels/0/parcel_items/0/hs_code"}
    created = sandbox_client.post("/api/v3/shipments/announce", json=us_body())
    assert created.status_code == 201
    documents = created.json()["data"]["parcels"][0]["documents"]
    assert [d["document_type"] for d in documents] == ["label", "customs-declaration"]
    assert documents[1]["type"] == "commercial-invoice" and documents[1]["size"] == "a4"


def test_async_create_answers_announcing_and_the_label_appears_on_the_clock(
    sandbox_client, sandbox_control
):
    body = announce_body()
    body["parcels"] = body["parcels"] * 2  # multicollo
    response = sandbox_client.post("/api/v3/shipments", json=body)
    assert response.status_code == 201
    data = response.json()
    assert_shape(data, sample("v3_shipment_create_async_201.json"), loose=LOOSE)
    parcels = data["data"]["parcels"]
    assert {p["status"]["code"] for p in parcels} == {"ANNOUNCING"}
    assert all(p["tracking_number"] == "" and p["documents"] == [] for p in parcels)
    assert _run(sandbox_control) == []  # not yet due
    changed = _run(sandbox_control, advance=6)
    assert {c["status"] for c in changed} == {1000}
    got = sandbox_client.get(f"/api/v3/shipments/{data['data']['id']}").json()["data"]
    assert {p["status"]["code"] for p in got["parcels"]} == {"READY_TO_SEND"}
    assert all(p["tracking_number"] and p["documents"] for p in got["parcels"])


def test_async_create_that_the_carrier_refuses_fails_later_with_its_error(
    sandbox_client, sandbox_control
):
    body = announce_body()
    body["parcels"][0]["weight"] = {"value": "35", "unit": "kg"}
    created = sandbox_client.post("/api/v3/shipments", json=body).json()["data"]
    assert created["errors"] == []
    _run(sandbox_control, advance=6)
    got = sandbox_client.get(f"/api/v3/shipments/{created['id']}").json()["data"]
    assert got["parcels"][0]["status"]["code"] == "ANNOUNCEMENT_FAILED"
    assert got["errors"][0]["code"] == "parcel_announcement_error"


def test_async_validation_pointers_carry_the_data_attributes_prefix(sandbox_client):
    body = announce_body()
    del body["to_address"]["name"]
    response = sandbox_client.post("/api/v3/shipments", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"pointer": "/data/attributes/to_address/name"}


def test_reused_external_reference_id_is_a_409_with_the_existing_shipment(sandbox_client):
    first = sandbox_client.post(
        "/api/v3/shipments/announce", json=announce_body(external_reference_id="LA-7#1")
    ).json()["data"]
    again = sandbox_client.post(
        "/api/v3/shipments/announce", json=announce_body(external_reference_id="LA-7#1")
    )
    assert again.status_code == 409
    assert again.json()["data"]["id"] == first["id"]
    assert again.json()["errors"][0]["status"] == "409"
    listed = sandbox_client.get("/api/v3/shipments", params={"external_reference_id": "LA-7#1"})
    assert len(listed.json()["data"]) == 1


def test_cancel_of_a_ready_label_is_queued_then_cancelled_and_a_second_cancel_is_409(
    sandbox_client, sandbox_control
):
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    shipment_id = created["data"]["id"]
    response = sandbox_client.post(f"/api/v3/shipments/{shipment_id}/cancel")
    assert response.status_code == 202
    assert response.json() == sample("v3_shipment_cancel_202.json")
    got = sandbox_client.get(f"/api/v3/shipments/{shipment_id}").json()["data"]
    assert got["parcels"][0]["status"]["code"] == "CANCELLING"
    again = sandbox_client.post(f"/api/v3/shipments/{shipment_id}/cancel")
    assert again.status_code == 409
    assert again.json() == sample("v3_shipment_cancel_409.json")
    _run(sandbox_control, advance=61)
    got = sandbox_client.get(f"/api/v3/shipments/{shipment_id}").json()["data"]
    assert got["parcels"][0]["status"]["code"] == "CANCELLED"


def test_cancel_before_the_announcement_is_immediate(sandbox_client, sandbox_control):
    created = sandbox_client.post("/api/v3/shipments", json=announce_body()).json()["data"]
    response = sandbox_client.post(f"/api/v3/shipments/{created['id']}/cancel")
    assert response.status_code == 200
    assert response.json() == sample("v3_shipment_cancel_200.json")
    _run(sandbox_control, advance=3600)  # the announcement does not happen any more
    got = sandbox_client.get(f"/api/v3/shipments/{created['id']}").json()["data"]
    assert got["parcels"][0]["status"]["code"] == "CANCELLED"


def test_cancel_is_too_late_once_the_carrier_has_the_parcel(sandbox_client, sandbox_control):
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    parcel_id = created["data"]["parcels"][0]["id"]
    sandbox_control.post(f"/_sandbox/parcels/{parcel_id}/status", json={"status": "DELIVERED"})
    response = sandbox_client.post(f"/api/v3/shipments/{created['data']['id']}/cancel")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "invalid"
    assert "can no longer be cancelled" in response.json()["errors"][0]["detail"]


def test_cancel_of_an_unknown_shipment_is_the_sample_404(sandbox_client):
    response = sandbox_client.post("/api/v3/shipments/nope/cancel")
    assert response.status_code == 404
    assert response.json() == sample("v3_shipment_cancel_404.json")


@pytest.fixture
def other_integration(sandbox_control, sandbox_account, sandbox_transport):
    other = sandbox_control.post(
        f"/_sandbox/accounts/{sandbox_account['id']}/integrations", json={"shop_name": "Zwei"}
    ).get_json()
    auth = (other["public_key"], other["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL, auth=auth) as c:
        yield c


def test_another_integration_of_the_account_cannot_cancel_or_download(
    sandbox_client, other_integration
):
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    shipment_id = created["data"]["id"]
    parcel_id = created["data"]["parcels"][0]["id"]
    assert other_integration.post(f"/api/v3/shipments/{shipment_id}/cancel").status_code == 404
    document = other_integration.get(f"/api/v3/parcels/{parcel_id}/documents/label")
    assert document.status_code == 404


def test_too_many_parcels_for_a_synchronous_announce_is_a_400(sandbox_client):
    body = announce_body()
    body["parcels"] = body["parcels"] * 16
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"pointer": "/parcels"}


@pytest.mark.http
def test_concurrent_announces_with_one_reference_create_one_shipment(
    sandbox_server, sandbox_account
):
    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    body = announce_body(external_reference_id="LA-99#1")

    def post(_):
        with httpx.Client(base_url=sandbox_server, auth=auth, timeout=30) as client:
            return client.post("/api/v3/shipments/announce", json=body).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(post, range(8)))
    assert codes == [201] + [409] * 7
    with httpx.Client(base_url=sandbox_server, auth=auth) as client:
        found = client.get("/api/v3/shipments", params={"external_reference_id": "LA-99#1"})
    assert len(found.json()["data"]) == 1


def test_get_and_list_match_the_samples(sandbox_client):
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    got = sandbox_client.get(f"/api/v3/shipments/{created['data']['id']}").json()
    assert_shape(got, sample("v3_shipment_get.json"), loose=LOOSE)
    listed = sandbox_client.get(
        "/api/v3/shipments", params={"ids": got["data"]["parcels"][0]["id"]}
    )
    assert_shape(
        listed.json(),
        sample("v3_shipments_list.json"),
        loose={p.replace("$.data.", "$.data[].") for p in LOOSE},
    )


def test_a_shipment_cancelled_before_its_announcement_never_gets_a_label(sandbox_client):
    created = sandbox_client.post("/api/v3/shipments", json=announce_body()).json()["data"]
    sandbox_client.post(f"/api/v3/shipments/{created['id']}/cancel")
    parcel = sandbox_client.get(f"/api/v3/shipments/{created['id']}").json()["data"]["parcels"][0]
    assert parcel["tracking_number"] == "" and parcel["announced_at"] is None
    assert parcel["documents"] == []
    label = sandbox_client.get(f"/api/v3/parcels/{parcel['id']}/documents/label")
    assert label.status_code == 404
