"""The carrier catalogue as v2 shipping methods and v3 shipping options."""

from . import catalogue as cat
from . import routes

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
        for dest in product.to_countries:
            if (to_country and dest != to_country) or not routes.ships(product, source, dest):
                continue
            cid, iso2, iso3, name, _ = cat.COUNTRY[dest]
            price = method.price(source, dest)
            entry = {"id": cid, "name": name, "price": price, "iso_2": iso2, "iso_3": iso3}
            if to_country:
                entry["lead_time_hours"] = routes.lead_time(product, source, dest)
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


def v3_option(product: cat.Product, weights, route=(None, None), to_postal_code=None,
              quotes=False) -> dict:  # fmt: skip
    """One option; ``route`` = (from, to) country codes as far as the request gave them."""
    source, dest = route
    functionalities = dict(cat.FUNCTIONALITY_DEFAULTS)
    functionalities.update(product.functionalities)
    if source and dest:
        functionalities["service_area"] = "domestic" if source == dest else "international"
    methods = cat.methods_for(product.code)
    low, high = routes.weight_band(product)
    priced = None
    if quotes:
        priced = []
        for m in methods:
            total = m.price(source, dest)
            priced.append({
                "weight": {"min": _weight(m.min_weight), "max": _weight(m.max_weight)},
                "price": {
                    "breakdown": [
                        {"type": b["type"], "label": b["label"],
                         "price": {"value": f"{b['value']:.2f}", "currency": "EUR"}}
                        for b in (_breakdown(total) if total else [])
                    ],
                    "total": {"value": f"{total:.2f}", "currency": "EUR"},
                },
                "lead_time": routes.lead_time(product, source, dest),
            })  # fmt: skip
    length, width, height = product.max_dims
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
        "max_dimensions": {
            "length": f"{length:.2f}",
            "width": f"{width:.2f}",
            "height": f"{height:.2f}",
            "unit": "cm",
        },  # fmt: skip
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
            "fields": routes.required_fields(product, source, dest),
            "export_documents": routes.export_documents(product, dest, to_postal_code),
            "is_service_point_required": product.service_point,
        },
        "charging_type": "first_scan" if product.is_return else "label_creation",
        "quotes": priced,
    }


def _parcels(body) -> list[tuple]:
    """(kg, dims in cm) of the request's parcels that carry a weight."""
    out = []
    for parcel in body.get("parcels") or []:
        if not isinstance(parcel, dict):
            continue
        kg = _kg(parcel.get("weight"))
        if kg is not None:
            out.append((round(kg, 3), routes.dims_cm(parcel.get("dimensions"))))
    return out


def _route_open(product, source, dest) -> bool:
    if source and dest:
        return routes.ships(product, source, dest)
    return (not source or source in product.from_countries) and (
        not dest or dest in product.to_countries
    )


def v3_options(body: dict) -> list[dict]:
    """Filter the catalogue by a ``POST /shipping-options`` body (reference v3 §8.1): the
    options the label endpoints would accept for that route, those weights and sizes."""
    source, dest = body.get("from_country_code"), body.get("to_country_code")
    parcels = _parcels(body)
    functionalities = body.get("functionalities") or {}
    wanted_return = bool(functionalities.get("returns"))
    quotes = bool(body.get("calculate_quotes") and source and dest)
    lead = body.get("lead_time") or {}
    out = []
    for product in cat.PRODUCTS:
        if product.is_return != wanted_return or not _route_open(product, source, dest):
            continue
        if body.get("carrier_code") and product.carrier != body["carrier_code"]:
            continue
        if body.get("shipping_product_code") not in (None, product.product_code):
            continue
        if body.get("shipping_option_code") not in (None, product.code):
            continue
        option = v3_option(product, [kg for kg, _ in parcels], (source, dest),
                           body.get("to_postal_code"), quotes)  # fmt: skip
        if any(option["functionalities"].get(k) != v for k, v in functionalities.items()):
            continue
        if parcels and routes.parcel_refusal(product, parcels):
            continue
        if quotes and lead and not _lead_ok(option["quotes"][0]["lead_time"], lead):
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
