"""Stock bookings: the one place that changes a StockLevel."""

from django.db import transaction
from django.db.models import F

from .models import Product, StockLevel, Warehouse


@transaction.atomic
def stock_add(product: Product, warehouse: Warehouse, quantity: int) -> StockLevel:
    """Add `quantity` pieces (negative takes out); concurrent bookings add up, none is lost."""
    level, _created = StockLevel.objects.select_for_update().get_or_create(
        product=product, warehouse=warehouse
    )
    StockLevel.objects.filter(pk=level.pk).update(quantity=F("quantity") + quantity)
    level.refresh_from_db()
    return level


def stock_quantity(product: Product, warehouse: Warehouse) -> int:
    level = StockLevel.objects.filter(product=product, warehouse=warehouse).first()
    return level.quantity if level else 0
