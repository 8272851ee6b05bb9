"""v2 parcels: create (single, batch, multicollo), refusals, cancel codes, labels."""

import copy

from sandbox_labels import pdf_pages, pdf_text
from sandbox_shapes import assert_shape, sample

from sandbox.service_point_data import points_of


def parcel_body(**changes) -> dict:
    body = copy.deepcopy(sample("parcel_created.request.json")["parcel"])
    body.update(changes)
    return body


def dhl_body(**changes) -> dict:
    """DHL Paket 0-2 kg (method 101) from the account's first (German) sender address."""
    body = parcel_body(country="DE", postal_code="80331", city="München", shipment={"id": 101},
                       weight="1.500")  # fmt: skip
    body.update(changes)
    return body


def _create(client, body, query="errors=verbose-carrier"):
    return client.post(f"/api/v2/parcels?{query}", json={"parcel": body})


def test_create_with_label_answers_like_the_recording(sandbox_client):
    response = _create(sandbox_client, parcel_body())
    assert response.status_code == 200
    parcel = response.json()["parcel"]
    assert_shape(response.json(), sample("parcel_created.json"))
    assert parcel["status"] == {"id": 1000, "message": "Ready to send"}
    assert parcel["tracking_number"] and parcel["errors"] == {}
    assert parcel["postal_code"] == "1000 XX"
    got = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}").json()["parcel"]
    assert got["tracking_number"] == parcel["tracking_number"]
    v3 = sandbox_client.get("/api/v3/shipments", params={"ids": parcel["id"]}).json()["data"]
    assert v3[0]["parcels"][0]["tracking_number"] == parcel["tracking_number"]


def test_missing_shipping_method_is_the_recorded_400(sandbox_client):
    response = sandbox_client.post(
        "/api/v2/parcels?errors=verbose-carrier",
        json=sample("parcel_create_error_400.request.json"),
    )
    assert response.status_code == 400
    assert response.json() == sample("parcel_create_error_400.json")


def test_without_request_label_the_parcel_has_no_label(sandbox_client):
    parcel = _create(sandbox_client, parcel_body(request_label=False)).json()["parcel"]
    assert parcel["status"] == {"id": 999, "message": "No label"}
    assert parcel["tracking_number"] == "" and parcel["label"] == {}
    assert "tracking_url" not in parcel


def test_batch_creates_every_parcel_and_multicollo_gives_a_list(sandbox_client):
    response = sandbox_client.post(
        "/api/v2/parcels", json={"parcels": [dhl_body(order_number="A"), dhl_body()]}
    )
    assert response.status_code == 200
    assert len(response.json()["parcels"]) == 2
    multi = sandbox_client.post("/api/v2/parcels", json={"parcel": dhl_body(quantity=3)})
    parcels = multi.json()["parcels"]
    assert [p["collo_nr"] for p in parcels] == [0, 1, 2]
    assert {p["collo_count"] for p in parcels} == {3}


def test_weight_outside_the_methods_band_is_refused_and_nothing_is_created(sandbox_client):
    before = len(sandbox_client.get("/api/v2/parcels").json()["parcels"])
    response = sandbox_client.post(
        "/api/v2/parcels", json={"parcels": [dhl_body(), dhl_body(weight="7.000")]}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and error["request"] == "api/v2/parcels"
    assert error["message"].startswith('non_field_errors: "Service error:')
    assert len(sandbox_client.get("/api/v2/parcels").json()["parcels"]) == before


def test_verbose_errors_create_the_valid_parcels_and_list_the_failed(sandbox_client):
    response = sandbox_client.post(
        "/api/v2/parcels?errors=verbose",
        json={"parcels": [dhl_body(), dhl_body(name=""), dhl_body(weight="7.000")]},
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["parcels"]) == 1 and body["parcels"][0]["errors"] == {}
    assert [list(f["errors"]) for f in body["failed_parcels"]] == [["name"], ["non_field_errors"]]


def test_service_point_and_customs_requirements(sandbox_client):
    point = _create(sandbox_client, dhl_body(shipment={"id": 107}))  # DHL Packstation/Filiale
    assert point.status_code == 400
    assert "to_service_point" in point.json()["error"]["message"]
    locker = next(p for p in points_of("DE") if p.carrier == "dhl")  # a point the sandbox knows
    assert _create(
        sandbox_client, dhl_body(shipment={"id": 107}, to_service_point=locker.id)
    ).is_success
    us = dhl_body(country="US", postal_code="10001", city="New York", shipment={"id": 130})
    missing = _create(sandbox_client, us)
    assert missing.status_code == 400
    assert "customs_invoice_nr" in missing.json()["error"]["message"]
    us.update(customs_invoice_nr="INV-9", customs_shipment_type=2, parcel_items=[
        {"description": "Shirt", "quantity": 1, "weight": "0.300", "value": 12.5,
         "hs_code": "620520", "origin_country": "DE"}])  # fmt: skip
    created = _create(sandbox_client, us)
    assert created.status_code == 200, created.text
    types = [d["type"] for d in created.json()["parcel"]["documents"]]
    assert types == ["label", "commercial-invoice"]


def test_duplicate_external_reference_is_refused(sandbox_client):
    assert _create(sandbox_client, dhl_body(external_reference="LA-3#1")).status_code == 200
    again = _create(sandbox_client, dhl_body(external_reference="LA-3#1"))
    assert again.status_code == 400
    assert "external_reference" in again.json()["error"]["message"]
    found = sandbox_client.get("/api/v2/parcels", params={"external_reference": "LA-3#1"})
    assert len(found.json()["parcels"]) == 1


def test_cancel_codes_follow_the_recordings(sandbox_client, sandbox_control):
    announced = _create(sandbox_client, dhl_body()).json()["parcel"]
    queued = sandbox_client.post(f"/api/v2/parcels/{announced['id']}/cancel")
    assert queued.status_code == 202
    assert queued.json() == sample("parcel_cancel_202_queued.json")
    again = sandbox_client.post(f"/api/v2/parcels/{announced['id']}/cancel")
    assert again.status_code == 400
    assert again.json() == {
        "status": "failed",
        "message": "This shipment is already being cancelled.",
    }
    unlabelled = _create(sandbox_client, dhl_body(request_label=False)).json()["parcel"]
    deleted = sandbox_client.post(f"/api/v2/parcels/{unlabelled['id']}/cancel")
    assert deleted.status_code == 410
    assert deleted.json() == sample("parcel_cancel_410_deleted.json")
    assert sandbox_client.get(f"/api/v2/parcels/{unlabelled['id']}").status_code == 404
    missing = sandbox_client.post("/api/v2/parcels/0/cancel")
    assert missing.status_code == 404
    assert missing.json() == sample("parcel_cancel_404_not_found.json")
    delivered = _create(sandbox_client, dhl_body()).json()["parcel"]
    sandbox_control.post(f"/_sandbox/parcels/{delivered['id']}/status", json={"status": 11})
    late = sandbox_client.post(f"/api/v2/parcels/{delivered['id']}/cancel")
    assert late.status_code == 400 and late.json()["status"] == "failed"


def test_label_urls_and_pdfs(sandbox_client):
    parcel = _create(sandbox_client, dhl_body()).json()["parcel"]
    label = sandbox_client.get(f"/api/v2/labels/{parcel['id']}").json()
    assert label["label"] == parcel["label"] and label["customs_declaration"] == {}
    a6 = sandbox_client.get(parcel["label"]["label_printer"])
    assert a6.headers["content-type"] == "application/pdf"
    assert parcel["tracking_number"] in pdf_text(a6.content)
    a4 = sandbox_client.get(parcel["label"]["normal_printer"][3])
    page = pdf_pages(a4.content)[0]
    assert round(float(page.mediabox.width)) == 595
    document = sandbox_client.get(parcel["documents"][0]["link"])
    assert parcel["tracking_number"] in pdf_text(document.content)


def test_bulk_labels_skip_parcels_without_a_label(sandbox_client):
    first = _create(sandbox_client, dhl_body()).json()["parcel"]
    second = _create(sandbox_client, dhl_body()).json()["parcel"]
    unlabelled = _create(sandbox_client, dhl_body(request_label=False)).json()["parcel"]
    ids = [first["id"], second["id"], unlabelled["id"]]
    response = sandbox_client.post("/api/v2/labels", json={"label": {"parcels": ids}})
    urls = response.json()["label"]
    assert urls["label_printer"].endswith(f"ids={first['id']},{second['id']}")
    merged = sandbox_client.get(urls["label_printer"])
    assert len(pdf_pages(merged.content)) == 2
    none = sandbox_client.post("/api/v2/labels", json={"label": {"parcels": [unlabelled["id"]]}})
    assert none.status_code == 400


def test_unknown_label_is_the_recorded_404(sandbox_client):
    response = sandbox_client.get("/api/v2/labels/label_printer/1")
    assert response.status_code == 404
    assert response.json() == sample("label_printer_404.json")


def test_request_label_async_announces_on_the_clock(sandbox_client, sandbox_control):
    body = dhl_body(request_label=False, request_label_async=True)
    parcel = _create(sandbox_client, body).json()["parcel"]
    assert parcel["status"] == {"id": 1001, "message": "Being announced"}
    assert parcel["tracking_url"] is None
    sandbox_control.post("/_sandbox/clock", json={"advance": 6})
    sandbox_control.post("/_sandbox/progression/run")
    got = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}").json()["parcel"]
    assert got["status"]["id"] == 1000 and got["tracking_number"] and got["label"]


def test_single_parcel_refused_by_the_carrier_with_verbose_carrier_errors(sandbox_client):
    response = _create(sandbox_client, dhl_body(weight="7.000"))
    assert response.status_code == 200
    parcel = response.json()["parcel"]
    assert parcel["status"] == {"id": 1002, "message": "Announcement failed"}
    assert parcel["errors"]["non_field_errors"][0].startswith("Service error:")
    assert parcel["label"] == {} and parcel["documents"] == [] and "tracking_url" not in parcel
    plain = _create(sandbox_client, dhl_body(weight="7.000"), query="")
    assert plain.status_code == 400


def test_v2_label_document_as_zpl(sandbox_client):
    parcel = _create(sandbox_client, dhl_body()).json()["parcel"]
    zpl = sandbox_client.get(parcel["documents"][0]["link"], headers={"Accept": "application/zpl"})
    assert zpl.content.startswith(b"^XA")
    missing = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}/documents/cn23")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Not found."
