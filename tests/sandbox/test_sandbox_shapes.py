"""Every endpoint's body has the field names, JSON types and envelope of the reference samples."""

import httpx
import pytest
from sandbox_shapes import assert_shape, sample

from sandbox import catalogue
from sandbox.testing import SANDBOX_BASE_URL


def test_v2_user_matches_sample(sandbox_client):
    body = sandbox_client.get("/api/v2/user").json()
    assert_shape(body, sample("user.json"))
    assert body["user"]["registered"][4] == "-"  # YYYY-MM-DD HH:MM:SS


def test_v2_sender_addresses_match_sample(sandbox_client):
    body = sandbox_client.get("/api/v2/user/addresses/sender").json()
    assert_shape(body, sample("sender_addresses.json"))
    assert {a["country"] for a in body["sender_addresses"]} == {"DE", "AT", "NL"}
    assert all(a["label"] and a["brand_id"] for a in body["sender_addresses"])
    first = body["sender_addresses"][0]["id"]
    single = sandbox_client.get(f"/api/v2/user/addresses/sender/{first}").json()
    assert single["sender_address"] == body["sender_addresses"][0]


def test_v2_parcel_statuses_are_the_recorded_catalogue(sandbox_client):
    body = sandbox_client.get("/api/v2/parcels/statuses").json()
    assert body == sample("parcel_statuses.json")


def test_v2_parcels_list_matches_recorded_page(sandbox_client):
    body = sandbox_client.get("/api/v2/parcels").json()
    assert list(body) == ["next", "previous", "parcels"]
    assert_shape(body, sample("parcels_list_page1.json"))
    for parcel in body["parcels"]:
        if parcel["status"]["id"] in (999, 1002):
            assert parcel["label"] == {} and parcel["documents"] == []
            assert parcel["tracking_number"] == "" and "tracking_url" not in parcel
            assert parcel["date_announced"] is None
        elif parcel["status"]["id"] != 1001:
            assert parcel["tracking_number"] and parcel["tracking_url"]
            assert len(parcel["label"]["normal_printer"]) == 4


def test_v2_parcel_detail_and_404(sandbox_client):
    listed = sandbox_client.get("/api/v2/parcels").json()["parcels"][0]
    body = sandbox_client.get(f"/api/v2/parcels/{listed['id']}").json()
    assert body == {"parcel": listed}
    missing = sandbox_client.get("/api/v2/parcels/0")
    assert missing.status_code == 404
    assert missing.json() == sample("parcel_get_404.json")


def test_v2_shipping_methods_match_samples(sandbox_client):
    body = sandbox_client.get("/api/v2/shipping_methods").json()
    assert list(body) == ["shipping_methods"]
    assert_shape(body, sample("shipping_methods.json"))
    letter = [m for m in body["shipping_methods"] if m["id"] == 8]
    assert (
        letter and letter[0]["carrier"] == "sendcloud" and letter[0]["name"] == "Unstamped letter"
    )
    method_id = next(  # a DHL method that ships from the first sender (DE) to AT
        m["id"] for m in body["shipping_methods"]
        if m["carrier"] == "dhl" and any(c["iso_2"] == "AT" for c in m["countries"])
    )  # fmt: skip
    single = sandbox_client.get(f"/api/v2/shipping_methods/{method_id}?to_country=AT").json()
    assert_shape(single, sample("shipping_method_single.json"))
    missing = sandbox_client.get("/api/v2/shipping_methods/0")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "request": "api/v2/shipping_methods/0",
        "code": 404,
        "message": "Not found.",
    }


def test_v2_shipping_methods_cover_carriers_and_returns(sandbox_client):
    everything = sandbox_client.get("/api/v2/shipping_methods?sender_address=all").json()
    carriers = {m["carrier"] for m in everything["shipping_methods"]}
    assert carriers >= {"dhl", "dpd", "postnl", "gls_de", "ups", "dhl_express", "sendcloud"}
    assert all("from_iso_2" in c for m in everything["shipping_methods"] for c in m["countries"])
    returns = sandbox_client.get("/api/v2/shipping_methods?is_return=true").json()
    assert returns["shipping_methods"] and all(m["id"] != 8 for m in returns["shipping_methods"])


def test_v2_brands_and_integrations_match_samples(sandbox_client):
    assert_shape(sandbox_client.get("/api/v2/brands").json(), sample("brands.json"))
    integrations = sandbox_client.get("/api/v2/integrations").json()
    assert_shape(integrations, sample("integrations.json"))
    brand = sandbox_client.get("/api/v2/brands").json()["brands"][0]
    assert sandbox_client.get(f"/api/v2/brands/{brand['id']}").json() == brand


def test_v2_invoices_quirks(sandbox_client):
    listing = sandbox_client.get("/api/v2/user/invoices").json()["invoices"]
    assert_shape({"invoices": listing}, {"invoices": sample("user.json")["user"]["invoices"]})
    first = listing[0]
    assert isinstance(first["isPayed"], bool) and first["items"].startswith("http://sandbox.test")
    assert first["date"][2] == "-" and first["date"][10] == " "  # DD-MM-YYYY HH:MM:SS
    detail = sandbox_client.get(f"/api/v2/user/invoices/{first['id']}").json()["invoice"]
    assert isinstance(detail["items"], list) and {"id", "name"} <= set(detail["items"][0])
    missing = sandbox_client.get("/api/v2/user/invoices/1")
    assert missing.json()["error"]["message"] == "No Invoice matches the given query."


def test_v3_metadata_and_statuses(sandbox_client, sandbox_account):
    body = sandbox_client.get("/api/v3/user/auth/metadata").json()
    assert_shape(body, sample("v3_user_auth_metadata.json"))
    assert body["data"] == {
        "user_id": sandbox_account["id"],
        "integration_id": sandbox_account["integration_id"],
    }
    statuses = sandbox_client.get("/api/v3/parcels/statuses").json()
    assert_shape(statuses, sample("v3_parcel_statuses_doc_example.json"))
    assert len(statuses["data"]) == len(catalogue.STATUSES) == 35


def test_v3_sender_addresses_match_samples(sandbox_client):
    body = sandbox_client.get("/api/v3/addresses/sender-addresses").json()
    assert_shape(body, sample("v3_sender_addresses.json"))
    first = body["data"][0]
    one = sandbox_client.get(f"/api/v3/addresses/sender-addresses/{first['id']}").json()
    assert one == {"data": first}
    missing = sandbox_client.get("/api/v3/addresses/sender-addresses/1")
    assert missing.status_code == 404
    assert missing.json() == sample("v3_sender_address_404.json")


def test_v3_shipping_options_match_samples(sandbox_client):
    request = sample("v3_shipping_options.request.json")
    body = sandbox_client.post("/api/v3/shipping-options", json=request).json()
    assert_shape(body, sample("v3_shipping_options_200.json"))
    assert {o["code"] for o in body["data"]} == {"postnl:standard/signature"}
    assert body["data"][0]["quotes"][0]["price"]["total"]["currency"] == "EUR"
    empty = sandbox_client.post("/api/v3/shipping-options", json={"carrier_code": "nope"})
    assert empty.json() == sample("v3_shipping_options_200_empty.json")
    no_parcels = sandbox_client.post("/api/v3/shipping-options", json={"parcels": []})
    assert no_parcels.status_code == 400
    assert no_parcels.json()["errors"][0]["detail"] == "At least one parcel must be provided."


def test_v3_shipping_options_filters(sandbox_client):
    def codes(body):
        response = sandbox_client.post("/api/v3/shipping-options", json=body)
        return {o["code"] for o in response.json()["data"]}

    returns = codes({"functionalities": {"returns": True}})
    assert returns and all("return" in c for c in returns)
    service_points = codes(
        {"from_country_code": "DE", "functionalities": {"last_mile": "service_point"}}
    )
    assert "dhl:paket/service_point" in service_points
    heavy = codes(
        {"from_country_code": "DE", "parcels": [{"weight": {"value": "45", "unit": "kg"}}]}
    )
    assert heavy and all(c.split(":")[0] in ("ups", "dhl_express") for c in heavy)
    no_quotes = sandbox_client.post("/api/v3/shipping-options", json={"calculate_quotes": True})
    assert all(o["quotes"] is None for o in no_quotes.json()["data"])


def _shipment_with_items(client):
    url = "/api/v3/shipments?page_size=100"
    for shipment in client.get(url).json()["data"]:
        if any(p["parcel_items"] for p in shipment["parcels"]):
            return shipment
    pytest.fail("no seeded shipment with items")


ITEM_WEIGHT = (
    "$.data[].parcels[].parcel_items[].weight.value"  # string in one example, number in the other
)


def test_v3_shipments_match_samples(sandbox_client):
    body = sandbox_client.get("/api/v3/shipments").json()
    assert list(body) == ["data"]
    shipment = _shipment_with_items(sandbox_client)
    assert_shape({"data": [shipment]}, sample("v3_shipments_list.json"), loose=[ITEM_WEIGHT])
    one = sandbox_client.get(f"/api/v3/shipments/{shipment['id']}").json()
    assert_shape(one, sample("v3_shipment_get.json"), loose=[ITEM_WEIGHT.replace("[]", "", 1)])
    missing = sandbox_client.get("/api/v3/shipments/nope")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "not_found"


def test_v3_returns_match_sample(sandbox_client):
    url = "/api/v3/returns?from_date=2000-01-01 00:00:00&to_date=2100-01-01 00:00:00"
    body = sandbox_client.get(url).json()
    assert list(body) == ["next", "previous", "data"]
    assert_shape(body, sample("v3_returns_list.json"))
    first = body["data"][0]
    assert sandbox_client.get(f"/api/v3/returns/{first['id']}").json() == first
    missing = sandbox_client.get("/api/v3/returns/1")
    assert missing.status_code == 404 and missing.content == b""


def test_v3_integrations_match_samples(sandbox_client, sandbox_account):
    integration_id = sandbox_account["integration_id"]
    listing = sandbox_client.get("/api/v3/integrations").json()
    assert_shape(listing, {"data": [sample("v3_integration.json")["data"]]})
    one = sandbox_client.get(f"/api/v3/integrations/{integration_id}").json()
    assert_shape(one, sample("v3_integration.json"))
    missing = sandbox_client.get("/api/v3/integrations/1")
    assert missing.status_code == 404 and missing.json() == sample("v3_integration_404.json")


def test_v3_integration_patch_answers_204_or_the_documented_400(sandbox_client, sandbox_account):
    url = f"/api/v3/integrations/{sandbox_account['integration_id']}"
    bad = sandbox_client.patch(url, json={"webhook_active": True})
    assert bad.status_code == 400 and bad.json() == sample("v3_integration_patch_400.json")
    ok = sandbox_client.patch(url, json={"shop_name": "Filiale", "feedback_type": "delayed"})
    assert ok.status_code == 204 and ok.content == b""
    data = sandbox_client.get(url).json()["data"]
    assert (data["shop_name"], data["feedback_type"]) == ("Filiale", "delayed")
    choice = sandbox_client.patch(url, json={"feedback_type": "sometimes"})
    assert choice.status_code == 400 and choice.json()["errors"][0]["code"] == "invalid_choice"


def test_v2_integration_update_echoes_fields_and_validates(sandbox_client, sandbox_account):
    url = f"/api/v2/integrations/{sandbox_account['integration_id']}"
    bad = sandbox_client.put(url, json={"webhook_active": None, "webhook_url": None})
    assert bad.status_code == 400
    assert "webhook_active: This field may not be null." in bad.json()["error"]["message"]
    ok = sandbox_client.patch(url, json={"shop_name": "Kasse"})
    assert ok.status_code == 200
    assert set(ok.json()) == {
        "shop_name",
        "shop_url",
        "service_point_enabled",
        "service_point_carriers",
        "webhook_active",
        "webhook_url",
        "last_updated_at",
    }


def test_unknown_routes_answer_in_each_generations_shape(sandbox_client):
    assert sandbox_client.get("/api/v2/nothing").json()["error"]["code"] == 404
    assert sandbox_client.get("/api/v3/nothing").json()["errors"][0]["status"] == "404"


def test_documents_point_at_the_sandbox(sandbox_transport, sandbox_account):
    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL, auth=auth) as c:
        parcels = c.get("/api/v2/parcels").json()["parcels"]
    links = [d["link"] for p in parcels for d in p["documents"]]
    assert links and all(link.startswith(SANDBOX_BASE_URL + "/api/v2/parcels/") for link in links)
