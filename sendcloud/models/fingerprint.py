"""What a label request is made of, as one hash: a refused order is sent again only once it changed.

The hash covers every stored field of the delivery order (address, shipping method, service
point, and whatever fields are added later), its lines with their products (weight, HS code,
origin), its packages, the option chosen on it or its sales order, the option its shipping
method maps to, the chosen service point (with a Packstation's Postnummer), the customs export
reason and the warehouse's sender address. Timestamps and the order's state are left out:
saving without a change, or a state change alone, is no correction.
"""

import hashlib
import json

from django.db import models

from backoffice.sales.models import DeliveryOrder

from .integration import Integration
from .order_options import (
    DeliveryOrderServicePoint,
    DeliveryOrderShippingOption,
    SalesOrderShippingOption,
)
from .orders import ShippingMethodOption
from .warehouses import WarehouseSenderAddress

IGNORED = {"id", "created_at", "updated_at", "chosen_at", "state", "company"}


def _values(obj: models.Model | None) -> dict:
    if obj is None:
        return {}
    return {
        f.attname: str(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in IGNORED
    }


def delivery_order_fingerprint(delivery: DeliveryOrder, integration: Integration) -> str:
    """A hex digest that changes when anything a label request is built from changes."""
    method_option = ShippingMethodOption.objects.filter(
        shipping_method_id=delivery.shipping_method_id, integration=integration
    ).first()
    parts = {
        "delivery": _values(delivery),
        "lines": sorted(
            (
                json.dumps([_values(line), _values(line.product)], sort_keys=True)
                for line in delivery.lines.select_related("product")
            ),
        ),
        "packages": sorted(json.dumps(_values(p), sort_keys=True) for p in delivery.packages.all()),
        "chosen": _values(
            DeliveryOrderShippingOption.objects.filter(delivery_order=delivery).first()
        ),
        "sales_chosen": _values(
            SalesOrderShippingOption.objects.filter(sales_order_id=delivery.sales_order_id).first()
        ),
        "method_option": _values(method_option),
        # The chosen point's Postnummer lives beside the order, not on it.
        "service_point": _values(
            DeliveryOrderServicePoint.objects.filter(delivery_order=delivery).first()
        ),
        "export_reason": integration.export_reason,
        "sender": _values(
            WarehouseSenderAddress.objects.filter(
                warehouse_id=delivery.warehouse_id, integration=integration
            ).first()
        ),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
