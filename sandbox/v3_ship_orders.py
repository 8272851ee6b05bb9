"""Panel API v3: labels for orders already pushed through the Orders API (reference v3 §5).

* ``POST /orders/create-labels-async`` — 1–20 orders (by ``order_id`` or ``order_number``) of
  ``integration_id``, optionally split into ``parcels`` by ``item_id`` (multicollo) → 202
  ``{"data": [{shipment_id, order_id, order_number, parcels_ids, parcel_id, ship_with}],
  "errors": [...]}``: per-order partial success; every shipment is announced on the sandbox clock
  (poll ``GET /shipments/{id}`` or take the webhook).
* ``POST /orders/create-label-sync`` — one ``order`` → 201 ``{"data": [{…, "label": {file,
  mime_type, dpi}, documents, tracking_number, tracking_url}]}`` as the official example (a list
  with ``label``; the schema's object with ``label_details`` is the documented alternative).
  Problems, including a carrier refusal, answer 400 with the order's error and create nothing
  (not documented; a careful client treats both as failure).

Shipment ids of ship-an-order are numeric strings (``"511"`` in the examples).
"""

import base64

from flask import Blueprint, g

from .errors import json_response
from .orders_store import ORDER_COLUMNS, StoredOrder
from .progression import progression
from .shipment_requests import (
    Problems,
    parse_dimensions,
    parse_from_address,
    parse_product,
    parse_to_address,
    parse_weight,
)
from .shipments_store import (
    ParcelSpec,
    ShipmentSpec,
    carrier_refusal,
    customs_missing,
    insert,
    missing_fields,
    parcels_of,
)
from .state import current
from .v3_shipments import body_or_error, label_bytes, label_format, shipment_json

bp = Blueprint("v3_ship_orders", __name__)
ORDERS_MAX = 20
PARCELS_MAX = 50
ASYNC_PREFIX = "/data/attributes"


class OrderProblem(Exception):
    pass


def _order_error(detail, pointer) -> dict:
    return {"status": "400", "code": "validation_error", "title": "Invalid order",
            "detail": detail, "source": {"pointer": pointer}}  # fmt: skip


def _find_order(state, integration_id, selector) -> StoredOrder:
    if not isinstance(selector, dict):
        raise OrderProblem("Give an order_id or an order_number.")
    for key in ("order_id", "order_number"):
        if selector.get(key):
            row = state.store.one(
                f"SELECT {ORDER_COLUMNS} FROM orders WHERE account_id = ? AND integration_id = ?"
                f" AND {key} = ? ORDER BY id DESC LIMIT 1",
                (g.account_id, integration_id, str(selector[key])),
            )
            if row is None:
                raise OrderProblem("The order could not be found.")
            order = StoredOrder(row)
            if state.orders.busy(order):
                raise OrderProblem("The order is still being processed. Try again in a moment.")
            return order
    raise OrderProblem("Give an order_id or an order_number.")


def _item(item: dict, quantity=None) -> dict:
    measurement = item.get("measurement") or {}
    weight = (measurement.get("weight") or {}).get("value") or 0
    price = item.get("unit_price") or {}
    value = price.get("value")
    if value is None:
        total = (item.get("total_price") or {}).get("value") or 0
        value = float(total) / max(int(item.get("quantity") or 1), 1)
    return {
        "description": str(item.get("name") or item.get("description") or ""),
        "quantity": int(quantity if quantity is not None else item.get("quantity") or 1),
        "weight": f"{float(weight):.3f}", "value": f"{float(value):.2f}",
        "hs_code": item.get("hs_code") or "", "origin_country": item.get("country_of_origin") or "",
        "sku": item.get("sku") or "", "product_id": item.get("product_id") or "",
        "properties": item.get("properties") or {}, "item_id": item.get("item_id"),
        "return_reason": None, "return_message": None,
    }  # fmt: skip


def _parcels(doc, split, problems) -> list[ParcelSpec]:
    items = (doc.get("order_details") or {}).get("order_items") or []
    if not split:
        weight = ((doc.get("shipping_details") or {}).get("measurement") or {}).get("weight")
        kg = parse_weight(weight, "/weight", Problems()) if weight else 0.0
        converted = [_item(i) for i in items]
        kg = kg or sum(float(i["weight"]) * i["quantity"] for i in converted) or 1.0
        return [ParcelSpec(weight=round(kg, 3), items=converted)]
    if not isinstance(split, list) or len(split) > PARCELS_MAX:
        raise OrderProblem(f"Give 1 to {PARCELS_MAX} parcels.")
    by_id = {str(i.get("item_id")): i for i in items}
    out = []
    for raw in split:
        converted = []
        for ref in raw.get("parcel_items") or []:
            item = by_id.get(str(ref.get("item_id")))
            if item is None:
                raise OrderProblem(f"Item {ref.get('item_id')} is not part of the order.")
            converted.append(_item(item, ref.get("quantity")))
        kg = parse_weight(raw["weight"], "/weight", problems) if raw.get("weight") else 0.0
        kg = kg or sum(float(i["weight"]) * i["quantity"] for i in converted) or 1.0
        dims = parse_dimensions(raw.get("dimensions"), "/dimensions", problems)
        out.append(ParcelSpec(weight=round(kg, 3), dims=dims, items=converted))
    return out


def order_spec(state, body, order: StoredOrder, split=None) -> ShipmentSpec:
    """The shipment for an order, or raises OrderProblem with Sendcloud's reason."""
    doc = order.data
    problems = Problems()
    address = doc.get("shipping_address")
    person, to_echo = parse_to_address(address, "/shipping_address", problems)
    if problems:
        raise OrderProblem("The order has no valid shipping address.")
    from_address = {"sender_address_id": body["sender_address_id"]} if body.get(
        "sender_address_id"
    ) is not None else None  # fmt: skip
    if from_address is None:
        row = state.store.one(
            "SELECT id FROM sender_addresses WHERE account_id = ? ORDER BY id", (g.account_id,)
        )
        from_address = {"sender_address_id": row[0]}
    sender_id, sender, from_echo = parse_from_address(
        state.store, g.account_id, from_address, "/sender_address_id", problems
    )
    if problems:
        raise OrderProblem("Does not exist.")
    ship_with = body.get("ship_with") or (doc.get("shipping_details") or {}).get("ship_with")
    # The order's contract id is not checked: orders may carry one from another source.
    product, ship_echo = parse_product(ship_with, "/ship_with", Problems())
    if product is None:
        raise OrderProblem("The order has no valid shipping option (ship_with).")
    parcels = _parcels(doc, split, problems)
    if problems:
        raise OrderProblem(problems[0][2])
    point = doc.get("service_point_details") or {}
    point_id = point.get("carrier_service_point_id") or point.get("id")
    if product.service_point and not point_id:
        raise OrderProblem(f"A service point is required for shipping option {product.code}.")
    customs_in = doc.get("customs_details") or None
    customs = None
    if customs_in:
        customs = {
            "invoice_number": customs_in.get("commercial_invoice_number") or order.order_number,
            "export_reason": customs_in.get("shipment_type") or "commercial_goods",
            "export_type": customs_in.get("export_type") or "commercial_b2c",
        }
    price = (doc.get("payment_details") or {}).get("total_price")
    customer = doc.get("customer_details") or {}
    spec = ShipmentSpec(
        product=product, sender=sender, person=person, parcels=parcels,
        sender_address_id=sender_id, email=str(to_echo.get("email") or customer.get("email") or ""),
        telephone=str(to_echo.get("phone_number") or customer.get("phone_number") or ""),
        company_name=str(to_echo.get("company_name") or ""), order_number=order.order_number,
        total_order_value=None if not isinstance(price, dict) else str(price.get("value")),
        service_point=point_id, customs=customs, brand_id=body.get("brand_id"),
        label_mime=(body.get("label_details") or {}).get("mime_type") or "application/pdf",
        generation="ship-an-order",
    )  # fmt: skip
    missing = missing_fields(spec)
    if missing:
        raise OrderProblem(f"Shipping option {product.code} needs the recipient's "
                           f"{' and '.join(missing)}.")  # fmt: skip
    if customs_missing(spec):
        raise OrderProblem("Customs details and items with HS code and origin are required for "
                           "shipments outside the EU customs territory.")  # fmt: skip
    spec.v3_overlay = {
        "to_address": to_echo, "from_address": from_echo, "ship_with": ship_echo,
        "customs_information": customs, "brand_id": body.get("brand_id"),
        "total_order_price": price if isinstance(price, dict) else None,
        "to_service_point": {"id": point.get("id"),
                             "carrier_service_point_id": point.get("carrier_service_point_id")}
        if point_id else None,
        "label_details": {"mime_type": spec.label_mime,
                          "dpi": (body.get("label_details") or {}).get("dpi") or 72},
    }  # fmt: skip
    return spec


def _integration_problem(body, prefix):
    integration_id = body.get("integration_id") if isinstance(body, dict) else None
    known = {i["id"] for i in current().accounts.integrations(g.account_id)}
    if not isinstance(integration_id, int):
        return {"status": "400", "code": "required", "detail": "This field is required.",
                "source": {"pointer": f"{prefix}/integration_id"}}  # fmt: skip
    if integration_id not in known:
        return {"status": "400", "code": "invalid",
                "detail": f"Integration with id {integration_id} does not exist",
                "source": {"pointer": f"{prefix}/integration_id"}}  # fmt: skip
    return None


def _unknown_sender(body):
    sender_id = body.get("sender_address_id")
    if sender_id is None:
        return None
    row = current().store.one(
        "SELECT 1 FROM sender_addresses WHERE id = ? AND account_id = ?",
        (sender_id if isinstance(sender_id, int) else -1, g.account_id),
    )
    if row:
        return None
    return {"status": "404", "code": "invalid", "detail": "Does not exist.",
            "source": {"pointer": f"{ASYNC_PREFIX}/sender_address_id"}}  # fmt: skip


@bp.post("/orders/create-labels-async")
def create_labels_async():
    state = current()
    body, error = body_or_error()
    if error:
        return error
    problem = _integration_problem(body, ASYNC_PREFIX)
    if problem:
        return json_response({"errors": [problem]}, 400)
    orders = body.get("orders")
    if not isinstance(orders, list) or not orders or len(orders) > ORDERS_MAX:
        detail = f"Give 1 to {ORDERS_MAX} orders."
        error = {"status": "400", "code": "invalid", "detail": detail,
                 "source": {"pointer": f"{ASYNC_PREFIX}/orders"}}  # fmt: skip
        return json_response({"errors": [error]}, 400)
    sender = _unknown_sender(body)
    if sender:
        return json_response({"errors": [sender]}, 202)  # listed under the 202 examples
    data, errors = [], []
    for index, selector in enumerate(orders):
        pointer = f"{ASYNC_PREFIX}/orders/[{index}]"
        try:
            order = _find_order(state, body["integration_id"], selector)
            spec = order_spec(state, body, order, selector.get("parcels"))
        except OrderProblem as exc:
            errors.append(_order_error(str(exc), pointer))
            continue
        refusal = carrier_refusal(spec)
        seq = insert(state, g.account_id, g.integration_id, spec, 1001, announce_error=refusal)
        progression().track_new_shipment(seq, 1002 if refusal else 1000)
        shipment = shipment_json(state, seq)
        ids = [p["id"] for p in shipment["parcels"]]
        data.append({
            "parcel_id": ids[0], "parcels_ids": ids, "shipment_id": shipment["id"],
            "order_id": order.order_id, "order_number": order.order_number,
            "ship_with": shipment["ship_with"],
        })  # fmt: skip
    return json_response({"data": data, "errors": errors}, 202)


@bp.post("/orders/create-label-sync")
def create_label_sync():
    state = current()
    body, error = body_or_error()
    if error:
        return error
    problem = _integration_problem(body, "/data/attributes")
    if problem:
        return json_response({"errors": [problem]}, 400)
    pointer = "/data/attributes/order"
    try:
        order = _find_order(state, body["integration_id"], body.get("order"))
        spec = order_spec(state, body, order)
    except OrderProblem as exc:
        return json_response({"errors": [_order_error(str(exc), pointer)]}, 400)
    refusal = carrier_refusal(spec)
    if refusal:
        error = {"status": "400", "code": "parcel_announcement_error", "title": "Invalid order",
                 "detail": refusal, "source": {"pointer": pointer}}  # fmt: skip
        return json_response({"errors": [error]}, 400)
    seq = insert(state, g.account_id, g.integration_id, spec, 1000)
    progression().track_new_shipment(seq)
    shipment = shipment_json(state, seq)
    parcels = parcels_of(state.store, seq)
    mime = label_format(parcels[0], spec.label_mime)
    file, mime = label_bytes(parcels, mime)
    rendered = shipment["parcels"][0]
    dpi = (body.get("label_details") or {}).get("dpi") or 72
    return json_response({"data": [{
        "parcel_id": rendered["id"], "shipment_id": shipment["id"], "order_id": order.order_id,
        "order_number": order.order_number, "ship_with": shipment["ship_with"],
        "tracking_number": rendered["tracking_number"], "tracking_url": rendered["tracking_url"],
        "label": {"file": base64.b64encode(file).decode(), "mime_type": mime, "dpi": dpi},
        "documents": [{k: d[k] for k in ("type", "size", "link")} for d in rendered["documents"]],
    }]}, 201)  # fmt: skip
