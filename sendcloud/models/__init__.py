"""Integration state and mirrored Sendcloud objects (one module per area)."""

from .catalogue import Brand, Carrier, Invoice, ParcelStatus, SenderAddress, ShippingOption
from .integration import Integration
from .parcels import Parcel, Return
from .sync import ObjectType, SyncRun, SyncState
from .warehouses import WarehouseSenderAddress
from .webhooks import ApiCall, WebhookEvent

__all__ = [
    "ApiCall",
    "Brand",
    "Carrier",
    "Integration",
    "Invoice",
    "ObjectType",
    "Parcel",
    "ParcelStatus",
    "Return",
    "SenderAddress",
    "ShippingOption",
    "SyncRun",
    "SyncState",
    "WarehouseSenderAddress",
    "WebhookEvent",
]
