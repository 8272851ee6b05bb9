"""Stored parcels and shipments → the v2 parcel, the v3 shipment and the webhook parcel."""

import json
import random
from urllib.parse import quote_plus

from . import catalogue as cat
from .timefmt import iso_z, v2_datetime

PARCEL_COLUMNS = (
    "p.id, p.integration_id, p.status_id, p.tracking_number, p.external_reference,"
    " p.order_number, p.created_at, p.updated_at, p.announced_at, p.data, s.id, s.data, s.seq"
)
PARCEL_FROM = "parcels p JOIN shipments s ON s.seq = p.shipment_seq"
# Stored renderings carry this token where the base URL goes; responses substitute it.
BASE_TOKEN = "{{sandbox-base}}"
QUANTITY_STATUSES = {999, 1002}


class Parcel:
    __slots__ = (
        "id", "integration_id", "status_id", "tracking_number", "external_reference",
        "order_number", "created_at", "updated_at", "announced_at", "data", "shipment_id",
        "shipment", "shipment_seq",
    )  # fmt: skip

    def __init__(self, row):
        (self.id, self.integration_id, self.status_id, self.tracking_number,
         self.external_reference, self.order_number, self.created_at, self.updated_at,
         self.announced_at, data, self.shipment_id, shipment, self.shipment_seq) = row  # fmt: skip
        self.data = json.loads(data) if isinstance(data, str) else data
        self.shipment = json.loads(shipment) if isinstance(shipment, str) else shipment

    @property
    def announced(self) -> bool:
        return self.status_id not in cat.UNANNOUNCED


def tracking_url(base, parcel: Parcel) -> str:
    """A tracking-forward URL in Sendcloud's format, served by the sandbox's tracking page."""
    person, sender = parcel.shipment["person"], parcel.shipment["sender"]
    # Built by hand: urlencode() was a third of the time of a 100-shipment page.
    return (
        f"{base}/tracking/forward?carrier={parcel.shipment['carrier']}"
        f"&code={parcel.tracking_number}&destination={person['country']}&lang=en-us"
        f"&source={sender['country']}&type=parcel"
        f"&verification={quote_plus(person['postal_code'])}&servicepoint_verification="
        f"&created_at={iso_z(parcel.created_at)[:10]}"
    )


def _v2_items(items):
    return [dict(item) for item in items]


def v2_parcel(base: str, parcel: Parcel) -> dict:
    """The v2 parcel object, key order as in the 2024 recordings."""
    d, s = parcel.data, parcel.shipment
    person = s["person"]
    method = cat.METHOD_BY_ID[d["method_id"]]
    status_id = parcel.status_id
    announced = parcel.announced
    dims = d["dims"] or [None, None, None]
    documents, label = [], {}
    if announced and parcel.tracking_number:  # cancelled before announcement: no label
        documents = [
            {
                "type": "label",
                "size": "a6",
                "link": f"{base}/api/v2/parcels/{parcel.id}/documents/label",
            }
        ] + [
            {
                "type": kind,
                "size": "a4",
                "link": f"{base}/api/v2/parcels/{parcel.id}/documents/{kind}",
            }
            for kind in d.get("customs_documents", ())
        ]
        label = {
            "normal_printer": [
                f"{base}/api/v2/labels/normal_printer/{parcel.id}?start_from={i}" for i in range(4)
            ],
            "label_printer": f"{base}/api/v2/labels/label_printer/{parcel.id}",
        }
    elif status_id == 1001:
        label = {"normal_printer": None, "label_printer": None}
    out = {
        "id": parcel.id,
        "reference": "0",
        "status": {"id": status_id, "message": cat.STATUS_BY_ID[status_id][1]},
        "tracking_number": parcel.tracking_number,
        "weight": d["weight"],
        "order_number": parcel.order_number,
        "total_insured_value": d["insured_value"],
        "parcel_items": _v2_items(d["items"]),
        "documents": documents,
        "external_reference": parcel.external_reference,
        "is_return": False,
        "note": "",
        "total_order_value": d["total_order_value"],
        "total_order_value_currency": "EUR",
        "length": dims[0],
        "width": dims[1],
        "height": dims[2],
        "contract": cat.CONTRACTS[s["carrier"]],
        "address_divided": {"street": person["street"], "house_number": person["house_number"]},
        "shipment": {"id": method.id, "name": method.name},
        "shipping_method": method.id,
        "shipping_method_checkout_name": d["checkout_name"],
        "insured_value": d["insured_value"],
        "shipment_uuid": parcel.shipment_id,
        "data": {},
        "type": None if status_id == 999 else ("letter" if method.product.letter else "parcel"),
        "external_order_id": str(parcel.id),
        "external_shipment_id": "",
    }
    # `quantity` only on parcels not (successfully) announced: in the 2024 recording of
    # GET /parcels all ten 1002 parcels carry it, none of the ninety others [INF from REC].
    # An unannounced multicollo request is one parcel with its collo count as quantity.
    if status_id in QUANTITY_STATUSES:
        out["quantity"] = d.get("quantity", 1)
    out.update({
        "colli_uuid": d["colli_uuid"],
        "collo_nr": d["collo_nr"],
        "collo_count": d["collo_count"],
        "label": label,
        "customs_declaration": {},
        "to_state": person["to_state"],
        "date_created": v2_datetime(parcel.created_at),
        "date_announced": v2_datetime(parcel.announced_at),
        "date_updated": v2_datetime(parcel.updated_at),
        "awb_tracking_number": None,
        "box_number": None,
        "customs_invoice_nr": d["customs_invoice_nr"],
        "customs_shipment_type": 2 if s["international"] else None,
        "address": f"{person['street']} {person['house_number']}",
        "address_2": "",
        "city": person["city"],
        "company_name": d["company_name"],
        "country": cat.country_obj(person["country"]),
        "email": d["email"],
        "name": person["name"],
        "postal_code": person["postal_code"],
        "telephone": d["telephone"],
        "to_post_number": "",
        "to_service_point": None,
        "carrier": {"code": s["carrier"]},
    })  # fmt: skip
    if d["collo_count"] > 1:
        out["colli_tracking_number"] = colli_tracking_number(parcel)
    # Not-announced and failed parcels carry no tracking_url key at all (reference §9.9).
    if status_id == 1001:
        out["tracking_url"] = None
    elif announced:
        out["tracking_url"] = tracking_url(base, parcel)
    out.update(d.get("v2_overlay") or {})  # what a created parcel echoes from its request
    return out


def colli_tracking_number(parcel: Parcel) -> str | None:
    """The number that tracks all collos of a multicollo shipment together, once announced;
    ``None`` for a single parcel (the webhook sample) [INF: derived from the first collo's id,
    the collos of one shipment have consecutive ids]."""
    if parcel.data["collo_count"] < 2 or not parcel.tracking_number:
        return None
    first = parcel.id - parcel.data["collo_nr"]
    digits = random.Random(f"colli:{first}").randint(10**9, 10**10 - 1)
    return cat.TRACKING_PREFIX[parcel.shipment["carrier"]] + str(digits)


def webhook_parcel(base: str, parcel: Parcel) -> dict:
    """v2 parcel plus the keys only seen in webhook bodies (reference §7.2)."""
    out = v2_parcel(base, parcel)
    out.pop("quantity", None)  # not in the logged webhook body
    s = parcel.shipment
    out["insured_value"] = float(out["insured_value"])
    out["total_insured_value"] = float(out["total_insured_value"])
    if not out["label"]:
        out["label"] = {"normal_printer": None, "label_printer": None}
    out.setdefault("tracking_url", None)
    out["carrier"] = {
        "code": s["carrier"],
        "name": cat.CARRIERS[s["carrier"]],
        "servicepoints_carrier_code": s["carrier"],
    }
    out.update({
        "colli_tracking_number": colli_tracking_number(parcel),
        "track_trace_notifications": True,
        "from_country": cat.country_obj(s["sender"]["country"]),
        "from_postal_code": s["sender"]["postal_code"],
        "date_shipped": v2_datetime(parcel.announced_at) if parcel.announced else None,
        "house_number": s["person"]["house_number"], "suppressed_statuses": [],
        "should_send_feedback": True, "source": "api_v2:bucket", "extra_data": {},
    })  # fmt: skip
    return out


def v3_address_from_sender(sender: dict) -> dict:
    return {
        "address_line_1": sender["street"],
        "address_line_2": "",
        "city": sender["city"],
        "company_name": sender["company_name"],
        "country_code": sender["country"],
        "email": sender["email"],
        "house_number": sender["house_number"],
        "name": sender["contact_name"],
        "phone_number": sender["telephone"],
        "postal_code": sender["postal_code"],
        "po_box": None,
    }


def _v3_to_address(parcel: Parcel) -> dict:
    person = parcel.shipment["person"]
    return {
        "address_line_1": person["street"],
        "address_line_2": "",
        "city": person["city"],
        "company_name": parcel.data["company_name"],
        "country_code": person["country"],
        "email": parcel.data["email"],
        "house_number": person["house_number"],
        "name": person["name"],
        "phone_number": parcel.data["telephone"] or None,
        "postal_code": person["postal_code"],
        "po_box": None,
    }


def _v3_item(item: dict) -> dict:
    return {
        "item_id": item["item_id"], "description": item["description"],
        "quantity": item["quantity"],
        "weight": {"value": float(item["weight"]), "unit": "kg"},
        "price": {"value": item["value"], "currency": "EUR"}, "hs_code": item["hs_code"],
        "origin_country": item["origin_country"], "sku": item["sku"],
        "product_id": item["product_id"], "mid_code": None, "material_content": None,
        "intended_use": None, "dds_reference": None, "taric_doc_code": None,
        "manufacturer_product_id": None, "manufacturer_product_id_std": None,
        "properties": item["properties"],
    }  # fmt: skip


def v3_parcel(base: str, parcel: Parcel) -> dict:
    d = parcel.data
    code, message = cat.STATUS_BY_ID[parcel.status_id]
    dims = d["dims"]
    documents = []
    if parcel.announced and parcel.tracking_number:
        link = f"{base}/api/v3/parcels/{parcel.id}/documents/label"
        documents = [{"type": "label", "document_type": "label", "size": "a6", "link": link}]
        if d.get("customs_documents"):
            customs = f"{base}/api/v3/parcels/{parcel.id}/documents/customs-declaration"
            documents.append({
                "type": d["customs_documents"][0], "document_type": "customs-declaration",
                "size": "a4", "link": customs,
            })  # fmt: skip
    out = {
        "id": parcel.id,
        "status": {"code": code, "message": message},
        "documents": documents,
        "dimensions": None
        if dims is None
        else {"width": dims[1], "length": dims[0], "height": dims[2], "unit": "cm"},
        "weight": {"value": d["weight"], "unit": "kg"},
        "tracking_url": tracking_url(base, parcel) if parcel.announced else None,
        "tracking_number": parcel.tracking_number,
        "additional_carrier_data": {"awb_tracking_number": None, "box_number": None},
        "created_at": iso_z(parcel.created_at),
        "updated_at": iso_z(parcel.updated_at),
        "announced_at": iso_z(parcel.announced_at),
        "label_notes": list(d.get("label_notes") or []),
        "package_type": None,
        "parcel_items": [_v3_item(i) for i in d["items"]],
        "additional_insured_price": None,
        "sscc": None,
    }
    out.update(d.get("v3_overlay") or {})  # what a created parcel echoes from its request
    return out


def v3_shipment(base: str, parcels: list[Parcel]) -> dict:
    """One shipment-response from its parcels (all share the shipment's data)."""
    first = parcels[0]
    s = first.shipment
    customs = None
    if s["international"]:
        customs = {
            "invoice_number": first.data["customs_invoice_nr"],
            "export_reason": "commercial_goods",
            "export_type": "commercial_b2c",
        }
    out = {
        "id": first.shipment_id,
        "from_address": v3_address_from_sender(s["sender"]),
        "to_address": _v3_to_address(first),
        "ship_with": {
            "type": "shipping_option_code",
            "properties": {
                "shipping_option_code": s["ship_with"],
                "contract_id": cat.CONTRACTS[s["carrier"]],
            },
        },
        "carrier": {"code": s["carrier"], "name": cat.CARRIERS[s["carrier"]]},
        "customs_information": customs,
        "errors": [],
        "order_number": first.order_number,
        "total_order_price": {"currency": "EUR", "value": s["total_order_price"]},
        "reference": None,
        "external_reference_id": None,
        "brand_id": s["brand_id"],
        "to_service_point": None,
        "label_details": {"mime_type": "application/pdf", "dpi": 72},
        "parcels": [v3_parcel(base, p) for p in parcels],
    }
    out.update(s.get("v3_overlay") or {})  # what a created shipment echoes from its request
    return out


def v3_shipment_text(parcels: list[Parcel]) -> str:
    """The stored rendering of a shipment: compact JSON with ``BASE_TOKEN`` for the base URL.

    Rendering a page of 100 shipments per request dominated a full walk; shipments are
    rendered when they are written (seeding, status changes) and served as stored text.
    """
    return json.dumps(v3_shipment(BASE_TOKEN, parcels), separators=(",", ":"))
