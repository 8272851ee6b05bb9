"""Panel API v2: ``PUT /parcels`` — update a parcel not announced yet (reference v2 §5.6.2).

* Body ``{"parcel": {"id": <int>, ...any create field...}}``; the id may come as digits. The
  fields not sent keep their values; the result is checked like a new parcel (§5.6.1).
* ``request_label: true`` announces now (1000, tracking number, label), ``request_label_async``
  announces on the sandbox clock (1001); without either the parcel stays unannounced.
* Refused: after announcement (400), ``request_label`` with ``quantity`` > 1 (400), a carrier
  refusal (400 ``non_field_errors: "Service error: …"``, the parcel stays as it was); unknown
  id → 404 ``No Parcel matches the given query.`` The texts of the first two are not
  documented [INF].
* Answer 200 ``{"parcel": Parcel}`` as recorded (2015) and in client fixtures; the spec's
  example wraps it in a list (§9 quirk 23) — clients accept both.
"""

from dataclasses import replace

from flask import Blueprint, g, request

from .errors import json_response, v2_error
from .progression import progression
from .render_parcels import v2_parcel
from .shipments_store import DuplicateReference, carrier_refusal, replace_unannounced
from .state import current
from .v2_parcels_write import DUPLICATE, Invalid, parse_parcel

bp = Blueprint("v2_parcels_update", __name__)
UPDATABLE = {999, 1002}  # no label yet, or the announcement failed
ANNOUNCED = "This parcel has already been announced and can no longer be changed."
QUANTITY = "A label cannot be requested for a parcel with a quantity greater than 1."


def stored_request(base: str, parcel) -> dict:
    """The parcel as the create request that would make it (what a PUT changes)."""
    v2 = v2_parcel(base, parcel)
    s = parcel.shipment
    person, sender = s["person"], s["sender"]
    raw = {
        "name": v2["name"], "company_name": v2["company_name"], "address": person["street"],
        "house_number": person["house_number"], "address_2": v2["address_2"],
        "city": v2["city"], "postal_code": v2["postal_code"], "country": person["country"],
        "country_state": person["to_state"], "telephone": v2["telephone"], "email": v2["email"],
        "weight": v2["weight"], "order_number": v2["order_number"],
        "external_reference": v2["external_reference"], "reference": v2["reference"],
        "shipment": {"id": v2["shipment"]["id"]}, "parcel_items": v2["parcel_items"],
        "to_service_point": v2["to_service_point"], "to_post_number": v2["to_post_number"],
        "total_order_value": v2["total_order_value"],
        "total_order_value_currency": v2["total_order_value_currency"],
        "insured_value": v2["insured_value"] or None,
        "shipping_method_checkout_name": v2["shipping_method_checkout_name"],
        "customs_invoice_nr": v2["customs_invoice_nr"] or None,
        "customs_shipment_type": v2["customs_shipment_type"],
        "quantity": parcel.data.get("quantity", 1),
    }  # fmt: skip
    if v2["length"] is not None:
        raw.update(length=v2["length"], width=v2["width"], height=v2["height"])
    if s.get("sender_address_id") is not None:
        raw["sender_address"] = s["sender_address_id"]
    else:  # created with from_* fields
        raw.update({
            "from_name": sender["contact_name"], "from_company_name": sender["company_name"],
            "from_address_1": sender["street"], "from_house_number": sender["house_number"],
            "from_postal_code": sender["postal_code"], "from_city": sender["city"],
            "from_country": sender["country"], "from_email": sender["email"],
            "from_telephone": sender["telephone"],
        })  # fmt: skip
    return raw


def _parcel_id(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


@bp.put("/parcels")
def parcels_update():
    state = current()
    body = request.get_json(silent=True)
    raw = body.get("parcel") if isinstance(body, dict) else None
    if not isinstance(raw, dict):
        return v2_error(400, 'parcel: "This field is required."')
    if raw.get("id") in (None, ""):
        return v2_error(400, 'id: "This field is required."')
    parcel_id = _parcel_id(raw["id"])
    if parcel_id is None:
        return v2_error(400, 'id: "A valid integer is required."')
    parcel = state.parcel(parcel_id, g.account_id)
    if parcel is None or parcel.integration_id != g.integration_id:
        return v2_error(404, "No Parcel matches the given query.")
    if parcel.status_id not in UPDATABLE:
        return v2_error(400, f'non_field_errors: "{ANNOUNCED}"')
    merged = stored_request(state.base_url(), parcel)
    merged.update({k: v for k, v in raw.items() if k != "id"})
    announce = merged.get("request_label") or merged.get("requestLabel")
    if (announce or merged.get("request_label_async")) and merged.get("quantity") not in (
        None, 1
    ):  # fmt: skip
        return v2_error(400, f'request_label: "{QUANTITY}"')
    try:
        spec, mode = parse_parcel(state.store, merged, own_reference=parcel.external_reference)
    except Invalid as exc:
        return v2_error(400, exc.message())
    if mode == "none":
        status = parcel.status_id
        spec.parcels = [replace(spec.parcels[0], quantity=len(spec.parcels))]
    else:
        refusal = carrier_refusal(spec)
        if refusal:
            return v2_error(400, f'non_field_errors: "{refusal}"')
        status = 1000 if mode == "sync" else 1001
    try:
        replace_unannounced(state, g.account_id, parcel, spec, status)
    except DuplicateReference:
        return v2_error(400, f'external_reference: "{DUPLICATE}"')
    if mode != "none":
        progression().track_new_shipment(parcel.shipment_seq, 1000 if mode == "async" else None)
    return json_response({"parcel": v2_parcel(state.base_url(), state.parcel(parcel.id))})
