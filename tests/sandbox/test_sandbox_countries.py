"""Countries Sendcloud ships to, and the EU customs territory (special territories by postal
code), as the back office decides them."""

import pytest
from sandbox_labels import announce_body

from sandbox import catalogue as cat
from sendcloud.services.orders.mapping import EU_COUNTRIES, SPECIAL_TERRITORIES

# The ids the sandbox has always given: stored parcels and clients carry them.
FIRST_IDS = {"BE": 1, "NL": 2, "DE": 3, "AT": 4, "LU": 5, "DK": 6, "FR": 8, "PL": 9, "IT": 10,
             "ES": 11, "CH": 12, "GB": 13, "US": 14}  # fmt: skip
# One postal code inside each special territory, and one of the same country outside it.
TERRITORIES = [
    ("ES", "35001", "28013"), ("ES", "38001", "28013"), ("ES", "51001", "28013"),
    ("ES", "52001", "28013"), ("FI", "22100", "00100"), ("GR", "63086", "10431"),
    ("GR", "63087", "10431"), ("DE", "78266", "80331"), ("DE", "27498", "80331"),
    ("IT", "23041", "00184"), ("IT", "22061", "00184"), ("IT", "22060", "00184"),
]  # fmt: skip


UPS_STANDARD = cat.methods_for("ups:standard")[0].id  # 0-5 kg


def test_every_eu_state_and_the_countries_shops_ship_to_are_known():
    assert {c[1] for c in cat.COUNTRIES} >= EU_COUNTRIES | {
        "NO", "CH", "GB", "IS", "LI", "US", "CA", "AU", "JP", "TR", "RS", "UA"}  # fmt: skip
    assert (
        len({c[0] for c in cat.COUNTRIES})
        == len({c[2] for c in cat.COUNTRIES})
        == len(cat.COUNTRIES)
    )
    assert all(c[1].isupper() and len(c[1]) == 2 and c[2].isupper() and len(c[2]) == 3
               and 1 <= c[4] <= 5 for c in cat.COUNTRIES)  # fmt: skip
    assert {iso: cat.COUNTRY[iso][0] for iso in FIRST_IDS} == FIRST_IDS
    assert cat.country_obj("NO") == {"iso_2": "NO", "iso_3": "NOR", "name": "Norway"}


def test_the_customs_territory_is_the_one_the_back_office_assumes():
    assert cat.EU == EU_COUNTRIES and len(cat.EU) == 27
    assert {k: tuple(v) for k, v in cat.countries.SPECIAL_TERRITORIES.items()} == {
        k: tuple(v) for k, v in SPECIAL_TERRITORIES.items()
    }


def test_a_norway_order_gets_its_label(sandbox_client):
    body = announce_body()
    body["ship_with"]["properties"]["shipping_option_code"] = "dhl:paket_international"
    body["to_address"].update(country_code="NO", postal_code="0150", city="Oslo")
    body["customs_information"] = {"invoice_number": "INV-7", "export_reason": "commercial_goods"}
    body["parcels"][0]["parcel_items"][0].update(hs_code="620520", origin_country="DE")
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 201, response.text
    parcel = response.json()["data"]["parcels"][0]
    assert parcel["status"]["code"] == "READY_TO_SEND"
    assert [d["document_type"] for d in parcel["documents"]] == ["label", "customs-declaration"]
    v2 = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}").json()["parcel"]
    assert v2["country"] == {"iso_2": "NO", "iso_3": "NOR", "name": "Norway"}


def test_an_unknown_country_is_not_a_valid_choice(sandbox_client):
    body = announce_body()
    body["to_address"]["country_code"] = "XX"
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "detail": '"XX" is not a valid choice.', "status": "400",
        "source": {"pointer": "/to_address/country_code"}, "code": "invalid_choice"}]}  # fmt: skip


@pytest.mark.parametrize("country,inside,outside", TERRITORIES)
def test_special_territories_need_customs_like_non_eu_countries(
    sandbox_client, country, inside, outside
):
    option = "dhl:paket" if country == "DE" else "ups:express_saver"
    for postal, needed in ((inside, True), (outside, False)):
        body = announce_body()
        body["ship_with"]["properties"]["shipping_option_code"] = option
        body["to_address"].update(country_code=country, postal_code=postal, city="Ort")
        response = sandbox_client.post("/api/v3/shipments/announce", json=body)
        options = sandbox_client.post("/api/v3/shipping-options", json={
            "from_country_code": "DE", "to_country_code": country, "to_postal_code": postal,
            "shipping_option_code": option}).json()["data"]  # fmt: skip
        assert options[0]["requirements"]["export_documents"] is needed
        if needed:
            assert response.status_code == 400
            pointers = {e["source"]["pointer"] for e in response.json()["errors"]}
            assert pointers == {"/customs_information"}  # the sample's items have HS codes
        else:
            assert response.status_code == 201, response.text
            assert response.json()["data"]["customs_information"] is None


def test_a_v2_parcel_to_the_canary_islands_needs_customs_data(sandbox_client):
    parcel = {"name": "Ana", "address": "Calle Triana 5", "city": "Las Palmas",
              "postal_code": "35001", "country": "ES", "request_label": True,
              "shipment": {"id": UPS_STANDARD}, "weight": "1.000",
              "telephone": "+34600000000"}  # fmt: skip
    refused = sandbox_client.post("/api/v2/parcels", json={"parcel": parcel})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith(
        'customs_invoice_nr: "This field is required for shipments outside the EU."'
    )
    parcel["postal_code"] = "28013"
    assert sandbox_client.post("/api/v2/parcels", json={"parcel": parcel}).status_code == 200
