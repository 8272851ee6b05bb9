"""Integration state and mirrored Sendcloud objects (one module per area)."""

from .catalogue import Brand, Carrier, Invoice, ParcelStatus, SenderAddress, ShippingOption
from .integration import Integration
from .order_options import (
    DeliveryOrderServicePoint,
    DeliveryOrderShippingOption,
    SalesOrderShippingOption,
)
from .orders import (
    ChoiceStrategy,
    OrderOutbox,
    OrderPush,
    OrderPushEvent,
    OrderPushRun,
    ShippingMethodOption,
)
from .parcels import Parcel, Return, ReturnLine
from .printing import PackingStation, Printer, PrintJob
from .routes import ShippingRoute
from .shipments import Label, LabelJob, LabelJobItem, Shipment, ShipmentEvent
from .sync import ObjectType, ScheduleTick, SyncRun, SyncState
from .warehouses import WarehouseSenderAddress
from .webhooks import ApiCall, WebhookEvent

__all__ = [
    "ApiCall",
    "Brand",
    "ChoiceStrategy",
    "Carrier",
    "DeliveryOrderServicePoint",
    "DeliveryOrderShippingOption",
    "Integration",
    "Invoice",
    "Label",
    "LabelJob",
    "LabelJobItem",
    "ObjectType",
    "OrderOutbox",
    "OrderPush",
    "OrderPushEvent",
    "OrderPushRun",
    "PackingStation",
    "Parcel",
    "ParcelStatus",
    "PrintJob",
    "Printer",
    "Return",
    "ReturnLine",
    "SalesOrderShippingOption",
    "ScheduleTick",
    "SenderAddress",
    "Shipment",
    "ShipmentEvent",
    "ShippingMethodOption",
    "ShippingOption",
    "ShippingRoute",
    "SyncRun",
    "SyncState",
    "WarehouseSenderAddress",
    "WebhookEvent",
]
