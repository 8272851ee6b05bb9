"""Stored returns → the v3 return object (and the older v2 one)."""

import json

from . import catalogue as cat
from .render_parcels import Parcel, tracking_url
from .seed_data import RETURN_REASONS as SEEDED_REASONS
from .timefmt import epoch_ms, iso_local

SLUG_TO_ID = {cat.status_slug(sid): sid for sid, _, _ in cat.STATUSES}
# The seeded reasons are a subset of the API's table; created returns may carry any of it.
RETURN_REASONS = {**SEEDED_REASONS, **{
    3: "Other", 6: "Did not match website description", 7: "Wrong product shipped",
    8: "No reason", 9: "Rent", 10: "Does not work", 12: "Did not meet expectations",
    13: "Excessive amount", 14: "Better price available", 15: "Accidental order",
    16: "No longer needed", 17: "Sample products", 18: "Looks different than expected",
    19: "Ordered more than one size", 20: "Arrived too late", 23: "Does not suit me",
    24: "Incorrect product received", 25: "Parcel damaged on arrival",
    27: "Wrong colour ordered", 28: "Does not function as expected",
    29: "Recycle or reuse packaging", 30: "Size too large", 31: "Size too small",
    32: "Holiday season return",
}}  # fmt: skip
DELIVERED = {"delivered"}


class Return:
    __slots__ = ("id", "created_at", "slug", "data")

    def __init__(self, row):
        self.id, self.created_at, self.slug, data = row
        self.data = json.loads(data)

    @property
    def outgoing_parcel_id(self) -> int | None:
        return self.data.get("outgoing_parcel_id")

    @property
    def delivered_at(self):
        if self.slug in DELIVERED:
            return self.created_at + self.data["delivered_after"]
        return None


RETURN_COLUMNS = "id, created_at, status_slug, data"
# A return belongs to the integration whose keys created it (reference v3 §2.1); the lists are
# scoped to the caller like v3 shipments (§6.5) [INF: the reference does not say it of returns].
# Returns without an integration (portal returns) are listed for every key pair. Takes the
# caller's integration id twice.
RETURN_SCOPE = "COALESCE(json_extract(data, '$.integration_id'), ?) = ?"


def _v3_address(person, email=None, name=None):
    return {
        "name": name or person.get("name") or person.get("contact_name"),
        "address_line_1": person["street"],
        "address_line_2": "",
        "house_number": person["house_number"],
        "postal_code": person["postal_code"],
        "city": person["city"],
        "country_code": person["country"],
        "email": email or person.get("email"),
    }


def _links(base, parcel_id):
    link = f"{base}/api/v3/parcels/{parcel_id}/documents/label"
    return link, {"label_printer": link, "normal_printer": [f"{link}?paper_size=a4"] * 4}


def _tracking(base, r: Return):
    d = r.data
    carrier = d.get("ship_with", "dhl:retoure/return").split(":")[0]
    return (
        f"{base}/tracking/forward?carrier={carrier}&code={d['tracking_number']}"
        f"&destination={d['warehouse']['country']}&lang=en-us&type=parcel"
    )


def _history(r: Return) -> list:
    steps = r.data.get("history") or [[r.slug, r.created_at]]
    return [
        {
            "carrier_update_timestamp": iso_local(at),
            "parcel_status_history_id": f"{r.id}" if n == 0 else f"{r.id}-{n}",
            "parent_status": slug,
            "carrier_code": r.data.get("ship_with", "dhl").split(":")[0],
            "carrier_message": cat.STATUS_BY_ID[SLUG_TO_ID[slug]][1],
        }
        for n, (slug, at) in enumerate(steps)
    ]


def v3_return(base: str, r: Return) -> dict:
    """The v3 Return object. ``id`` is not in Sendcloud's schema (reference v3 §17) but
    ``GET /returns/{id}`` needs it; we add it, a lenient client ignores it."""
    d = r.data
    label_url, label = _links(base, d["parcel_id"])
    delivered = r.delivered_at
    to_address = _v3_address(d["warehouse"], name=d["warehouse"]["company_name"])
    to_address["po_box"] = ""
    to_address["state_province_code"] = None
    return {
        "id": r.id,
        "created_at": iso_local(r.created_at),
        "is_cancellable": r.slug in ("ready-to-send", "announced"),
        "label_cost": {"value": d["label_cost"], "currency": "EUR"},
        "delivered_at": epoch_ms(delivered),
        "delivered_at_iso": iso_local(delivered),
        "shipping_product": {"code": d.get("ship_with", "dhl:retoure/return").split("/")[0]},
        "shipping_option": {"code": d.get("ship_with", "dhl:retoure/return")},
        "collo_count": 1,
        "brand_id": d["brand_id"],
        "tracking_number": d["tracking_number"],
        "dimensions": {"length": 30, "width": 20, "height": 10, "unit": "cm"},
        "parcel_items": [
            {
                "description": i["description"],
                "quantity": i["quantity"],
                "weight": {"value": float(i["weight"]), "unit": "kg"},
                "price": {"value": float(i["value"]), "currency": "EUR"},
                "hs_code": i["hs_code"],
                "origin_country": i["origin_country"],
                "sku": i["sku"],
                "product_id": i["product_id"],
                "item_id": i["item_id"],
                "variant_id": None,
                "return_reason": {
                    "id": i.get("reason") or d["reason"],
                    "description": RETURN_REASONS[i.get("reason") or d["reason"]],
                },
            }  # fmt: skip
            for i in d["items"]
        ],
        "insurance": False,
        "label_url": label_url,
        "label": label,
        "tracking_url": _tracking(base, r),
        "send_tracking_emails": False,
        "weight": {"value": d["weight"], "unit": "kg"},
        "from_address": _v3_address(
            d["customer"], email=d["customer"].get("email") or "retoure@example.com"
        ),
        "to_address": to_address,
        "reason": {"id": d["reason"], "description": RETURN_REASONS[d["reason"]]},
        "refund": {"refund_type": d["refund"], "message": ""},
        "return_fee": {"value": 0.0, "currency": "EUR"},
        "order_number": d["order_number"],
        "status_history": _history(r),
        "customs_invoice_nr": "",
        "customs_shipment_type": 4,
        "status": "open",
        "delivery_option": d.get("delivery_option", "drop_off_point"),
        "images": [],
        # Documented in v3 §10.4, absent from the official example.
        "contract": cat.CONTRACTS["dhl"],
        "customs_information": None,
        "errors": [],
    }


def v2_parcel_data(base: str, parcel: Parcel, brand_name: str | None) -> dict:
    """The outgoing parcel inside a v2 return (``outgoing_parcel_data``, reference v2 §5.9)."""
    sender = parcel.shipment["sender"]
    return {
        "tracking_url": tracking_url(base, parcel) if parcel.announced else None,
        "tracking_number": parcel.tracking_number,
        "parcel_status": parcel.status_id,
        "global_status_slug": cat.status_slug(parcel.status_id),
        "brand_name": brand_name,
        "order_number": parcel.order_number,
        "from_email": sender["email"],
        "deleted": False,
        "collo_count": parcel.data["collo_count"],
        "from_country": sender["country"],
        "from_name": sender["company_name"],
        "shipping_method": parcel.data["method_id"],
        "extra_data": {},
        "rules": [],
        "customs_information": None,
    }


def v2_return(base: str, r: Return, outgoing: Parcel | None = None, brands=None) -> dict:
    """The v2 return; ``outgoing`` is its outgoing parcel, ``brands`` brand names by id."""
    d = r.data
    status_id = SLUG_TO_ID[r.slug]
    status = {
        "id": status_id,
        "message": cat.STATUS_BY_ID[status_id][1],
        "global_status_slug": r.slug,
    }
    items_cost = round(sum(float(i["value"]) * i["quantity"] for i in d["items"]), 2)
    return {
        "id": r.id,
        "created_at": iso_local(r.created_at),
        "reason": d["reason"],
        "outgoing_parcel": outgoing.id if outgoing else None,
        "incoming_parcel": d["parcel_id"],
        "message": "",
        "refund": {
            "total_refund": f"{items_cost:.2f}",
            "refunded_at": None,
            "message": "",
            "refund_type": {
                "code": d["refund"],
                "label": d["refund"].title(),
                "require_message": False,
            },
        },  # fmt: skip
        "is_cancellable": r.slug in ("ready-to-send", "announced"),
        "return_fee": None,
        "return_fee_currency": None,
        "label_cost": f"{d['label_cost']:.2f}",
        "label_currency": "EUR",
        "items_cost": f"{items_cost:.2f}",
        "delivered_at": iso_local(r.delivered_at),
        "delivery_option": "drop_off_point",
        "store_location": None,
        "outgoing_parcel_data": v2_parcel_data(
            base, outgoing, (brands or {}).get(outgoing.shipment["brand_id"])
        )
        if outgoing
        else None,
        "incoming_parcel_data": {
            "tracking_url": _tracking(base, r),
            "tracking_number": d["tracking_number"],
            "parcel_status": status_id,
            "global_status_slug": r.slug,
            "brand_name": (brands or {}).get(d["brand_id"]),
            "order_number": d["order_number"],
            "from_email": "retoure@example.com",
            "deleted": False,
            "collo_count": 1,
            "from_country": d["customer"]["country"],
            "from_name": d["customer"]["name"],
            "shipping_method": None,
            "extra_data": {},
            "rules": [],
            "customs_information": None,
        },  # fmt: skip
        "incoming_parcel_status": status,
        "images": [],
        "rule_modifications": [],
    }
