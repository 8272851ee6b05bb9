"""The sync module of each object type."""

from sendcloud.models import ObjectType

from .brands import BrandSync
from .invoices import InvoiceSync
from .parcel_statuses import ParcelStatusSync
from .parcels import ParcelSync
from .returns import ReturnSync
from .routes import RouteSync
from .sender_addresses import SenderAddressSync
from .shipping_methods import ShippingMethodSync

SYNCERS = {
    ObjectType.BRANDS: BrandSync(),
    ObjectType.SENDER_ADDRESSES: SenderAddressSync(),
    ObjectType.SHIPPING_METHODS: ShippingMethodSync(),
    ObjectType.ROUTES: RouteSync(),
    ObjectType.PARCEL_STATUSES: ParcelStatusSync(),
    ObjectType.PARCELS: ParcelSync(),
    ObjectType.RETURNS: ReturnSync(),
    ObjectType.INVOICES: InvoiceSync(),
}
