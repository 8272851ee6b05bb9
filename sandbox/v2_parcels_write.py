"""Panel API v2: create parcels (single and batch) and cancel them (reference v2 §5.6.1, §5.6.6).

* ``POST /parcels`` with ``{"parcel": {...}}`` → ``{"parcel": ...}`` or ``{"parcels": [...]}``
  → ``{"parcels": [...]}`` (also for one parcel with ``quantity`` > 1, multicollo).
  ``request_label: true`` announces at once (1000 "Ready to send"), ``request_label_async``
  answers 1001 and announces on the sandbox clock, neither leaves 999 "No label". A parcel not
  announced (999, or 1002 refused) stays one parcel with ``quantity`` = its collo count.
* Before the body: ``Sendcloud-Partner-Id`` (400 malformed, 404 unknown) and the v2 cutoff
  (403 for accounts registered on or after 2026-04-13 without a partner id), see partners.py.
* The §5.6.1 outcome table, row by row:
  - no ``errors``: any invalid parcel or carrier refusal → 400 in the generic v2 error shape
    (``parcel_create_error_400.json``; the carrier's as ``non_field_errors: "Service error:
    …"``), nothing created;
  - ``errors=verbose*``, batch: valid parcels created, the others listed in ``failed_parcels``
    with the submitted data and their errors (carrier refusals too with ``verbose``);
  - ``errors=verbose-carrier``: a parcel the carrier refuses is created with status 1002 and
    ``errors.non_field_errors`` (single: ``{"parcel": …}``);
  - ``errors=verbose*``, single parcel with a field error → the generic 400 (recorded); with
    plain ``verbose`` a single parcel's carrier refusal is the default 400 too (carrier errors
    are reported per parcel with ``verbose-carrier`` only);
  - every successful parcel carries ``"errors": {}`` when ``errors=`` was given.
* ``POST /parcels/{id}/cancel``: 202 queued (announced), 410 deleted (never announced: 999,
  1001, 1002 — the parcel disappears), 400 ``{"status": "failed", "message"}`` (being cancelled,
  or already with the carrier / delivered / older than 42 days), 404 unknown.
"""

import json
import math
from dataclasses import replace

from flask import Blueprint, g, request

from . import catalogue as cat
from . import partners, routes
from .errors import json_response, v2_error
from .progression import progression
from .render_parcels import v2_parcel
from .service_point_data import point_problem
from .shipment_requests import sender_from_address
from .shipments_store import (
    ALREADY_CANCELLING,
    TOO_LATE,
    DuplicateReference,
    ParcelSpec,
    ShipmentSpec,
    cancel_outcome,
    carrier_refusal,
    delete_parcel,
    external_reference_taken,
    insert,
    normalise_postal,
    parcels_of,
    split_street,
)
from .state import current
from .v3_shipments import cancel_parcels

bp = Blueprint("v2_parcels_write", __name__)
REQUIRED = "This field is required."
OUTSIDE_EU = "This field is required for shipments outside the EU."
DUPLICATE = "Parcel with this external reference already exists."
FROM_FIELDS = ("from_name", "from_address_1", "from_postal_code", "from_city", "from_country")


class Invalid(Exception):
    """Field problems of one parcel: {field: [message, …]}."""

    def __init__(self, problems: dict):
        super().__init__(problems)
        self.problems = problems

    def message(self) -> str:
        return ", ".join(f'{field}: "{msgs[0]}"' for field, msgs in self.problems.items())


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _sender(store, raw, problems):
    """(sender_address_id, sender) from ``sender_address``, ``from_*`` or the first address."""
    rows = store.query(
        "SELECT id, data FROM sender_addresses WHERE account_id = ? ORDER BY id", (g.account_id,)
    )
    senders = {row[0]: json.loads(row[1]) for row in rows}
    if raw.get("sender_address") is not None:
        sender_id = raw["sender_address"]
        if sender_id not in senders:
            problems["sender_address"] = [f'Invalid pk "{sender_id}" - object does not exist.']
            return None, None
        return sender_id, senders[sender_id]
    if any(raw.get(f) for f in FROM_FIELDS):
        for name in FROM_FIELDS + ("from_house_number",):
            if not _text(raw.get(name)).strip():
                problems[name] = [REQUIRED]
        return None, sender_from_address({
            "name": raw.get("from_name"), "company_name": raw.get("from_company_name"),
            "address_line_1": raw.get("from_address_1"),
            "house_number": raw.get("from_house_number"),
            "postal_code": raw.get("from_postal_code"), "city": raw.get("from_city"),
            "country_code": raw.get("from_country"), "email": raw.get("from_email"),
            "phone_number": raw.get("from_telephone"),
        })  # fmt: skip
    if not senders:
        problems["sender_address"] = [REQUIRED]
        return None, None
    first = min(senders)
    return first, senders[first]


def _items(raw, problems):
    items = raw.get("parcel_items") or []
    if not isinstance(items, list):
        problems["parcel_items"] = ["Expected a list of items."]
        return []
    out = []
    for item in items:
        if not isinstance(item, dict) or not item.get("description"):
            problems["parcel_items"] = ["description: " + REQUIRED]
            continue
        out.append({
            "description": _text(item["description"]), "quantity": int(item.get("quantity") or 1),
            "weight": f"{_number(item.get('weight')) or 0:.3f}",
            "value": f"{_number(item.get('value')) or 0:.2f}",
            "hs_code": _text(item.get("hs_code")),
            "origin_country": _text(item.get("origin_country")),
            "sku": _text(item.get("sku")), "product_id": _text(item.get("product_id")),
            "properties": item.get("properties") or {}, "item_id": item.get("item_id"),
            "return_reason": item.get("return_reason"),
            "return_message": item.get("return_message"),
        })  # fmt: skip
    return out


def parse_parcel(store, raw, own_reference=None) -> tuple[ShipmentSpec, str]:
    """(spec, announce mode ``sync|async|none``) or raises Invalid. ``own_reference`` is the
    external reference the parcel being updated already holds (not a duplicate of itself)."""
    if not isinstance(raw, dict):
        raise Invalid({"non_field_errors": ["Invalid data. Expected a dictionary."]})
    problems = {}
    for name in ("name", "address", "city", "postal_code", "country"):
        if not _text(raw.get(name)).strip():
            problems[name] = [REQUIRED]
    country = _text(raw.get("country")).upper()
    if country and country not in cat.COUNTRY:
        problems["country"] = [f"Select a valid choice. {country} is not one of the choices."]
    request_label = bool(raw.get("request_label") or raw.get("requestLabel"))
    label_async = bool(raw.get("request_label_async"))
    mode = "sync" if request_label else "async" if label_async else "none"
    method = None
    shipment = raw.get("shipment")
    method_id = shipment.get("id") if isinstance(shipment, dict) else None
    if method_id is None and mode != "none":
        problems["shipping_method"] = [REQUIRED]
    elif method_id is not None:
        method = cat.METHOD_BY_ID.get(method_id) if isinstance(method_id, int) else None
        if method is None or method.product.is_return:
            problems["shipping_method"] = [f'Invalid pk "{method_id}" - object does not exist.']
    weight = _number(raw.get("weight")) if raw.get("weight") not in (None, "") else 1.0
    if weight is None or weight <= 0:
        problems["weight"] = ["A valid number is required."]
        weight = 1.0
    dims = None
    if any(raw.get(k) not in (None, "") for k in ("length", "width", "height")):
        values = [_number(raw.get(k)) for k in ("length", "width", "height")]
        if any(v is None for v in values):
            problems["length"] = ["Length, width and height are required together."]
        else:
            dims = [f"{v:.2f}" for v in values]
    quantity = raw.get("quantity") or 1
    if not isinstance(quantity, int) or not 1 <= quantity <= 20:
        problems["quantity"] = ["Ensure this value is between 1 and 20."]
        quantity = 1
    sender_id, sender = _sender(store, raw, problems)
    items = _items(raw, problems)
    product = method.product if method else cat.PRODUCT_BY_CODE["sendcloud:letter"]
    point = raw.get("to_service_point")
    if method and product.service_point and not point and mode != "none":
        problems["to_service_point"] = ["This shipping method requires a service point."]
    elif method and product.service_point and point and country:
        # Inferred (the reference documents no text): the v2 field-error shape of §3.1.
        refused = point_problem(point, product.carrier, country)
        if refused:
            problems["to_service_point"] = [refused]
    customs = raw.get("customs_information") if isinstance(raw.get("customs_information"),
                                                           dict) else None  # fmt: skip
    invoice = _text(raw.get("customs_invoice_nr") or (customs or {}).get("customs_invoice_nr"))
    if method and sender and country in cat.COUNTRY and mode != "none":
        values = {"to_email": raw.get("email"), "to_telephone": raw.get("telephone")}
        for name in routes.missing_fields(product, sender["country"], country, values):
            problems[routes.FIELD_V2[name]] = [REQUIRED]
    postal = _text(raw.get("postal_code"))
    if country in cat.COUNTRY and cat.needs_customs(country, postal) and mode != "none":
        if not invoice:
            problems["customs_invoice_nr"] = [OUTSIDE_EU]
        if not items or any(not i["hs_code"] or not i["origin_country"] for i in items):
            problems["parcel_items"] = [OUTSIDE_EU + " (hs_code, origin_country)"]
    reference = raw.get("external_reference")
    if (
        reference
        and str(reference) != own_reference
        and external_reference_taken(store, g.account_id, str(reference), v3=False)
    ):
        problems["external_reference"] = [DUPLICATE]
    if problems:
        raise Invalid(problems)
    street, number = split_street(raw.get("address"), raw.get("house_number"))
    person = {
        "name": _text(raw["name"]), "street": street, "house_number": number,
        "postal_code": normalise_postal(country, _text(raw["postal_code"])),
        "city": _text(raw["city"]), "country": country, "to_state": raw.get("country_state"),
    }  # fmt: skip
    insured = math.ceil(_number(raw.get("insured_value")) or 0)
    overlay = {
        "reference": _text(raw.get("reference") or "0"), "address_2": _text(raw.get("address_2")),
        "to_service_point": point, "to_post_number": _text(raw.get("to_post_number")),
        "total_order_value_currency": raw.get("total_order_value_currency") or "EUR",
        "customs_shipment_type": raw.get("customs_shipment_type",
                                         (customs or {}).get("customs_shipment_type")),
    }  # fmt: skip
    parcels = [
        ParcelSpec(
            weight=weight,
            dims=dims,
            items=items,
            insured_value=insured,
            external_reference=_text(reference) or None if n == 0 else None,
            v2_overlay=overlay,
        )  # fmt: skip
        for n in range(quantity)
    ]
    spec = ShipmentSpec(
        product=product, sender=sender, person=person, parcels=parcels,
        sender_address_id=sender_id, email=_text(raw.get("email")),
        telephone=_text(raw.get("telephone")), company_name=_text(raw.get("company_name")),
        order_number=None if raw.get("order_number") is None else str(raw["order_number"]),
        total_order_value=None if raw.get("total_order_value") is None
        else _text(raw["total_order_value"]),
        service_point=None if point is None else str(point),
        customs={"invoice_number": invoice,
                 "customs_shipment_type": overlay["customs_shipment_type"], **(customs or {})}
        if invoice else None,
        checkout_name=raw.get("shipping_method_checkout_name"),
        brand_id=sender.get("brand_id"), method_id=method.id if method else 8,
        generation="v2",
    )  # fmt: skip
    return spec, mode


def _create_one(state, spec, mode, verbose_carrier) -> tuple[list, str | None]:
    """Store one parsed parcel request; (rendered parcels, carrier refusal)."""
    refusal = carrier_refusal(spec) if mode != "none" else None
    if refusal and not verbose_carrier:
        return [], refusal
    status = {"sync": 1002 if refusal else 1000, "async": 1001, "none": 999}[mode]
    if status in (999, 1002) and len(spec.parcels) > 1:
        # Not announced: one parcel with the collo count as quantity (split on announcement).
        spec.parcels = [replace(spec.parcels[0], quantity=len(spec.parcels))]
    try:
        seq = insert(state, g.account_id, g.integration_id, spec, status, announce_error=refusal)
    except DuplicateReference:
        raise Invalid({"external_reference": [DUPLICATE]}) from None
    if mode == "async":
        progression().track_new_shipment(seq, 1002 if refusal else 1000)
    else:
        progression().track_new_shipment(seq)
    base = state.base_url()
    out = []
    for parcel in parcels_of(state.store, seq):
        rendered = v2_parcel(base, parcel)
        if refusal and mode == "sync":
            rendered["errors"] = {"non_field_errors": [refusal]}
        out.append(rendered)
    return out, None


@bp.post("/parcels")
def parcels_create():
    state = current()
    closed = partners.v2_parcels_check(state, state.accounts.get(g.account_id))
    if closed is not None:
        return closed
    body = request.get_json(silent=True)
    verbose = request.args.get("errors", "")
    verbose_carrier = verbose == "verbose-carrier"
    if not isinstance(body, dict) or not ("parcel" in body or "parcels" in body):
        return v2_error(400, 'parcel: "This field is required."')
    batch = "parcels" in body
    raws = body["parcels"] if batch else [body["parcel"]]
    if not isinstance(raws, list) or not raws:
        return v2_error(400, 'parcels: "Expected a non-empty list of items."')
    parsed, failed = [], []
    for raw in raws:
        try:
            parsed.append((raw, *parse_parcel(state.store, raw)))
        except Invalid as exc:
            if not (verbose and batch):
                return v2_error(400, exc.message())
            failed.append({"parcel": raw, "errors": exc.problems})
    if not verbose or not (batch or verbose_carrier):
        # All or nothing: without errors=verbose*, and for a single parcel whose carrier
        # complaints are not asked for (errors=verbose reports validation errors only).
        for _, spec, mode in parsed:
            refusal = carrier_refusal(spec) if mode != "none" else None
            if refusal:
                return v2_error(400, f'non_field_errors: "{refusal}"')
    created = []
    for raw, spec, mode in parsed:
        try:
            rendered, refusal = _create_one(state, spec, mode, verbose_carrier)
        except Invalid as exc:  # lost a race for its external reference
            if not (verbose and batch):
                return v2_error(400, exc.message())
            failed.append({"parcel": raw, "errors": exc.problems})
            continue
        if refusal:
            failed.append({"parcel": raw, "errors": {"non_field_errors": [refusal]}})
        created += rendered
    if verbose:
        for parcel in created:
            parcel.setdefault("errors", {})
    if batch or len(created) > 1:
        out = {"parcels": created}
        if verbose:
            out["failed_parcels"] = failed
        return json_response(out)
    return json_response({"parcel": created[0]})


@bp.post("/parcels/<int:parcel_id>/cancel")
def parcel_cancel(parcel_id):
    state = current()
    parcel = state.parcel(parcel_id, g.account_id)
    if parcel is None or parcel.integration_id != g.integration_id:
        return v2_error(404, "No Parcel matches the given query.")
    if parcel.status_id in cat.UNANNOUNCED:
        delete_parcel(state, parcel)
        return json_response({"status": "deleted", "message": "Parcel has been deleted"}, 410)
    outcome = cancel_outcome([parcel], state.clock.now())
    if outcome == "already":
        return json_response({"status": "failed", "message": ALREADY_CANCELLING}, 400)
    if outcome == "too_late":
        return json_response({"status": "failed", "message": TOO_LATE}, 400)
    cancel_parcels(state, [parcel], outcome)
    return json_response(
        {"status": "queued", "message": "Parcel cancellation has been queued"}, 202
    )
