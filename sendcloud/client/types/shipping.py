"""v3 shipping options (with the request filters) and v2 shipping methods."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .common import Carrier, Dimensions, Money, Weight


@dataclass(frozen=True)
class ParcelSpec:
    """One parcel to quote; values are sent as strings as v3 expects (`"1.320"`)."""

    weight: Decimal | str | float
    weight_unit: str = "kg"
    length: Decimal | str | float | None = None
    width: Decimal | str | float | None = None
    height: Decimal | str | float | None = None
    dimension_unit: str = "cm"
    additional_insured_price: Money | None = None
    total_insured_price: Money | None = None


@dataclass(frozen=True)
class ShippingOptionsQuery:
    """Body of `POST /shipping-options` (v3 §8.1); every filter is optional."""

    from_country_code: str | None = None
    to_country_code: str | None = None
    from_postal_code: str | None = None
    to_postal_code: str | None = None
    parcels: tuple[ParcelSpec, ...] = ()
    functionalities: dict[str, Any] | None = None
    carrier_code: str | None = None
    contract_id: int | None = None
    shipping_product_code: str | None = None
    shipping_option_code: str | None = None
    to_service_point_id: str | None = None
    to_carrier_service_point_id: str | None = None
    lead_time: dict[str, float] | None = None
    calculate_quotes: bool | None = None


@dataclass(frozen=True)
class Quote:
    lead_time_hours: int | None
    total: Money | None
    breakdown: tuple[tuple[str, Money | None], ...] = ()
    min_weight: Weight | None = None  # the weight band the price is for
    max_weight: Weight | None = None


@dataclass(frozen=True)
class ShippingOption:
    code: str
    name: str | None
    carrier: Carrier | None
    product_code: str | None
    product_name: str | None
    contract_id: int | None
    min_weight: Weight | None
    max_weight: Weight | None
    max_dimensions: Dimensions | None
    functionalities: dict[str, Any] = field(default_factory=dict, hash=False)
    requirements: dict[str, Any] = field(default_factory=dict, hash=False)
    charging_type: str | None = None
    quotes: tuple[Quote, ...] | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)

    @property
    def is_service_point_required(self) -> bool:
        return bool(self.requirements.get("is_service_point_required"))


@dataclass(frozen=True)
class ShippingOptionsResult:
    """`data` may be null and `message` explains an empty answer (v3 §8.1)."""

    options: tuple[ShippingOption, ...]
    message: str | None


@dataclass(frozen=True)
class MethodCountry:
    iso_2: str | None
    iso_3: str | None
    name: str | None
    price: Decimal | None
    lead_time_hours: int | None = None
    from_iso_2: str | None = None


@dataclass(frozen=True)
class ShippingMethod:
    """v2 shipping method. Ids are volatile (cache at most an hour, v2 §5.3)."""

    id: int
    name: str | None
    carrier: str | None
    min_weight: Decimal | None
    max_weight: Decimal | None
    service_point_input: str | None
    countries: tuple[MethodCountry, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)

    @property
    def requires_service_point(self) -> bool:
        return self.service_point_input == "required"
