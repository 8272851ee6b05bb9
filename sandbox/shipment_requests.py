"""v3 shipment request bodies (reference v3 §6.1, §6.2) → ``ShipmentSpec``, with the field
problems Sendcloud answers 400 for (DRF-style messages, JSON pointers into the body)."""

import json
import math

from . import catalogue as cat
from . import routes
from .render_parcels import v3_address_from_sender
from .service_point_data import point_problem
from .shipments_store import ParcelSpec, ShipmentSpec, normalise_postal, split_street
from .shipping import _kg

REQUIRED = "This field is required."
ADDRESS_REQUIRED = ("name", "address_line_1", "postal_code", "city", "country_code")
ADDRESS_KEYS = (
    "name", "company_name", "address_line_1", "house_number", "address_line_2", "postal_code",
    "city", "po_box", "state_province_code", "country_code", "email", "phone_number",
)  # fmt: skip
DIMENSION_CM = {"cm": 1, "mm": 0.1, "m": 100, "in": 2.54, "ft": 30.48, "yd": 91.44}
ITEM_KEYS = (
    "item_id", "description", "quantity", "weight", "price", "hs_code", "origin_country", "sku",
    "product_id", "mid_code", "material_content", "intended_use", "dds_reference",
    "taric_doc_code", "manufacturer_product_id", "manufacturer_product_id_std", "properties",
)  # fmt: skip
CUSTOMS_NEEDED = "This field is required for shipments outside the EU customs territory."


class Problems(list):
    """(pointer, code, detail) triples; ``prefix`` is put before every pointer."""

    def __init__(self, prefix=""):
        super().__init__()
        self.prefix = prefix

    def add(self, pointer, detail=REQUIRED, code="required"):
        self.append((self.prefix + pointer, code, detail))

    def errors(self) -> list[dict]:
        return [
            {"detail": detail, "status": "400", "source": {"pointer": pointer}, "code": code}
            for pointer, code, detail in self
        ]


def _text(value) -> str:
    return "" if value is None else str(value)


def parse_to_address(address, pointer, problems) -> tuple[dict, dict]:
    """(person for storage, normalised v3 address to echo)."""
    if not isinstance(address, dict):
        problems.add(pointer)
        return {}, {}
    for key in ADDRESS_REQUIRED:
        if not _text(address.get(key)).strip():
            problems.add(f"{pointer}/{key}")
    country = _text(address.get("country_code")).upper()
    if country and country not in cat.COUNTRY:
        problems.add(f"{pointer}/country_code", f'"{country}" is not a valid choice.',
                     "invalid_choice")  # fmt: skip
    street, number = split_street(address.get("address_line_1"), address.get("house_number"))
    postal = normalise_postal(country, _text(address.get("postal_code")))
    person = {
        "name": _text(address.get("name")), "street": street, "house_number": number,
        "postal_code": postal, "city": _text(address.get("city")), "country": country,
        "to_state": address.get("state_province_code") or None,
    }  # fmt: skip
    echo = {key: address.get(key) for key in ADDRESS_KEYS}
    echo.update(
        {
            "address_line_1": street,
            "house_number": number,
            "postal_code": postal,
            "country_code": country,
            "address_line_2": address.get("address_line_2") or "",
        }
    )
    return person, echo


def sender_from_address(address: dict) -> dict:
    """A full ``from_address`` in the stored sender-address format."""
    street, number = split_street(address.get("address_line_1"), address.get("house_number"))
    country = _text(address.get("country_code")).upper()
    return {
        "company_name": _text(address.get("company_name")),
        "contact_name": _text(address.get("name")),
        "email": _text(address.get("email")), "telephone": _text(address.get("phone_number")),
        "street": street, "house_number": number, "postal_box": _text(address.get("po_box")),
        "postal_code": normalise_postal(country, _text(address.get("postal_code"))),
        "city": _text(address.get("city")), "country": country,
        "country_state": address.get("state_province_code"), "vat_number": "",
        "eori_number": "", "brand_id": None, "label": "",
    }  # fmt: skip


def parse_from_address(store, account_id, address, pointer, problems):
    """(sender_address_id, sender, echo) from an id or a full address."""
    if not isinstance(address, dict):
        problems.add(pointer)
        return None, {"country": ""}, {}
    if address.get("sender_address_id") is not None:
        sender_id = address["sender_address_id"]
        row = None
        if isinstance(sender_id, int):
            row = store.one(
                "SELECT data FROM sender_addresses WHERE id = ? AND account_id = ?",
                (sender_id, account_id),
            )
        if row is None:
            problems.add(
                f"{pointer}/sender_address_id",
                f'Invalid pk "{sender_id}" - object does not exist.',
                "invalid",
            )
            return None, {"country": ""}, {}
        sender = json.loads(row[0])
        echo = v3_address_from_sender(sender)
        echo["state_province_code"] = sender.get("country_state")
        return sender_id, sender, echo
    _, echo = parse_to_address(address, pointer, problems)
    return None, sender_from_address(address), echo


def parse_product(ship_with, pointer, problems):
    if not isinstance(ship_with, dict):
        problems.add(pointer)
        return None, None
    properties = ship_with.get("properties")
    if ship_with.get("type") not in (None, "shipping_option_code"):
        problems.add(f"{pointer}/type", f'"{ship_with.get("type")}" is not a valid choice.',
                     "invalid_choice")  # fmt: skip
    code = properties.get("shipping_option_code") if isinstance(properties, dict) else None
    if not code:
        problems.add(f"{pointer}/properties/shipping_option_code")
        return None, None
    product = cat.PRODUCT_BY_CODE.get(code)
    if product is None or product.is_return:
        problems.add(
            f"{pointer}/properties/shipping_option_code",
            f'Shipping option "{code}" is not available for this account.',
            "invalid",
        )
        return None, None
    contract = properties.get("contract_id")
    if contract is not None and contract != cat.CONTRACTS[product.carrier]:
        problems.add(f"{pointer}/properties/contract_id",
                     f'Invalid pk "{contract}" - object does not exist.', "invalid")  # fmt: skip
    return product, {"type": "shipping_option_code", "properties": {
        "shipping_option_code": code, "contract_id": cat.CONTRACTS[product.carrier]}}  # fmt: skip


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse_weight(weight, pointer, problems) -> float:
    if not isinstance(weight, dict) or weight.get("value") in (None, ""):
        problems.add(pointer)
        return 0.0
    if _number(weight["value"]) is None or weight.get("unit", "kg") not in (
        "kg", "g", "lbs", "oz"
    ):  # fmt: skip
        problems.add(pointer, "A valid weight is required.", "invalid")
        return 0.0
    return round(_kg({"value": weight["value"], "unit": weight.get("unit", "kg")}), 3)


def parse_dimensions(dims, pointer, problems):
    if dims is None:
        return None
    factor = DIMENSION_CM.get(dims.get("unit", "cm")) if isinstance(dims, dict) else None
    values = [_number(dims.get(k)) for k in ("length", "width", "height")] if factor else [None]
    if factor is None or any(v is None for v in values):
        problems.add(pointer, "Length, width, height and unit are required.", "invalid")
        return None
    return [f"{v * factor:.2f}" for v in values]


def item_in(item: dict) -> dict:
    """A v3 parcel item in the stored (v2) item format."""
    weight = item.get("weight") if isinstance(item.get("weight"), dict) else {}
    price = item.get("price") if isinstance(item.get("price"), dict) else {}
    kg = _kg({"value": weight.get("value"), "unit": weight.get("unit", "kg")}) or 0.0
    return {
        "description": _text(item.get("description")), "quantity": int(item.get("quantity") or 1),
        "weight": f"{kg:.3f}", "value": f"{_number(price.get('value')) or 0:.2f}",
        "hs_code": _text(item.get("hs_code")), "origin_country": _text(item.get("origin_country")),
        "sku": _text(item.get("sku")), "product_id": _text(item.get("product_id")),
        "properties": item.get("properties") or {}, "item_id": item.get("item_id"),
        "return_reason": None, "return_message": None,
    }  # fmt: skip


def parse_parcel(raw, pointer, problems) -> ParcelSpec:
    if not isinstance(raw, dict):
        problems.add(pointer, "Expected a dictionary of items.", "invalid")
        return ParcelSpec(weight=0.0)
    weight = parse_weight(raw.get("weight"), f"{pointer}/weight", problems)
    dims = parse_dimensions(raw.get("dimensions"), f"{pointer}/dimensions", problems)
    items = raw.get("parcel_items") or []
    if not isinstance(items, list):
        problems.add(f"{pointer}/parcel_items", "Expected a list of items.", "not_a_list")
        items = []
    for n, item in enumerate(items):
        for key in ("description", "quantity"):
            if not isinstance(item, dict) or item.get(key) in (None, ""):
                problems.add(f"{pointer}/parcel_items/{n}/{key}")
    insured = raw.get("additional_insured_price")
    insured_value = 0
    if isinstance(insured, dict) and _number(insured.get("value")):
        insured_value = math.ceil(_number(insured["value"]))
    items = [i for i in items if isinstance(i, dict)]
    overlay = {
        "label_notes": raw.get("label_notes") or [], "package_type": raw.get("package_type"),
        "sscc": raw.get("sscc"), "additional_insured_price": insured,
        "parcel_items": [{**dict.fromkeys(ITEM_KEYS), **i} for i in items],
    }  # fmt: skip
    return ParcelSpec(weight=weight, dims=dims, items=[item_in(i) for i in items],
                      insured_value=insured_value, v3_overlay=overlay)  # fmt: skip


def parse_shipment(store, account_id, body, prefix, max_parcels):
    """(ShipmentSpec or None, Problems) for ``POST /shipments[/announce]``."""
    problems = Problems(prefix)
    if not isinstance(body, dict):
        problems.add("", "Expected a dictionary of items.", "invalid")
        return None, problems
    sender_id, sender, from_echo = parse_from_address(
        store, account_id, body.get("from_address"), "/from_address", problems
    )
    person, to_echo = parse_to_address(body.get("to_address"), "/to_address", problems)
    product, ship_with = parse_product(body.get("ship_with"), "/ship_with", problems)
    raw_parcels = body.get("parcels")
    if not isinstance(raw_parcels, list) or not raw_parcels:
        problems.add("/parcels")
        raw_parcels = []
    elif len(raw_parcels) > max_parcels:
        problems.add("/parcels", f"Ensure this field has no more than {max_parcels} elements.",
                     "max_length")  # fmt: skip
    parcels = [parse_parcel(p, f"/parcels/{n}", problems) for n, p in enumerate(raw_parcels)]
    point = body.get("to_service_point")
    point_id = None
    if isinstance(point, dict):
        point_id = point.get("carrier_service_point_id") or point.get("id")
    if product is not None and product.service_point and not point_id:
        problems.add(
            "/to_service_point", f"A service point is required for shipping option {product.code}."
        )
    elif product is not None and product.service_point and person.get("country"):
        # The reference is silent on this refusal's text [INF]; 400 with a pointer like every
        # other field problem. A carrier id (`carrier_service_point_id`) is not checked.
        refused = point.get("id") and point_problem(point["id"], product.carrier, person["country"])
        if refused:
            problems.add("/to_service_point/id", refused, "invalid")
    customs = body.get("customs_information")
    if isinstance(customs, dict):
        for key in ("invoice_number", "export_reason"):
            if not customs.get(key):
                problems.add(f"/customs_information/{key}")
    if product is not None and person.get("country") and sender.get("country"):
        values = {"to_email": to_echo.get("email"), "to_telephone": to_echo.get("phone_number")}
        for name in routes.missing_fields(product, sender["country"], person["country"], values):
            problems.add(f"/to_address/{routes.FIELD_V3[name]}")
    if person.get("country") in cat.COUNTRY and cat.needs_customs(
        person["country"], person["postal_code"]
    ):
        if not isinstance(customs, dict):
            problems.add("/customs_information", CUSTOMS_NEEDED)
        for n, parcel in enumerate(parcels):
            if not parcel.items:
                problems.add(f"/parcels/{n}/parcel_items", CUSTOMS_NEEDED)
            for m, item in enumerate(parcel.items):
                for key in ("hs_code", "origin_country"):
                    if not item[key]:
                        problems.add(f"/parcels/{n}/parcel_items/{m}/{key}", CUSTOMS_NEEDED)
    reference = body.get("external_reference_id")
    label_details = body.get("label_details") or {}
    mime = label_details.get("mime_type") or "application/pdf"
    if mime == "image/png":  # documented, but the sandbox renders no PNG: say so at once
        problems.add("/label_details/mime_type", "PNG labels are not available in the sandbox.",
                     "invalid_choice")  # fmt: skip
    elif mime not in ("application/pdf", "application/zpl"):
        problems.add("/label_details/mime_type", f'"{mime}" is not a valid choice.',
                     "invalid_choice")  # fmt: skip

    if problems:
        return None, problems
    price = body.get("total_order_price")
    total = _text(price.get("value")) if isinstance(price, dict) else None
    overlay = {
        "to_address": to_echo, "from_address": from_echo, "ship_with": ship_with,
        "reference": body.get("reference"), "external_reference_id": reference,
        "label_details": {"mime_type": mime, "dpi": label_details.get("dpi") or 72},
        "customs_information": customs if isinstance(customs, dict) else None,
        "to_service_point": {"id": point.get("id"),
                             "carrier_service_point_id": point.get("carrier_service_point_id")}
        if point_id else None,
        "brand_id": body.get("brand_id", sender.get("brand_id")),
        "total_order_price": price if isinstance(price, dict) else None,
    }  # fmt: skip
    spec = ShipmentSpec(
        product=product, sender=sender, person=person, parcels=parcels,
        sender_address_id=sender_id, email=_text(to_echo.get("email")),
        telephone=_text(to_echo.get("phone_number")),
        company_name=_text(to_echo.get("company_name")),
        order_number=None if body.get("order_number") is None else str(body["order_number"]),
        external_reference_id=reference, total_order_value=total, service_point=point_id,
        customs=customs if isinstance(customs, dict) else None,
        brand_id=overlay["brand_id"], label_mime=mime, v3_overlay=overlay,
    )  # fmt: skip
    return spec, problems
