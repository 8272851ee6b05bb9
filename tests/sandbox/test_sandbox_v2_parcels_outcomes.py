"""v2 parcels: every row of the §5.6.1 outcome table, `quantity` and `colli_tracking_number`
(§5.6.1 parcel object), and PUT /parcels (§5.6.2)."""

import httpx
from sandbox_shapes import sample

from sandbox import catalogue as cat

DHL_2KG = cat.methods_for("dhl:paket")[0].id  # DHL Paket 0-2 kg, DE → DE
SERVICE_ERROR = 'non_field_errors: "Service error: The parcel weight of 7.000 kg is outside the '


def body(**changes) -> dict:
    parcel = {"name": "Erika Muster", "address": "Hauptstraße 5", "city": "München",
              "postal_code": "80331", "country": "DE", "request_label": True,
              "shipment": {"id": DHL_2KG}, "weight": "1.500", "order_number": "SO-1"}  # fmt: skip
    parcel.update(changes)
    return parcel


def count(client):
    return len(client.get("/api/v2/parcels", params={"order_number": "SO-1"}).json()["parcels"])


def post(client, payload, query=""):
    return client.post(f"/api/v2/parcels{query}", json=payload)


# -- §5.6.1 outcome table ----------------------------------------------------------------------


def test_default_any_invalid_parcel_is_400_and_nothing_is_created(sandbox_client):
    invalid = post(sandbox_client, {"parcels": [body(), body(name="")]})
    assert invalid.status_code == 400
    assert invalid.json() == {"error": {"code": 400, "request": "api/v2/parcels",
                                        "message": 'name: "This field is required."'}}  # fmt: skip
    refused = post(sandbox_client, {"parcels": [body(), body(weight="7.000")]})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith(SERVICE_ERROR)
    assert count(sandbox_client) == 0


def test_verbose_partial_failure_creates_the_valid_and_lists_the_failed(sandbox_client):
    payload = {"parcels": [body(), body(name=""), body(weight="7.000")]}
    response = post(sandbox_client, payload, "?errors=verbose")
    assert response.status_code == 200
    out = response.json()
    assert [p["status"]["id"] for p in out["parcels"]] == [1000]
    assert out["parcels"][0]["errors"] == {}
    assert out["failed_parcels"][0] == {
        "parcel": payload["parcels"][1],
        "errors": {"name": ["This field is required."]},
    }
    assert out["failed_parcels"][1]["parcel"] == payload["parcels"][2]
    assert out["failed_parcels"][1]["errors"]["non_field_errors"][0].startswith("Service error:")
    assert count(sandbox_client) == 1


def test_verbose_carrier_single_parcel_is_announced_with_the_carriers_complaint(sandbox_client):
    response = post(sandbox_client, {"parcel": body(weight="7.000")}, "?errors=verbose-carrier")
    assert response.status_code == 200
    parcel = response.json()["parcel"]
    assert parcel["status"] == {"id": 1002, "message": "Announcement failed"}
    assert list(parcel["errors"]) == ["non_field_errors"]
    assert parcel["errors"]["non_field_errors"][0].startswith("Service error: The parcel weight")
    assert parcel["label"] == {} and parcel["tracking_number"] == "" and parcel["quantity"] == 1
    stored = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}").json()["parcel"]
    assert stored["status"]["id"] == 1002 and "errors" not in stored


def test_verbose_carrier_batch_keeps_refused_parcels_with_their_errors(sandbox_client):
    payload = {"parcels": [body(), body(weight="7.000")]}
    out = post(sandbox_client, payload, "?errors=verbose-carrier").json()
    assert [p["status"]["id"] for p in out["parcels"]] == [1000, 1002]
    assert out["parcels"][0]["errors"] == {} and out["failed_parcels"] == []
    assert out["parcels"][1]["errors"]["non_field_errors"][0].startswith("Service error:")


def test_plain_verbose_does_not_turn_a_single_carrier_refusal_into_a_parcel(sandbox_client):
    response = post(sandbox_client, {"parcel": body(weight="7.000")}, "?errors=verbose")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(SERVICE_ERROR)
    assert count(sandbox_client) == 0


def test_single_parcel_validation_failure_stays_a_400_even_when_verbose(sandbox_client):
    for query in ("?errors=verbose", "?errors=verbose-carrier"):
        response = post(sandbox_client, {"parcel": body(shipment=None)}, query)
        assert response.status_code == 400
        assert response.json() == sample("parcel_create_error_400.json")


# -- quantity and colli_tracking_number --------------------------------------------------------


def test_an_unannounced_multicollo_parcel_is_one_parcel_with_its_quantity(sandbox_client):
    created = post(sandbox_client, {"parcel": body(request_label=False, quantity=3)}).json()
    parcel = created["parcel"]
    assert parcel["status"]["id"] == 999
    assert (parcel["quantity"], parcel["collo_count"], parcel["collo_nr"]) == (3, 1, 0)
    listed = sandbox_client.get("/api/v2/parcels", params={"order_number": "SO-1"}).json()
    assert [p["quantity"] for p in listed["parcels"]] == [3]
    refused = post(sandbox_client, {"parcel": body(weight="7.000", quantity=2)},
                   "?errors=verbose-carrier").json()["parcel"]  # fmt: skip
    assert (refused["status"]["id"], refused["quantity"]) == (1002, 2)


def test_announced_parcels_carry_no_quantity_and_multicollo_a_colli_tracking_number(
    sandbox_client,
):
    single = post(sandbox_client, {"parcel": body()}).json()["parcel"]
    assert "quantity" not in single and "colli_tracking_number" not in single
    collos = post(sandbox_client, {"parcel": body(quantity=3)}).json()["parcels"]
    assert [(p["collo_nr"], p["collo_count"]) for p in collos] == [(0, 3), (1, 3), (2, 3)]
    assert len({p["colli_uuid"] for p in collos}) == 3
    [master] = {p["colli_tracking_number"] for p in collos}
    assert master.startswith(cat.TRACKING_PREFIX["dhl"])
    assert master not in {p["tracking_number"] for p in collos}
    assert all("quantity" not in p for p in collos)
    got = sandbox_client.get(f"/api/v2/parcels/{collos[1]['id']}").json()["parcel"]
    assert got["colli_tracking_number"] == master


def test_a_multicollo_parcel_has_no_colli_number_before_its_announcement(
    sandbox_client, sandbox_control
):
    body_async = body(request_label=False, request_label_async=True, quantity=2)
    collos = post(sandbox_client, {"parcel": body_async}).json()["parcels"]
    assert [p["colli_tracking_number"] for p in collos] == [None, None]
    sandbox_control.post("/_sandbox/clock", json={"advance": 6})
    sandbox_control.post("/_sandbox/progression/run")
    later = sandbox_client.get(f"/api/v2/parcels/{collos[0]['id']}").json()["parcel"]
    assert later["status"]["id"] == 1000 and later["colli_tracking_number"]


# -- PUT /parcels (§5.6.2) ---------------------------------------------------------------------


def put(client, parcel):
    return client.put("/api/v2/parcels", json={"parcel": parcel})


def test_put_updates_an_unannounced_parcel_and_keeps_what_it_does_not_send(sandbox_client):
    parcel = post(sandbox_client, {"parcel": body(request_label=False)}).json()["parcel"]
    response = put(sandbox_client, {"id": parcel["id"], "name": "Max Muster", "weight": "1.800"})
    assert response.status_code == 200
    updated = response.json()["parcel"]
    assert (updated["id"], updated["name"], updated["weight"]) == (parcel["id"], "Max Muster",
                                                                   "1.800")  # fmt: skip
    assert updated["status"]["id"] == 999 and updated["city"] == "München"
    assert updated["order_number"] == "SO-1" and updated["shipment"]["id"] == DHL_2KG


def test_put_with_request_label_announces_later(sandbox_client):
    parcel = post(sandbox_client, {"parcel": body(request_label=False)}).json()["parcel"]
    response = put(sandbox_client, {"id": str(parcel["id"]), "request_label": True})
    assert response.status_code == 200
    announced = response.json()["parcel"]
    assert announced["status"] == {"id": 1000, "message": "Ready to send"}
    assert announced["tracking_number"] and announced["label"]["label_printer"]
    assert "quantity" not in announced
    again = put(sandbox_client, {"id": parcel["id"], "name": "Zu spät"})
    assert again.status_code == 400
    assert again.json() == {"error": {"code": 400, "request": "api/v2/parcels", "message":
        'non_field_errors: "This parcel has already been announced and can no longer be '
        'changed."'}}  # fmt: skip


def test_put_refuses_a_label_for_more_than_one_collo(sandbox_client):
    parcel = post(sandbox_client, {"parcel": body(request_label=False, quantity=2)}).json()
    parcel_id = parcel["parcel"]["id"]
    refused = put(sandbox_client, {"id": parcel_id, "request_label": True})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        'request_label: "A label cannot be requested for a parcel with a quantity greater than 1."'
    )
    one = put(sandbox_client, {"id": parcel_id, "quantity": 1, "request_label": True})
    assert one.json()["parcel"]["status"]["id"] == 1000


def test_put_carrier_refusal_leaves_the_parcel_as_it_was(sandbox_client):
    parcel = post(sandbox_client, {"parcel": body(request_label=False)}).json()["parcel"]
    refused = put(sandbox_client, {"id": parcel["id"], "weight": "7.000", "request_label": True})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith(SERVICE_ERROR)
    kept = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}").json()["parcel"]
    assert kept["status"]["id"] == 999 and kept["weight"] == "1.500"


def test_put_unknown_missing_and_foreign_ids(sandbox_client, sandbox_control, sandbox_transport):
    assert put(sandbox_client, {"id": 1}).json() == {"error": {
        "code": 404, "request": "api/v2/parcels",
        "message": "No Parcel matches the given query."}}  # fmt: skip
    assert put(sandbox_client, {"name": "x"}).json()["error"]["message"] == (
        'id: "This field is required."'
    )
    assert put(sandbox_client, {"id": "abc"}).status_code == 400
    parcel = post(sandbox_client, {"parcel": body(request_label=False)}).json()["parcel"]
    account = sandbox_control.post("/_sandbox/accounts", json={}).get_json()
    auth = (account["public_key"], account["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url="http://sandbox.test",
                      auth=auth) as other:  # fmt: skip
        assert put(other, {"id": parcel["id"], "name": "x"}).status_code == 404


def test_put_keeps_external_references_unique(sandbox_client):
    post(sandbox_client, {"parcel": body(external_reference="LA-1")})
    parcel = post(sandbox_client, {"parcel": body(request_label=False, external_reference="LA-2")})
    parcel_id = parcel.json()["parcel"]["id"]
    assert put(sandbox_client, {"id": parcel_id, "name": "Neu"}).status_code == 200  # its own
    taken = put(sandbox_client, {"id": parcel_id, "external_reference": "LA-1"})
    assert taken.status_code == 400 and "external_reference" in taken.json()["error"]["message"]


def test_put_request_label_async_announces_on_the_clock(sandbox_client, sandbox_control):
    parcel = post(sandbox_client, {"parcel": body(request_label=False)}).json()["parcel"]
    pending = put(sandbox_client, {"id": parcel["id"], "request_label_async": True}).json()
    assert pending["parcel"]["status"]["id"] == 1001
    sandbox_control.post("/_sandbox/clock", json={"advance": 6})
    sandbox_control.post("/_sandbox/progression/run")
    done = sandbox_client.get(f"/api/v2/parcels/{parcel['id']}").json()["parcel"]
    assert done["status"]["id"] == 1000 and done["tracking_number"]
