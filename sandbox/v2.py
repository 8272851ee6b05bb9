"""Panel API v2: user, sender addresses, shipping methods, parcel statuses, parcels."""

import base64
import json

from flask import Blueprint, g, request

from . import catalogue as cat
from . import shipping
from .errors import json_response, v2_error
from .paging import InvalidCursor, decode_cursor, encode_cursor, keyset, page_link
from .render_parcels import PARCEL_COLUMNS, PARCEL_FROM, Parcel, v2_parcel
from .state import current
from .timefmt import parse_iso, user_datetime, v2_datetime

bp = Blueprint("v2", __name__)
PARCELS_PAGE = 100  # observed page size, no parameter to change it (reference v2 §3.3)


def invoice_item(base, invoice_id, data, detail=False) -> dict:
    """One invoice in the v2 list (``items`` is a URL) or detail (``items`` is a list)."""
    return {
        "id": invoice_id,
        "ref": data["ref"],
        "type": data["type"],
        "price_incl": data["price_incl"],
        "price_excl": data["price_excl"],
        "isPayed": data["isPayed"],
        "date": v2_datetime(data["date"]),
        "items": data["items"] if detail else f"{base}/api/v2/user/invoices/{invoice_id}",
    }


@bp.get("/user")
def user():
    state = current()
    account = state.accounts.get(g.account_id)
    data = account["data"]
    base = state.base_url()
    invoices = [
        invoice_item(base, r[0], json.loads(r[1]))
        for r in state.store.query(
            "SELECT id, data FROM invoices WHERE account_id = ? ORDER BY id", (g.account_id,)
        )
    ]
    return json_response({"user": {
        "address": data["address"], "city": data["city"], "company_logo": None,
        "company_name": data["company_name"], "data": [], "email": data["email"],
        "invoices": invoices,
        "modules": [{"activated": True, "id": 5, "name": "SendcloudClient", "settings": None,
                     "short_name": "sendcloud_client"}],
        "postal_code": data["postal_code"],
        "registered": user_datetime(state.accounts.registered(account)),
        "telephone": data["telephone"], "username": data["username"],
    }})  # fmt: skip


def sender_rows(account_id):
    return [
        (r[0], json.loads(r[1]))
        for r in current().store.query(
            "SELECT id, data FROM sender_addresses WHERE account_id = ? ORDER BY id",
            (account_id,),
        )
    ]


def v2_sender(address_id, a) -> dict:
    return {"id": address_id, **{k: a[k] for k in (
        "company_name", "contact_name", "email", "telephone", "street", "house_number",
        "postal_box", "postal_code", "city", "country", "country_state", "vat_number",
        "eori_number", "brand_id", "label", "signature_full_name", "signature_initials",
    )}}  # fmt: skip


@bp.get("/user/addresses/sender")
def sender_addresses():
    rows = sender_rows(g.account_id)
    return json_response({"sender_addresses": [v2_sender(i, a) for i, a in rows]})


@bp.get("/user/addresses/sender/<int:address_id>")
def sender_address(address_id):
    for i, a in sender_rows(g.account_id):
        if i == address_id:
            return json_response({"sender_address": v2_sender(i, a)})
    return v2_error(404, "No sender address matches the given query.")


def _method_query():
    """Sender countries and filters of a shipping-methods request, or an error response."""
    rows = sender_rows(g.account_id)
    wanted = request.args.get("sender_address")
    with_from = wanted == "all"
    if with_from:
        countries = sorted({a["country"] for _, a in rows})
    elif wanted:
        match = [a for i, a in rows if str(i) == wanted]
        if not match:
            return None, v2_error(404, "No sender address matches the given query.")
        countries = [match[0]["country"]]
    else:
        countries = [rows[0][1]["country"]] if rows else ["NL"]
    return {
        "from_countries": countries,
        "is_return": request.args.get("is_return", "").lower() == "true",
        "to_country": (request.args.get("to_country") or "").upper() or None,
        "service_point": bool(request.args.get("service_point_id")),
        "with_from": with_from,
    }, None


@bp.get("/shipping_methods")
def shipping_methods():
    query, error = _method_query()
    if error:
        return error
    methods = shipping.v2_methods(**query)
    limit = request.args.get("limit")
    if not limit:
        return json_response({"shipping_methods": methods})
    try:
        size = max(1, int(limit))
        start = decode_cursor(request.args["cursor"])[0] if request.args.get("cursor") else 0
    except (ValueError, InvalidCursor):
        return v2_error(404, "Invalid cursor")
    url = f"{current().base_url()}{request.path}"
    nxt = page_link(url, request.args, encode_cursor(start + size))
    prev = page_link(url, request.args, encode_cursor(max(0, start - size), True))
    return json_response({
        "next": nxt if start + size < len(methods) else None,
        "previous": prev if start > 0 else None,
        "shipping_methods": methods[start : start + size],
    })  # fmt: skip


@bp.get("/shipping_methods/<int:method_id>")
def shipping_method(method_id):
    query, error = _method_query()
    if error:
        return error
    method = cat.METHOD_BY_ID.get(method_id)
    if method is not None:
        item = shipping.v2_method(
            method, query["from_countries"], query["to_country"], query["with_from"]
        )
        if item["countries"]:
            return json_response({"shipping_method": item})
    body = {"error": {"request": request.path.strip("/"), "code": 404, "message": "Not found."}}
    return json_response(body, 404)


@bp.get("/parcels/statuses")
def parcel_statuses():
    return json_response(
        [{"id": sid, "message": cat.STATUS_BY_ID[sid][1]} for sid in cat.V2_STATUS_ORDER]
    )


def _parcel_filters():
    """SQL conditions for the v2 parcel filters, or a 400 response."""
    args = request.args
    where, params = ["p.integration_id = ?"], [g.integration_id]
    if args.get("parcel_status"):
        if not args["parcel_status"].lstrip("-").isdigit():
            return None, None, v2_error(400, 'parcel_status: "A valid integer is required."')
        where.append("p.status_id = ?")
        params.append(int(args["parcel_status"]))
    for name, column in (
        ("tracking_number", "p.tracking_number"),
        ("external_reference", "p.external_reference"),
        ("order_number", "p.order_number"),
    ):
        if args.get(name):
            where.append(f"{column} = ?")
            params.append(args[name])
    for name, column in (("updated_after", "p.updated_at"), ("announced_after", "p.announced_at")):
        if args.get(name):
            stamp = parse_iso(args[name])
            if stamp is None:
                return None, None, v2_error(400, f'{name}: "Enter a valid date/time."')
            where.append(f"{column} > ?")
            params.append(stamp)
    if args.get("ids"):
        try:
            ids = [int(x) for x in args["ids"].split(",") if x.strip()]
        except ValueError:
            return None, None, v2_error(400, 'ids: "A valid integer is required."')
        if len(ids) > 100:
            return None, None, v2_error(400, 'ids: "Ensure this field has no more than 100 ids."')
        where.append(f"p.id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    return where, params, None


@bp.get("/parcels")
def parcels():
    state = current()
    where, params, error = _parcel_filters()
    if error:
        return error
    try:
        page = keyset(
            state.store.conn(), f"SELECT {PARCEL_COLUMNS} FROM {PARCEL_FROM}", where, params,
            "p.id", PARCELS_PAGE, request.args.get("cursor"),
        )  # fmt: skip
    except InvalidCursor:
        return v2_error(404, "Invalid cursor")
    base = state.base_url()
    url = f"{base}{request.path}"
    return json_response({
        "next": page_link(url, request.args, page.next, cursor_first=True) if page.next else None,
        "previous": page_link(url, request.args, page.previous, cursor_first=True)
        if page.previous else None,
        "parcels": [v2_parcel(base, Parcel(row)) for row in page.rows],
    })  # fmt: skip


@bp.get("/parcels/<int:parcel_id>")
def parcel(parcel_id):
    state = current()
    found = state.parcel(parcel_id, g.account_id)
    if found is None or found.integration_id != g.integration_id:
        return v2_error(404, "No Parcel matches the given query.")
    return json_response({"parcel": v2_parcel(state.base_url(), found)})


@bp.get("/parcels/<int:parcel_id>/return_portal_url")
def return_portal_url(parcel_id):
    """The brand's return portal for this parcel (reference v2 §5.6.5).

    404 ``{"url": null}`` when the parcel's brand has no portal domain. The sandbox serves no
    portal page, so the link has Sendcloud's shape and the brand's domain only.
    """
    state = current()
    found = state.parcel(parcel_id, g.account_id)
    if found is None or found.integration_id != g.integration_id:
        return v2_error(404, "No Parcel matches the given query.")
    row = state.store.one(
        "SELECT data FROM brands WHERE id = ? AND account_id = ?",
        (found.shipment["brand_id"], g.account_id),
    )
    brand = json.loads(row[0]) if row else {}
    if not brand.get("domain") or not brand.get("features", {}).get("returns_portal"):
        return json_response({"url": None}, 404)
    token = base64.urlsafe_b64encode(f"parcel={parcel_id}".encode()).decode().rstrip("=")
    return json_response(
        {"url": f"https://{brand['domain']}.shipping-portal.com/returns/initiate/{token}/"}
    )
