"""Typed request/response objects of the Sendcloud client (frozen dataclasses, `raw` kept)."""

from .account import (
    INTEGRATION_UPDATE_FIELDS,
    AuthMetadata,
    Brand,
    Integration,
    Invoice,
    InvoiceLine,
    User,
)
from .addresses import SenderAddress, merge_sender_addresses
from .common import (
    Address,
    Carrier,
    Dimensions,
    Document,
    Money,
    ParcelItem,
    ParcelStatus,
    TaxNumber,
    Weight,
)
from .misc import CancelResult, LabelResult, Order, OrderRef, ServicePoint, Tracking, TrackingEvent
from .parcels import ParcelV2, Shipment, ShipmentParcel
from .returns import Return, ReturnCreated, StatusEvent
from .shipping import (
    MethodCountry,
    ParcelSpec,
    Quote,
    ShippingMethod,
    ShippingOption,
    ShippingOptionsQuery,
    ShippingOptionsResult,
)
from .statuses import KNOWN_STATUSES, StatusMapping, StatusV2, StatusV3

__all__ = [
    "INTEGRATION_UPDATE_FIELDS",
    "KNOWN_STATUSES",
    "Address",
    "AuthMetadata",
    "Brand",
    "CancelResult",
    "Carrier",
    "Dimensions",
    "Document",
    "Integration",
    "LabelResult",
    "Invoice",
    "InvoiceLine",
    "MethodCountry",
    "Money",
    "Order",
    "OrderRef",
    "ParcelItem",
    "ParcelSpec",
    "ParcelStatus",
    "ParcelV2",
    "Quote",
    "Return",
    "ReturnCreated",
    "SenderAddress",
    "ServicePoint",
    "Shipment",
    "ShipmentParcel",
    "ShippingMethod",
    "ShippingOption",
    "ShippingOptionsQuery",
    "ShippingOptionsResult",
    "StatusEvent",
    "StatusMapping",
    "StatusV2",
    "StatusV3",
    "TaxNumber",
    "Tracking",
    "TrackingEvent",
    "User",
    "Weight",
    "merge_sender_addresses",
]
