"""Which product ships which route, and what it needs there.

One answer for ``POST /shipping-options`` (v3 §8.1), the carrier's refusal at label time (v3
shipments, ship-an-order, v2 parcels) and the countries of the v2 shipping methods, so that an
option offered for a route, weights and sizes is an option the label endpoints accept — and
the other way round (tests/sandbox/test_sandbox_routes.py walks the routes to keep it so).
"""

import math

from . import catalogue as cat
from .countries import LEAD_TIME_HOURS, needs_customs

DIMENSION_CM = {"cm": 1, "mm": 0.1, "m": 100, "in": 2.54, "ft": 30.48, "yd": 91.44}
# Recipient fields an option can require (v3 §8.1 requirements.fields) → where a v3 shipment
# and a v2 parcel carry them.
FIELD_V3 = {"to_email": "email", "to_telephone": "phone_number"}
FIELD_V2 = {"to_email": "email", "to_telephone": "telephone"}


def ships(product: cat.Product, source: str, dest: str) -> bool:
    """Whether the product carries parcels from ``source`` to ``dest`` (ISO-2)."""
    if source not in product.from_countries or dest not in product.to_countries:
        return False
    if product.domestic_only and source != dest:
        return False
    return not (product.international_only and source == dest)


def weight_band(product: cat.Product) -> tuple[float, float]:
    """(low, high) kg over all of the product's bands; a weight fits when low <= w < high."""
    methods = cat.methods_for(product.code)
    return methods[0].min_weight, methods[-1].max_weight


def dims_cm(dims) -> list[float] | None:
    """A v3 ``dimensions`` object in cm, or None when absent or unreadable."""
    if not isinstance(dims, dict):
        return None
    factor = DIMENSION_CM.get(dims.get("unit", "cm"))
    try:
        values = [float(dims[k]) for k in ("length", "width", "height")]
    except (KeyError, TypeError, ValueError):
        return None
    if factor is None or not all(math.isfinite(v) for v in values):
        return None
    return [round(v * factor, 2) for v in values]


def dims_fit(product: cat.Product, dims) -> bool:
    """Sides compared longest to longest: a parcel fits whichever way it lies."""
    if not dims:
        return True
    sides = sorted((float(d) for d in dims), reverse=True)
    return all(side <= limit for side, limit in zip(sides, product.max_dims, strict=True))


def required_fields(product: cat.Product, source: str | None, dest: str | None) -> list[str]:
    """``requirements.fields``; an unknown route counts as cross-border (the stricter case)."""
    fields = list(product.fields)
    if source is None or dest is None or source != dest:
        fields += [f for f in product.international_fields if f not in fields]
    return fields


def export_documents(product: cat.Product, dest: str | None, postal_code: str | None) -> bool:
    """Customs documents are needed outside the EU customs territory; without a destination,
    whether the product goes to any such country."""
    if dest:
        return needs_customs(dest, postal_code)
    return any(needs_customs(c) for c in product.to_countries)


def lead_time(product: cat.Product, source: str, dest: str) -> int:
    """Hours from hand-over to delivery on this route."""
    zone = cat.route_zone(source, dest)
    if zone == 0:
        return 24
    hours = LEAD_TIME_HOURS[zone]
    if product.functionalities.get("priority") == "express":
        hours = 24 * math.ceil(zone / 2)
    if product.letter:
        hours += 24
    return hours


def _size(dims) -> str:
    return " x ".join(f"{float(d):.2f}" for d in dims)


def refusal(product, source, dest, parcels, band=None) -> str | None:
    """The carrier's "Service error" for ``parcels`` [(kg, dims or None), …] on this route, or
    None when it carries them. ``band`` narrows the weights to one v2 method's band."""
    if not ships(product, source, dest):
        return f"Service error: {product.name} does not ship from {source} to {dest}."
    return parcel_refusal(product, parcels, band)


def parcel_refusal(product, parcels, band=None) -> str | None:
    """``refusal`` without the route: collo count, weights and sizes."""
    if len(parcels) > 1 and not product.functionalities.get("multicollo"):
        return f"Service error: {product.name} does not support multicollo shipments."
    low, high = band or weight_band(product)
    for kg, dims in parcels:
        if not low <= kg < high:
            return (
                f"Service error: The parcel weight of {kg:.3f} kg is outside the "
                f"range of {low:.3f}-{high:.3f} kg allowed for {product.name}."
            )
        if not dims_fit(product, dims):
            return (
                f"Service error: The parcel dimensions of {_size(dims)} cm exceed the maximum "
                f"of {_size(product.max_dims)} cm allowed for {product.name}."
            )
    return None


def missing_fields(product, source, dest, values: dict) -> list[str]:
    """The required recipient fields (``to_email``, ``to_telephone``) left empty in
    ``values`` (keyed the same way)."""
    wanted = required_fields(product, source, dest)
    return [f for f in wanted if not str(values.get(f) or "").strip()]
