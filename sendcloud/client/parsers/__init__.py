"""Pure functions from decoded JSON to the typed objects in `..types`."""

from .account import (
    parse_auth_metadata,
    parse_brand,
    parse_integration_v2,
    parse_integration_v3,
    parse_invoice,
    parse_sender_address_v2,
    parse_sender_address_v3,
    parse_user,
)
from .common import parse_address, parse_status
from .misc import (
    parse_cancel_result,
    parse_label_results,
    parse_order,
    parse_order_ref,
    parse_service_point,
    parse_tracking,
)
from .parcels import parse_parcel_v2, parse_shipment, parse_shipment_parcel
from .returns import parse_return, parse_return_created
from .shipping import (
    join_statuses,
    parse_shipping_method,
    parse_shipping_option,
    parse_shipping_options,
    parse_status_v2,
    parse_status_v3,
    shipping_options_body,
)

__all__ = [
    "join_statuses",
    "parse_address",
    "parse_auth_metadata",
    "parse_brand",
    "parse_cancel_result",
    "parse_integration_v2",
    "parse_integration_v3",
    "parse_invoice",
    "parse_label_results",
    "parse_order",
    "parse_order_ref",
    "parse_parcel_v2",
    "parse_return",
    "parse_return_created",
    "parse_sender_address_v2",
    "parse_sender_address_v3",
    "parse_service_point",
    "parse_shipment",
    "parse_shipment_parcel",
    "parse_shipping_method",
    "parse_shipping_option",
    "parse_shipping_options",
    "parse_status",
    "parse_status_v2",
    "parse_status_v3",
    "parse_tracking",
    "parse_user",
    "shipping_options_body",
]
