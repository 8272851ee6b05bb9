"""The carrier catalogue as v2 shipping methods and v3 shipping options."""

from . import catalogue as cat

NO_OPTIONS = (
    "We couldn't find any shipping options for this request. Make sure your account has "
    "active shipping options that match the selected filters."
)
FUEL = 0.1095


def _breakdown(price: float) -> list[dict]:
    label = round(price / (1 + FUEL), 2)
    return [
        {"type": "price_without_insurance", "label": "Label", "value": label},
        {"type": "fuel", "label": "Fuel surcharge (10.95%)", "value": round(price - label, 2)},
    ]


def v2_method(method: cat.Method, from_countries, to_country=None, with_from=False) -> dict:
    """One v2 shipping method; ``countries`` lists destinations reachable from the senders."""
    product = method.product
    countries = []
    for source in from_countries:
        if source not in product.from_countries:
            continue
        for dest in product.to_countries:
            if to_country and dest != to_country:
                continue
            cid, iso2, iso3, name, zone = cat.COUNTRY[dest]
            price = method.price(source, dest)
            entry = {"id": cid, "name": name, "price": price, "iso_2": iso2, "iso_3": iso3}
            if to_country:
                entry["lead_time_hours"] = cat.LEAD_TIME_HOURS[max(zone, 1)]
                entry["price_breakdown"] = _breakdown(price) if price else []
            if with_from:
                entry["from_iso_2"] = source
                entry["from_iso_3"] = cat.COUNTRY[source][2]
            countries.append(entry)
    return {
        "id": method.id,
        "name": method.name,
        "carrier": product.carrier,
        "min_weight": f"{method.min_weight:.3f}",
        "max_weight": f"{method.max_weight:.3f}",
        "service_point_input": "required" if product.service_point else "none",
        "price": 0,
        "countries": countries,
    }


def v2_methods(from_countries, is_return=False, to_country=None, service_point=False,
               with_from=False) -> list[dict]:  # fmt: skip
    out = []
    for method in cat.METHODS:
        product = method.product
        if product.is_return != is_return or (service_point and not product.service_point):
            continue
        item = v2_method(method, from_countries, to_country, with_from)
        if item["countries"]:
            out.append(item)
    return out


def _weight(value: float) -> dict:
    return {"value": f"{value:.3f}", "unit": "kg"}


def _kg(weight: dict | None) -> float | None:
    if not weight or weight.get("value") in (None, ""):
        return None
    factor = {"kg": 1, "g": 0.001, "lbs": 0.453592, "oz": 0.0283495}.get(weight.get("unit"), 1)
    return float(weight["value"]) * factor


def v3_option(product: cat.Product, weights, quotes_for=None) -> dict:
    functionalities = dict(cat.FUNCTIONALITY_DEFAULTS)
    functionalities.update(product.functionalities)
    if quotes_for and quotes_for[0] != quotes_for[1]:
        functionalities["service_area"] = "international"
    methods = cat.methods_for(product.code)
    low, high = methods[0].min_weight, methods[-1].max_weight
    quotes = None
    if quotes_for:
        source, dest = quotes_for
        quotes = []
        for m in methods:
            total = m.price(source, dest)
            quotes.append({
                "weight": {"min": _weight(m.min_weight), "max": _weight(m.max_weight)},
                "price": {
                    "breakdown": [
                        {"type": b["type"], "label": b["label"],
                         "price": {"value": f"{b['value']:.2f}", "currency": "EUR"}}
                        for b in (_breakdown(total) if total else [])
                    ],
                    "total": {"value": f"{total:.2f}", "currency": "EUR"},
                },
                "lead_time": cat.LEAD_TIME_HOURS[max(cat.COUNTRY[dest][4], 1)],
            })  # fmt: skip
    return {
        "code": product.code,
        "name": product.name,
        "carrier": {"code": product.carrier, "name": cat.CARRIERS[product.carrier]},
        "product": {"code": product.product_code, "name": product.product_name},
        "functionalities": functionalities,
        "contract": {
            "id": cat.CONTRACTS[product.carrier],
            "client_id": "",
            "carrier_code": product.carrier,
            "name": f"{cat.CARRIERS[product.carrier]} Sandbox",
        },
        "weight": {"min": _weight(low), "max": _weight(high)},
        "max_dimensions": {"length": "120.00", "width": "60.00", "height": "60.00", "unit": "cm"},
        "parcel_billed_weights": [
            {
                "unit": "kg",
                "value": f"{w:.3f}",
                "volumetric": False,
                "calculation": None,
                "parcel_number": n + 1,
            }
            for n, w in enumerate(weights)
        ],  # fmt: skip
        "requirements": {
            "fields": ["to_email", "to_telephone"] if product.carrier == "dhl_express" else [],
            "export_documents": product.carrier in ("dhl_express", "ups"),
            "is_service_point_required": product.service_point,
        },
        "charging_type": "first_scan" if product.is_return else "label_creation",
        "quotes": quotes,
    }


def v3_options(body: dict) -> list[dict]:
    """Filter the catalogue by a ``POST /shipping-options`` body (reference v3 §8.1)."""
    source, dest = body.get("from_country_code"), body.get("to_country_code")
    weights = [_kg(p.get("weight")) for p in body.get("parcels") or []]
    weights = [w for w in weights if w is not None]
    functionalities = body.get("functionalities") or {}
    wanted_return = bool(functionalities.get("returns"))
    quotes_for = (source, dest) if body.get("calculate_quotes") and source and dest else None
    lead = body.get("lead_time") or {}
    out = []
    for product in cat.PRODUCTS:
        if product.is_return != wanted_return:
            continue
        if source and source not in product.from_countries:
            continue
        if dest and dest not in product.to_countries:
            continue
        if body.get("carrier_code") and product.carrier != body["carrier_code"]:
            continue
        if body.get("shipping_product_code") not in (None, product.product_code):
            continue
        if body.get("shipping_option_code") not in (None, product.code):
            continue
        option = v3_option(product, weights, quotes_for)
        if any(option["functionalities"].get(k) != v for k, v in functionalities.items()):
            continue
        low = float(option["weight"]["min"]["value"])
        high = float(option["weight"]["max"]["value"])
        if any(not (low <= w < high) for w in weights):
            continue
        if quotes_for and lead and not _lead_ok(option["quotes"][0]["lead_time"], lead):
            continue
        out.append(option)
    return out


def _lead_ok(value, lead) -> bool:
    checks = {
        "gt": value > lead.get("gt", float("-inf")),
        "gte": value >= lead.get("gte", float("-inf")),
        "lt": value < lead.get("lt", float("inf")),
        "lte": value <= lead.get("lte", float("inf")),
        "eq": "eq" not in lead or value == lead["eq"],
    }
    return all(checks.values())
