"""Routes: what POST /shipping-options offers for a route, weights and sizes is exactly what the
label endpoints (v3 announce, v2 parcels) accept — walked over many routes and parcel sets."""

import random

import pytest

from sandbox import catalogue as cat
from sandbox import routes

SOURCES = ("DE", "AT", "NL", "BE", "FR", "CH", "GB")
DESTINATIONS = tuple(c[1] for c in cat.COUNTRIES)
POSTAL = {"NL": "1012 AB", "GB": "SW1A 1AA", "CA": "K1A 0B1", "IE": "D02 X285", "MT": "VLT 1117"}
SHIPPING = [p for p in cat.PRODUCTS if not p.is_return]
# Service-point products need a point whose checks belong to the service-point lookup; their
# routes are walked through the options only (the refusal without a point is tested below).
LABELLED = [p for p in SHIPPING if not p.service_point]


def scenarios(source, dest):
    """Parcel sets for one route, [(kg, dims in cm or None), …] — the same on every run."""
    rng = random.Random(f"{source}>{dest}")
    heavy = rng.choice([4.5, 12.0, 25.0, 33.0, 45.0])
    multi = round(rng.uniform(1, 8), 3)
    big = rng.choice([[130.0, 50.0, 40.0], [35.0, 25.0, 3.0], [200.0, 70.0, 50.0]])
    return {
        "light": [(round(rng.uniform(0.1, 1.9), 3), None)],
        "heavy": [(heavy, [30.0, 20.0, 15.0])],
        "multi": [(multi, None), (multi, None)],
        "big": [(3.0, big)],
    }


def options_body(source, dest, parcels, postal=None):
    body = {"from_country_code": source, "to_country_code": dest, "parcels": []}
    if postal:
        body["to_postal_code"] = postal
    for kg, dims in parcels:
        parcel = {"weight": {"value": f"{kg:.3f}", "unit": "kg"}}
        if dims:
            parcel["dimensions"] = {"length": str(dims[0]), "width": str(dims[1]),
                                    "height": str(dims[2]), "unit": "cm"}  # fmt: skip
        body["parcels"].append(parcel)
    return body


def offered(client, source, dest, parcels, postal=None) -> dict:
    response = client.post("/api/v3/shipping-options",
                           json=options_body(source, dest, parcels, postal))  # fmt: skip
    assert response.status_code == 200, response.text
    return {o["code"]: o for o in response.json()["data"] if not o["code"].endswith("/return")}


def _address(country, postal, name):
    return {"name": name, "address_line_1": "Hauptstraße 5", "postal_code": postal,
            "city": "Stadt", "country_code": country}  # fmt: skip


def _items():
    return [{"description": "Shirt", "quantity": 1, "weight": {"value": "0.3", "unit": "kg"},
             "price": {"value": "12.50", "currency": "EUR"}, "hs_code": "620520",
             "origin_country": "DE"}]  # fmt: skip


def announce_body(product, source, dest, parcels, postal, contact=True):
    to = _address(dest, postal, "Erika Muster")
    if contact:
        to.update(email="erika@example.com", phone_number="+49301234567")
    body = {
        "from_address": _address(source, "10115" if source != "NL" else "5928 LZ", "Lager"),
        "to_address": to,
        "ship_with": {"type": "shipping_option_code",
                      "properties": {"shipping_option_code": product.code}},
        "parcels": [],
    }  # fmt: skip
    customs = cat.needs_customs(dest, postal)
    for kg, dims in parcels:
        parcel = options_body(source, dest, [(kg, dims)])["parcels"][0]
        if customs:
            parcel["parcel_items"] = _items()
        body["parcels"].append(parcel)
    if customs:
        body["customs_information"] = {"invoice_number": "INV-1",
                                       "export_reason": "commercial_goods"}  # fmt: skip
    return body


def v2_body(product, source, dest, parcels, postal, contact=True):
    kg, dims = parcels[0]
    method = cat.method_for_weight(product, max(k for k, _ in parcels))
    parcel = {
        "name": "Erika Muster", "address": "Hauptstraße 5", "city": "Stadt",
        "postal_code": postal, "country": dest, "request_label": True,
        "shipment": {"id": method.id}, "weight": f"{kg:.3f}", "quantity": len(parcels),
        "from_name": "Lager", "from_address_1": "Lagerweg", "from_house_number": "1",
        "from_postal_code": "10115", "from_city": "Stadt", "from_country": source,
    }  # fmt: skip
    if contact:
        parcel.update(email="erika@example.com", telephone="+49301234567")
    if dims:
        parcel.update(length=str(dims[0]), width=str(dims[1]), height=str(dims[2]))
    if cat.needs_customs(dest, postal):
        parcel.update(customs_invoice_nr="INV-1", customs_shipment_type=2, parcel_items=[
            {"description": "Shirt", "quantity": 1, "weight": "0.300", "value": 12.5,
             "hs_code": "620520", "origin_country": "DE"}])  # fmt: skip
    return {"parcel": parcel}


def _accepted_v3(client, body) -> bool:
    response = client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 201, response.text  # refusals are 201 too (v3 §6.4)
    codes = {p["status"]["code"] for p in response.json()["data"]["parcels"]}
    assert codes in ({"READY_TO_SEND"}, {"ANNOUNCEMENT_FAILED"})
    return codes == {"READY_TO_SEND"}


def _accepted_v2(client, body) -> bool:
    response = client.post("/api/v2/parcels", json=body)
    if response.status_code == 400:
        assert 'non_field_errors: "Service error:' in response.json()["error"]["message"]
        return False
    assert response.status_code == 200, response.text
    parcels = response.json().get("parcels") or [response.json()["parcel"]]
    return {p["status"]["id"] for p in parcels} == {1000}


def _walk():
    """Every (source, dest, scenario) with its parcels."""
    for source in SOURCES:
        for dest in DESTINATIONS:
            for name, parcels in scenarios(source, dest).items():
                yield source, dest, name, parcels


# Walked through the label endpoints: a deterministic sample plus routes the back office's
# demo uses and the edges (mailbox, Canary Islands, Norway, domestic express).
MUST = [("DE", "NO", "light"), ("DE", "CH", "multi"), ("NL", "NL", "big"), ("AT", "AT", "heavy"),
        ("DE", "ES", "light"), ("DE", "US", "multi"), ("NL", "GB", "heavy"),
        ("DE", "DE", "big"), ("AT", "CH", "light"), ("NL", "US", "light")]  # fmt: skip
SAMPLE = MUST + [(s, d, n) for s, d, n, _ in random.Random("routes").sample(list(_walk()), 20)]


def test_options_offer_exactly_what_the_route_rules_carry(sandbox_client):
    """All 7 × 39 routes × 4 parcel sets: the endpoint filters by the carriers' rules."""
    for source, dest, _, parcels in _walk():
        got = set(offered(sandbox_client, source, dest, parcels))
        carried = {p.code for p in SHIPPING if routes.refusal(p, source, dest, parcels) is None}
        assert got == carried, (source, dest, parcels)


@pytest.mark.parametrize("source,dest,name", SAMPLE, ids=[f"{s}>{d}:{n}" for s, d, n in SAMPLE])
def test_an_offered_option_is_accepted_and_no_other(sandbox_client, source, dest, name):
    parcels = scenarios(source, dest)[name]
    postal = "35001" if (dest, name) == ("ES", "light") else POSTAL.get(dest, "80331")
    options = offered(sandbox_client, source, dest, parcels, postal)
    for product in LABELLED:
        option = options.get(product.code)
        bare_v3 = announce_body(product, source, dest, parcels, postal, contact=False)
        bare_v2 = v2_body(product, source, dest, parcels, postal, contact=False)
        fields = option["requirements"]["fields"] if option else []
        if fields:  # the option says what it needs: without it, both generations refuse
            refused = sandbox_client.post("/api/v3/shipments/announce", json=bare_v3)
            assert refused.status_code == 400
            pointers = {e["source"]["pointer"] for e in refused.json()["errors"]}
            assert pointers == {f"/to_address/{routes.FIELD_V3[f]}" for f in fields}
            message = sandbox_client.post("/api/v2/parcels", json=bare_v2).json()["error"]
            assert all(f'{routes.FIELD_V2[f]}: "This field is required."' in message["message"]
                       for f in fields)  # fmt: skip
        if option:
            assert option["requirements"]["export_documents"] == cat.needs_customs(dest, postal)
            assert not option["requirements"]["is_service_point_required"]
        # An offered option without required fields takes a shipment without phone and
        # e-mail; any other shipment gets them (a refusal must then be the carrier's).
        contact = bool(fields) or option is None
        v3 = announce_body(product, source, dest, parcels, postal, contact=contact)
        v2 = v2_body(product, source, dest, parcels, postal, contact=contact)
        assert _accepted_v3(sandbox_client, v3) is (option is not None), product.code
        assert _accepted_v2(sandbox_client, v2) is (option is not None), product.code


def test_service_point_products_ship_only_within_one_country(sandbox_client):
    for product in [p for p in SHIPPING if p.service_point]:
        for source in product.from_countries:
            codes = offered(sandbox_client, source, source, [(1.0, None)])
            assert codes[product.code]["requirements"]["is_service_point_required"] is True
            for dest in DESTINATIONS:
                if dest != source:
                    assert product.code not in offered(sandbox_client, source, dest, [(1, None)])


def test_the_mailbox_parcel_is_for_the_netherlands_and_the_letterbox_only(sandbox_client):
    flat = [(0.5, [30.0, 20.0, 3.0])]
    assert "postnl:mailbox" in offered(sandbox_client, "NL", "NL", flat)
    assert "postnl:mailbox" not in offered(sandbox_client, "NL", "BE", flat)
    assert "postnl:mailbox" not in offered(sandbox_client, "NL", "NL", [(0.5, [30, 20, 8])])
    body = announce_body(cat.PRODUCT_BY_CODE["postnl:mailbox"], "NL", "NL",
                         [(0.5, [30.0, 20.0, 8.0])], "1012 AB")  # fmt: skip
    failed = sandbox_client.post("/api/v3/shipments/announce", json=body).json()["data"]
    assert failed["parcels"][0]["status"]["code"] == "ANNOUNCEMENT_FAILED"
    assert failed["errors"] == [{
        "status": "500", "code": "parcel_announcement_error",
        "detail": "Service error: The parcel dimensions of 30.00 x 20.00 x 8.00 cm exceed the "
                  "maximum of 38.00 x 26.50 x 3.20 cm allowed for PostNL Mailbox Parcel.",
    }]  # fmt: skip


def test_realistic_routes_of_the_big_carriers(sandbox_client):
    one = [(2.5, None)]
    assert "dhl:paket" in offered(sandbox_client, "DE", "DE", one)
    assert "dhl:paket" not in offered(sandbox_client, "DE", "AT", one)
    assert "dhl:paket_international" in offered(sandbox_client, "DE", "NO", one)
    assert not {"dhl:paket", "dhl:paket_international"} & set(
        offered(sandbox_client, "NL", "NL", one)
    )  # fmt: skip
    assert "postnl:standard" not in offered(sandbox_client, "AT", "AT", one)
    assert "dpd:home" not in offered(sandbox_client, "DE", "GB", one)
    assert "dpd:home" in offered(sandbox_client, "AT", "PL", one)
    assert "ups:standard" not in offered(sandbox_client, "DE", "US", one)
    assert "dhl_express:worldwide/incoterm=dap" not in offered(sandbox_client, "DE", "DE", one)
    swiss = set(offered(sandbox_client, "DE", "CH", one)) - {"sendcloud:letter"}
    assert swiss == {"dhl:paket_international", "gls_de:business_parcel", "ups:standard",
                     "ups:express_saver", "dhl_express:worldwide/incoterm=dap"}  # fmt: skip


def test_quotes_give_one_price_per_weight_band_and_the_routes_lead_time(sandbox_client):
    def quotes(source, dest):
        body = options_body(source, dest, [(1.0, None)])
        body["calculate_quotes"] = True
        data = sandbox_client.post("/api/v3/shipping-options", json=body).json()["data"]
        return {o["code"]: o["quotes"] for o in data}

    home, norway = quotes("DE", "DE"), quotes("DE", "NO")
    product = cat.PRODUCT_BY_CODE["dhl:paket"]
    assert [q["weight"]["max"]["value"] for q in home["dhl:paket"]] == [
        f"{m.max_weight:.3f}" for m in cat.methods_for(product.code)
    ]
    assert len(home["dhl:paket"]) == len(product.bands)
    assert all(float(q["price"]["total"]["value"]) > 0 for q in home["dhl:paket"])
    assert {q["lead_time"] for q in home["dhl:paket"]} == {24}
    assert {q["lead_time"] for q in norway["dhl:paket_international"]} == {72}
    express = norway["dhl_express:worldwide/incoterm=dap"][0]["lead_time"]
    assert express < 72
    far = quotes("DE", "JP")["ups:express_saver"][0]
    near = quotes("DE", "AT")["ups:express_saver"][0]
    assert far["lead_time"] > near["lead_time"]
    assert float(far["price"]["total"]["value"]) > float(near["price"]["total"]["value"])
    assert quotes("DE", "JP")["sendcloud:letter"][0]["price"]["total"]["value"] == "0.00"
