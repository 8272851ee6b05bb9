"""The packing station (Verkauf → Packplatz): scan an order, check its items, weigh, Enter →
label → printed at the station. The page's state lives in the session (`PackState`).

    packing_scan(company, state, code, station) -> (ScanResult, DeliveryOrder | None)
        order number / EAN or SKU ("3*EAN", "3*" then EAN) / "1,25kg" / "+" / "-"
        raises PackingRefused (nothing changed)
    packing_panel(delivery, state, integration) -> dict   lines, option, pre-flight with fixes
    packing_ship(delivery, state, integration, station, user=) -> PackPrinted
    packing_reprint(company, state, shipment_id, station, user=) -> PackPrinted
    packing_undo(company, state, shipment_id) -> Sendcloud's answer in words
    packing_stations(company) -> the active stations of the company's warehouses
"""

from sendcloud.models import PackingStation

from .panel import packing_panel
from .scan import (
    PackingRefused,
    ScanResult,
    packing_item_check,
    packing_missing,
    packing_order_find,
    packing_parcel_add,
    packing_parcel_remove,
    packing_scan,
    packing_weight_set,
    parse_weight,
)
from .ship import BROWSER, FAILED, PRINTER, PackPrinted, packing_reprint, packing_ship, packing_undo
from .state import SESSION_KEY, PackParcel, PackState


def packing_stations(company):
    """The active packing stations of the company's active warehouses."""
    return (
        PackingStation.objects.filter(company=company, is_active=True, warehouse__is_active=True)
        .select_related("warehouse", "label_printer", "document_printer")
        .order_by("warehouse__code", "name")
    )


__all__ = [
    "BROWSER",
    "FAILED",
    "PRINTER",
    "SESSION_KEY",
    "PackParcel",
    "PackPrinted",
    "PackState",
    "PackingRefused",
    "ScanResult",
    "packing_item_check",
    "packing_missing",
    "packing_order_find",
    "packing_panel",
    "packing_parcel_add",
    "packing_parcel_remove",
    "packing_reprint",
    "packing_scan",
    "packing_ship",
    "packing_stations",
    "packing_undo",
    "packing_weight_set",
    "parse_weight",
]
