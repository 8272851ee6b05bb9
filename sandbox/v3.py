"""Panel API v3: auth metadata, sender addresses, shipping options, statuses, shipments."""

import json

from flask import Blueprint, g, request

from . import catalogue as cat
from . import shipping
from .errors import json_response, raw_json_response, v3_error
from .paging import InvalidCursor, keyset, page_link
from .render_parcels import BASE_TOKEN
from .state import current
from .timefmt import parse_iso
from .v2 import sender_rows

bp = Blueprint("v3", __name__)
SHIPMENTS_PAGE = (1, 40, 100)  # min, default, max (reference v3 §3.3)
SENDERS_PAGE = (1, 100, 100)  # default not stated; we use the maximum


def invalid_cursor():
    return v3_error(404, "Invalid cursor", "not_found", title="Invalid cursor")


def page_size(bounds):
    """The clamped ``page_size`` argument, or None when it is not an integer."""
    low, default, high = bounds
    raw = request.args.get("page_size")
    if raw in (None, ""):
        return default
    try:
        return min(max(int(raw), low), high)
    except ValueError:
        return None


def bad_page_size():
    return v3_error(
        400, "A valid integer is required.", "invalid", source={"parameter": "page_size"}
    )


def link_header(page) -> dict:
    """RFC 8288 ``Link`` with prev/next; the URL keeps the filters and has the trailing slash."""
    url = f"{current().base_url()}{request.path.rstrip('/')}/"
    links = []
    if page.previous:
        links.append(f'<{page_link(url, request.args, page.previous)}>; rel="prev"')
    if page.next:
        links.append(f'<{page_link(url, request.args, page.next)}>; rel="next"')
    return {"Link": ", ".join(links)} if links else {}


@bp.get("/user/auth/metadata")
def auth_metadata():
    return json_response({"data": {"user_id": g.account_id, "integration_id": g.integration_id}})


def v3_sender(address_id, a) -> dict:
    taxes = []
    for name, value in (("VAT", a["vat_number"]), ("EORI", a["eori_number"])):
        if value:
            taxes.append({"name": name, "country_code": a["country"], "value": value})
    return {
        "city": a["city"],
        "company_name": a["company_name"],
        "name": a["contact_name"],
        "country_code": a["country"],
        "state_province_code": a["country_state"],
        "email": a["email"],
        "house_number": a["house_number"],
        "id": address_id,
        "address_line_2": "",
        "postal_code": a["postal_code"],
        "address_line_1": a["street"],
        "phone_number": a["telephone"],
        "po_box": a["postal_box"] or None,
        "tax_numbers": taxes,
        "signature": {"full_name": a["signature_full_name"], "initials": a["signature_initials"]},
    }


@bp.get("/addresses/sender-addresses")
def sender_addresses():
    size = page_size(SENDERS_PAGE)
    if size is None:
        return bad_page_size()
    try:
        page = keyset(
            current().store.conn(), "SELECT id, data FROM sender_addresses",
            ["account_id = ?"], [g.account_id], "id", size, request.args.get("cursor"),
            descending=False,
        )  # fmt: skip
    except InvalidCursor:
        return invalid_cursor()
    data = [v3_sender(row[0], json.loads(row[1])) for row in page.rows]
    return json_response({"data": data}, headers=link_header(page))


@bp.get("/addresses/sender-addresses/<int:address_id>")
def sender_address(address_id):
    for i, a in sender_rows(g.account_id):
        if i == address_id:
            return json_response({"data": v3_sender(i, a)})
    return v3_error(404, "No sender address found.", "not_found")


@bp.post("/shipping-options")
def shipping_options():
    body = request.get_json(silent=True)
    if body is None and request.get_data():
        return v3_error(400, "JSON parse error.", "invalid", source={"pointer": "/"})
    body = body or {}
    if not isinstance(body, dict):
        return v3_error(400, "Expected an object.", "invalid", source={"pointer": "/"})
    if "parcels" in body and not body["parcels"]:
        return v3_error(
            400, "At least one parcel must be provided.", "invalid",
            source={"pointer": "/parcels"},
        )  # fmt: skip
    if body.get("contract_id") is not None and body["contract_id"] not in cat.CONTRACTS.values():
        return v3_error(400, "Invalid contract.", "invalid")
    options = shipping.v3_options(body)
    if not options:
        return json_response({"data": [], "message": shipping.NO_OPTIONS})
    return json_response({"data": options, "message": None})


@bp.post("/compat/shipping-options")
def compat_shipping_options():
    body = request.get_json(silent=True) or {}
    ids = body.get("shipping_method_ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or len(ids) > 100:
        return v3_error(
            400, "Provide at most 100 ids.", "invalid", source={"pointer": "/shipping_method_ids"}
        )
    data = {}
    for value in ids:
        method = cat.METHOD_BY_ID.get(value) if isinstance(value, int) else None
        data[str(value)] = method.product.code if method else None
    return json_response({"data": data})


@bp.get("/parcels/statuses")
def parcel_statuses():
    return json_response({"data": [{"code": c, "message": m} for _, c, m in cat.STATUSES]})


def _id_list(name):
    raw = request.args.get(name)
    if not raw:
        return []
    return [x.strip() for x in raw.split(",") if x.strip()]


def _shipment_filters():
    """(conditions, params) over ``shipments s``, or a 400 response as third item."""
    args = request.args
    # Shipments created or imported under the calling credentials (reference v3 §2.1, §6.5).
    where, params = ["s.account_id = ?", "s.integration_id = ?"], [g.account_id, g.integration_id]
    parcel_where, parcel_params = [], []

    def fail(detail, parameter):
        return (
            None,
            None,
            v3_error(400, detail, "validation_error", source={"parameter": parameter}),
        )

    for name, column, op in (
        ("updated_after", "s.updated_at", ">"), ("updated_before", "s.updated_at", "<"),
        ("announced_after", "s.announced_at", ">"), ("announced_before", "s.announced_at", "<"),
    ):  # fmt: skip
        if args.get(name):
            stamp = parse_iso(args[name])
            if stamp is None:
                return fail(f"Validation failed, {name} is not a datetime", name)
            where.append(f"{column} {op} ?")
            params.append(stamp)
    for name, column in (("order_number", "s.order_number"),
                         ("external_reference_id", "s.external_reference_id")):  # fmt: skip
        if args.get(name):
            where.append(f"{column} = ?")
            params.append(args[name])
    if args.get("integration_id"):
        if not args["integration_id"].isdigit():
            return fail("Validation failed, integration_id is not an integer", "integration_id")
        where.append("s.integration_id = ?")
        params.append(int(args["integration_id"]))
    uuids = _id_list("shipment_uuids")
    if len(uuids) > 100:
        return fail("Validation failed, at most 100 shipment_uuids", "shipment_uuids")
    if uuids:
        where.append(f"s.id IN ({','.join('?' * len(uuids))})")
        params.extend(uuids)
    if args.get("parcel_status"):
        status_id = cat.resolve_status(args["parcel_status"])
        if status_id is None:
            return fail("Validation failed, parcel_status is not a valid status", "parcel_status")
        parcel_where.append("p.status_id = ?")
        parcel_params.append(status_id)
    if args.get("tracking_number"):
        parcel_where.append("p.tracking_number = ?")
        parcel_params.append(args["tracking_number"])
    ids = _id_list("ids")
    if len(ids) > 100 or not all(i.isdigit() for i in ids):
        return fail("Validation failed, ids must be at most 100 integers", "ids")
    if ids:
        parcel_where.append(f"p.id IN ({','.join('?' * len(ids))})")
        parcel_params.extend(int(i) for i in ids)
    if parcel_where:
        where.append(
            "EXISTS (SELECT 1 FROM parcels p WHERE p.shipment_seq = s.seq AND "
            + " AND ".join(parcel_where)
            + ")"
        )
        params.extend(parcel_params)
    return where, params, None


def shipments_text(rows) -> str:
    """``[shipment, …]`` JSON from stored renderings (``(seq, v3)`` rows)."""
    return "[" + ",".join(row[1] for row in rows) + "]"


@bp.get("/shipments")
def shipments():
    size = page_size(SHIPMENTS_PAGE)
    if size is None:
        return bad_page_size()
    where, params, error = _shipment_filters()
    if error:
        return error
    try:
        page = keyset(
            current().store.conn(), "SELECT s.seq, s.v3 FROM shipments s", where, params,
            "s.seq", size, request.args.get("cursor"),
        )  # fmt: skip
    except InvalidCursor:
        return invalid_cursor()
    body = '{"data":' + shipments_text(page.rows) + "}"
    return raw_json_response(
        body.replace(BASE_TOKEN, current().base_url()), headers=link_header(page)
    )


@bp.get("/shipments/<shipment_id>")
def shipment(shipment_id):
    row = current().store.one(
        "SELECT seq, v3 FROM shipments WHERE id = ? AND account_id = ? AND integration_id = ?",
        (shipment_id, g.account_id, g.integration_id),
    )
    if row is None:
        return v3_error(404, "Not found", "not_found")
    return raw_json_response(('{"data":' + row[1] + "}").replace(BASE_TOKEN, current().base_url()))
