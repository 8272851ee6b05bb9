"""Returns created through the v3 API: checking the body, storing, label, status journey.

A created return is a row of the ``returns`` table, in the same JSON shape as the seeded ones
(``render_returns`` draws both). Its incoming parcel is not a row of ``parcels``: v3 shipments
are outgoing only (reference v3 §6), so the return's label and statuses live here. Statuses move
on the sandbox clock (``returns_run_due``, driven by the parcel progression) and every step sends
the signed ``parcel_status_changed`` webhook with the v2 parcel shape and ``is_return: true``
(reference v2 §7.1, v3 §13.1); creation sends ``return_created``.
"""

import json
import random
import re

from . import catalogue as cat
from .render_returns import SLUG_TO_ID
from .timefmt import epoch_ms, iso_local

# reference v3 §10.1 (our paraphrase of Sendcloud's table, as the reference gives it)
RETURN_REASONS = {
    1: "Product did not match expectations",
    3: "Other",
    4: "Incorrect product ordered",
    6: "Did not match website description",
    7: "Wrong product shipped",
    8: "No reason",
    9: "Rent",
    10: "Does not work",
    11: "Changed my mind",
    12: "Did not meet expectations",
    13: "Excessive amount",
    14: "Better price available",
    15: "Accidental order",
    16: "No longer needed",
    17: "Sample products",
    18: "Looks different than expected",
    19: "Ordered more than one size",
    20: "Arrived too late",
    21: "Poor quality / faulty",
    22: "Does not fit properly",
    23: "Does not suit me",
    24: "Incorrect product received",
    25: "Parcel damaged on arrival",
    26: "Wrong size ordered",
    27: "Wrong colour ordered",
    28: "Does not function as expected",
    29: "Recycle or reuse packaging",
    30: "Size too large",
    31: "Size too small",
    32: "Holiday season return",
}
DELIVERY_OPTIONS = ("drop_off_point", "drop_off_labelless", "pickup", "in_store")
REFUND_TYPES = ("money", "credit", "exchange")
CANCELLABLE = ("ready-to-send", "announced")
HOUR = 3600.0
# The journey of a return parcel after its label: (slug, hours after the previous step).
JOURNEY = [("announced", 1), ("to-sorting", 4), ("shipment-on-route", 6),
           ("driver-on-route", 8), ("delivered", 3)]  # fmt: skip
POSTAL = {"DE": r"\d{5}", "AT": r"\d{4}", "NL": r"\d{4} ?[A-Z]{2}", "BE": r"\d{4}",
          "FR": r"\d{5}", "CH": r"\d{4}"}  # fmt: skip
DUPLICATE = "External reference has already been used in another return."


class Invalid(Exception):
    """One problem with a return body: ``field`` (dotted path), ``message``, ``code``."""

    def __init__(self, field, message, code="invalid"):
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


def _text(body, path):
    value = body
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value.strip() if isinstance(value, str) else value


def _address(body, name):
    address = body.get(name)
    if not isinstance(address, dict):
        raise Invalid(name, "This field is required.", "required")
    for key in ("name", "address_line_1", "postal_code", "city", "country_code"):
        if not _text(address, key):
            raise Invalid(f"{name}.{key}", "This field is required.", "required")
    country = str(address["country_code"]).upper()
    if country not in cat.COUNTRY:
        raise Invalid(f"{name}.country_code", f'"{country}" is not a valid choice.',
                      "invalid_choice")  # fmt: skip
    return {**address, "country_code": country}


def postal_code_valid(address) -> bool:
    pattern = POSTAL.get(address["country_code"])
    return not pattern or re.fullmatch(pattern, str(address["postal_code"]).strip().upper())


def _number(value, field, minimum=0.0):
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid(field, "A valid number is required.", "invalid")
    try:
        number = float(value)
    except ValueError:
        raise Invalid(field, "A valid number is required.", "invalid") from None
    if number <= minimum:
        raise Invalid(field, f"Ensure this value is greater than {minimum}.", "min_value")
    return number


def _product(body):
    ship_with = body.get("ship_with")
    if not isinstance(ship_with, dict):
        raise Invalid("ship_with", "This field is required.", "required")
    kind = ship_with.get("type") or "shipping_product_code"
    if kind not in ("shipping_option_code", "shipping_product_code"):
        raise Invalid("ship_with.type", f'"{kind}" is not a valid choice.', "invalid_choice")
    code = ship_with.get(kind)
    if not code:
        raise Invalid(f"ship_with.{kind}", "This field is required.", "required")
    products = [p for p in cat.PRODUCTS if p.is_return]
    if kind == "shipping_option_code":
        found = [p for p in products if p.code == code]
    else:
        found = [p for p in products if p.product_code == code]
    if not found:
        raise Invalid(f"ship_with.{kind}", f'"{code}" is not a return shipping option.',
                      "invalid_choice")  # fmt: skip
    return found[0]


def _items(body):
    items = body.get("parcel_items") or []
    if not isinstance(items, list):
        raise Invalid("parcel_items", "Expected a list of items.", "not_a_list")
    out = []
    for n, item in enumerate(items):
        prefix = f"parcel_items.{n}"
        if not isinstance(item, dict):
            raise Invalid(prefix, "Expected an object.", "invalid")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise Invalid(f"{prefix}.quantity", "Ensure this value is greater than or equal "
                          "to 1.", "min_value")  # fmt: skip
        reason = item.get("return_reason_id")
        if reason not in (None, "") and (not str(reason).isdigit()
                                         or int(reason) not in RETURN_REASONS):  # fmt: skip
            raise Invalid(f"{prefix}.return_reason_id", f'"{reason}" is not a valid choice.',
                          "invalid_choice")  # fmt: skip
        weight = _text(item, "weight.value")
        value = _text(item, "value.value") or _text(item, "price.value")
        out.append({
            "description": str(item.get("description") or "")[:255],
            "quantity": quantity,
            "weight": float(weight) if isinstance(weight, int | float) else 0.0,
            "value": float(value) if isinstance(value, int | float) else 0.0,
            "hs_code": item.get("hs_code") or "", "origin_country": item.get("origin_country"),
            "sku": item.get("sku") or "", "product_id": item.get("product_id") or "",
            "item_id": item.get("item_id") or "",
            "reason": int(reason) if reason not in (None, "") else None,
        })  # fmt: skip
    return out


def check(body) -> dict:
    """The normalised return of a create/validate body; raises ``Invalid`` at the first
    problem (Sendcloud's returns bundle reports field by field, v3 §10.1)."""
    if not isinstance(body, dict):
        raise Invalid("non_field_errors", "Invalid data. Expected a dictionary.", "invalid")
    from_address = _address(body, "from_address")
    to_address = _address(body, "to_address")
    product = _product(body)
    weight = body.get("weight")
    if not isinstance(weight, dict):
        raise Invalid("weight", "This field is required.", "required")
    kg = _number(weight.get("value"), "weight.value")
    kg = {"g": kg / 1000, "lbs": kg * 0.4536, "oz": kg * 0.02835}.get(weight.get("unit"), kg)
    if from_address["country_code"] not in product.from_countries:
        raise Invalid("from_address.country_code", f"{product.name} does not collect returns "
                      f"in {from_address['country_code']}.", "invalid")  # fmt: skip
    if to_address["country_code"] not in product.to_countries:
        raise Invalid("to_address.country_code", f"{product.name} does not deliver returns to "
                      f"{to_address['country_code']}.", "invalid")  # fmt: skip
    if kg > product.bands[-1]:
        raise Invalid("weight.value", f"Ensure this value is less than or equal to "
                      f"{product.bands[-1]}.", "max_value")  # fmt: skip
    option = body.get("delivery_option")
    if option not in (None, *DELIVERY_OPTIONS):
        raise Invalid("delivery_option", f'"{option}" is not a valid choice.', "invalid_choice")
    reference = body.get("external_reference")
    if reference is not None and not isinstance(reference, str):
        raise Invalid("external_reference", "Not a valid string.", "invalid")
    return {
        "from_address": from_address, "to_address": to_address, "product": product,
        "weight": round(kg, 3), "items": _items(body), "delivery_option": option,
        "external_reference": reference or None,
        "order_number": str(body.get("order_number") or ""),
        "brand_id": body.get("brand_id"), "dimensions": body.get("dimensions"),
    }  # fmt: skip


def validation_echo(checked) -> dict:
    """`POST /returns/validate` 200: the normalised return; weight a plain number in kg and
    dimensions plain numbers in cm (v3 §10.3)."""
    dims = checked["dimensions"] if isinstance(checked["dimensions"], dict) else {}
    return {
        "from_address": checked["from_address"],
        "to_address": checked["to_address"],
        "ship_with": {
            "type": "shipping_option_code",
            "shipping_option_code": checked["product"].code,
        },  # fmt: skip
        "weight": checked["weight"],
        "dimensions": {k: dims.get(k) for k in ("length", "width", "height")} if dims else None,
        "collo_count": 1,
        "parcel_items": [
            {
                "description": i["description"],
                "quantity": i["quantity"],
                "sku": i["sku"],
                "return_reason_id": str(i["reason"]) if i["reason"] else None,
            }
            for i in checked["items"]
        ],  # fmt: skip
        "order_number": checked["order_number"],
        "external_reference": checked["external_reference"],
        "delivery_option": checked["delivery_option"],
    }


def reference_taken(store, account_id, reference) -> bool:
    if not reference:
        return False
    return store.one(
        "SELECT 1 FROM returns WHERE account_id = ? AND"
        " json_extract(data, '$.external_reference') = ?",
        (account_id, reference),
    ) is not None  # fmt: skip


def _person(address) -> dict:
    return {
        "name": address.get("name"), "company_name": address.get("company_name") or "",
        "street": address["address_line_1"], "house_number": address.get("house_number") or "",
        "postal_code": address["postal_code"], "city": address["city"],
        "country": address["country_code"], "email": address.get("email"),
    }  # fmt: skip


def insert(state, account_id, integration_id, checked, refund="money") -> tuple[int, int]:
    """Store the return (ready to send, label and tracking at once); (return id, parcel id).
    The reference check and the insert share one write transaction, so two requests with one
    reference never both succeed."""
    product = checked["product"]
    now = state.clock.now()
    with state.store.write() as conn:
        reference = checked["external_reference"]
        if reference and conn.execute(
            "SELECT 1 FROM returns WHERE account_id = ? AND"
            " json_extract(data, '$.external_reference') = ?",
            (account_id, reference),
        ).fetchone():  # fmt: skip
            raise Invalid("external_reference", DUPLICATE, "invalid")
        return_id = state.store.next_ids(conn, "returns")
        parcel_id = 900000000 + return_id
        tracking = cat.TRACKING_PREFIX[product.carrier] + str(
            random.Random(f"return:{return_id}").randint(10**9, 10**10 - 1)
        )
        reasons = [i["reason"] for i in checked["items"] if i["reason"]]
        data = {
            "warehouse": {**_person(checked["to_address"]),
                          "company_name": checked["to_address"].get("company_name")
                          or checked["to_address"]["name"]},  # fmt: skip
            "customer": _person(checked["from_address"]),
            "slug": "ready-to-send", "reason": reasons[0] if reasons else 8,
            "brand_id": checked["brand_id"], "parcel_id": parcel_id,
            "tracking_number": tracking, "weight": checked["weight"],
            "order_number": checked["order_number"], "refund": refund,
            "label_cost": product.base_price,
            "delivered_after": 0.0, "items": checked["items"],
            "integration_id": integration_id, "external_reference": reference,
            "ship_with": product.code, "delivery_option": checked["delivery_option"]
            or "drop_off_point",
            "history": [["ready-to-send", now]],
        }  # fmt: skip
        conn.execute(
            "INSERT INTO returns VALUES (?,?,?,?,?)",
            (return_id, account_id, now, "ready-to-send", json.dumps(data)),
        )
    return return_id, parcel_id


def load(state, return_id, account_id=None):
    sql = "SELECT id, account_id, created_at, status_slug, data FROM returns WHERE id = ?"
    params = [return_id]
    if account_id is not None:
        sql += " AND account_id = ?"
        params.append(account_id)
    row = state.store.one(sql, params)
    if row is None:
        return None
    return {"id": row[0], "account_id": row[1], "created_at": row[2], "slug": row[3],
            "data": json.loads(row[4])}  # fmt: skip


def by_parcel(state, parcel_id, account_id):
    row = state.store.one(
        "SELECT id FROM returns WHERE account_id = ? AND json_extract(data, '$.parcel_id') = ?",
        (account_id, parcel_id),
    )
    return load(state, row[0]) if row else None


def set_slug(state, return_id, slug, at=None):
    """Move a return's parcel to ``slug`` and send the signed status webhook."""
    r = load(state, return_id)
    at = state.clock.now() if at is None else at
    r["data"].setdefault("history", []).append([slug, at])
    if slug == "delivered":
        r["data"]["delivered_after"] = at - r["created_at"]
    with state.store.write() as conn:
        conn.execute(
            "UPDATE returns SET status_slug = ?, data = ? WHERE id = ?",
            (slug, json.dumps(r["data"]), return_id),
        )
    r["slug"] = slug
    emit_status(state, r, at)
    return r


def webhook_parcel(state, r) -> dict:
    """The return's incoming parcel as a v2 webhook parcel (reference v2 §7.2), is_return."""
    d, base = r["data"], state.base_url()
    status_id = SLUG_TO_ID[r["slug"]]
    customer = d["customer"]
    link = f"{base}/api/v3/parcels/{d['parcel_id']}/documents/label"
    carrier = d.get("ship_with", "dhl:retoure/return").split(":")[0]
    return {
        "id": d["parcel_id"], "name": customer.get("name"),
        "company_name": customer.get("company_name") or "",
        "address": f"{customer['street']} {customer['house_number']}".strip(),
        "address_divided": {"street": customer["street"],
                            "house_number": customer["house_number"]},  # fmt: skip
        "city": customer["city"], "postal_code": customer["postal_code"],
        "country": cat.country_obj(customer["country"]),
        "email": customer.get("email") or "", "telephone": "",
        "status": {"id": status_id, "message": cat.STATUS_BY_ID[status_id][1]},
        "tracking_number": d["tracking_number"],
        "tracking_url": return_tracking_url(base, d),
        "order_number": d.get("order_number") or "",
        "external_reference": d.get("external_reference"),
        "is_return": True, "weight": f"{d['weight']:.3f}",
        "carrier": {"code": carrier, "name": cat.CARRIERS.get(carrier, carrier),
                    "servicepoints_carrier_code": carrier},  # fmt: skip
        "label": {"label_printer": link, "normal_printer": [f"{link}?paper_size=a4"] * 4},
        "date_created": None, "documents": [],
    }  # fmt: skip


def return_tracking_url(base, d) -> str:
    carrier = d.get("ship_with", "dhl:retoure/return").split(":")[0]
    return (
        f"{base}/tracking/forward?carrier={carrier}&code={d['tracking_number']}"
        f"&destination={d['warehouse']['country']}&lang=en-us&type=parcel"
    )


def emit_status(state, r, at):
    integration = state.accounts.integration_by_id(r["data"].get("integration_id"))
    url = state._webhook_target(integration)
    if not url:
        return None
    payload = {
        "action": "parcel_status_changed",
        "parcel": webhook_parcel(state, r),
        "timestamp": epoch_ms(state.clock.now()),
        "carrier_status_change_timestamp": epoch_ms(at),
    }
    return state.outbox.enqueue(
        "parcel_status_changed", payload, url, integration["secret_key"], integration["id"]
    )


def emit_created(state, r):
    """``return_created`` (reference v2 §7.2): emitted for returns created through the API."""
    d = r["data"]
    integration = state.accounts.integration_by_id(d.get("integration_id"))
    url = state._webhook_target(integration)
    if not url:
        return None
    payload = {
        "action": "return_created",
        "timestamp": epoch_ms(state.clock.now()),
        "data": {
            "id": r["id"], "brand_id": d.get("brand_id"), "order_number": d.get("order_number"),
            "return_reason_id": d.get("reason"), "return_address_id": None,
            "paid_return": False, "delivery_choice": d.get("delivery_option"),
            "refund_type": d.get("refund"),
            "items": [{"item_id": i.get("item_id"), "description": i["description"],
                       "quantity": i["quantity"], "sku": i.get("sku"),
                       "hs_code": i.get("hs_code"), "return_reason_id": i.get("reason")}
                      for i in d["items"]],
        },
    }  # fmt: skip
    return state.outbox.enqueue(
        "return_created", payload, url, integration["secret_key"], integration["id"]
    )


# -- status journey on the sandbox clock -------------------------------------------------------
# One row per return with a journey ahead (like ``progress`` for parcels): a row is written in
# one statement, so a plan scheduled by a request never overwrites another return's.
PROGRESS_TABLE = """CREATE TABLE IF NOT EXISTS return_progress (
    return_id INTEGER PRIMARY KEY, due_at REAL NOT NULL, plan TEXT NOT NULL)"""


def _progress_table(state):
    store = state.store
    if not getattr(store, "_return_progress", False):
        with store.write() as conn:
            conn.execute(PROGRESS_TABLE)
        store._return_progress = True


def schedule(state, return_id, plan, start=None):
    """``plan``: [[slug, delay seconds], …] from ``start`` (now by default)."""
    _progress_table(state)
    start = state.clock.now() if start is None else start
    with state.store.write() as conn:
        if plan:
            conn.execute(
                "INSERT OR REPLACE INTO return_progress (return_id, due_at, plan) VALUES (?,?,?)",
                (return_id, start + plan[0][1], json.dumps(plan)),
            )
        else:
            conn.execute("DELETE FROM return_progress WHERE return_id = ?", (return_id,))


def journey_plan(settings) -> list:
    scale = settings.get("time_scale", 1.0)
    return [[slug, hours * HOUR * scale] for slug, hours in JOURNEY]


def returns_run_due(state, limit: int = 500) -> list[dict]:
    """Apply every due step of every return journey (several after a clock jump)."""
    _progress_table(state)
    now = state.clock.now()
    rows = state.store.query(
        "SELECT return_id, due_at, plan FROM return_progress WHERE due_at <= ?"
        " ORDER BY due_at LIMIT ?",
        (now, limit),
    )
    done = []
    for return_id, due_at, plan_text in rows:
        plan = json.loads(plan_text)
        while plan and due_at <= now:
            slug = plan.pop(0)[0]
            if load(state, return_id) is None:
                plan = []
                break
            set_slug(state, return_id, slug, due_at)
            done.append({"return_id": return_id, "status": slug})
            if plan:
                due_at += plan[0][1]
        with state.store.write() as conn:
            if plan:
                conn.execute(
                    "UPDATE return_progress SET due_at = ?, plan = ? WHERE return_id = ?",
                    (due_at, json.dumps(plan), return_id),
                )
            else:
                conn.execute("DELETE FROM return_progress WHERE return_id = ?", (return_id,))
    return done


class LabelParcel:
    """A return as the label drawer (`labels_pdf`) sees a parcel: from the customer to the
    warehouse, with the return's tracking number."""

    def __init__(self, r):
        d = r["data"]
        self.id = d["parcel_id"]
        self.tracking_number = d["tracking_number"]
        self.order_number = d.get("order_number")
        self.created_at = r["created_at"]
        self.announced_at = r["created_at"]
        customer = d["customer"]
        self.shipment = {
            "carrier": d.get("ship_with", "dhl:retoure/return").split(":")[0],
            "ship_with": d.get("ship_with", "dhl:retoure/return"),
            "person": {**d["warehouse"], "name": d["warehouse"]["company_name"]},
            "sender": {
                "contact_name": customer.get("name"),
                "company_name": customer.get("company_name") or "",
                "street": customer["street"],
                "house_number": customer["house_number"],
                "postal_code": customer["postal_code"],
                "city": customer["city"],
                "country": customer["country"],
            },  # fmt: skip
        }
        self.data = {"collo_nr": 0, "collo_count": 1, "weight": d["weight"]}


def history(r) -> list:
    return [
        {"carrier_update_timestamp": iso_local(at), "parcel_status_history_id": f"{r['id']}-{n}",
         "parent_status": slug, "carrier_code": r["data"].get("ship_with", "dhl").split(":")[0],
         "carrier_message": cat.STATUS_BY_ID[SLUG_TO_ID[slug]][1]}
        for n, (slug, at) in enumerate(r["data"].get("history") or [])
    ]  # fmt: skip
