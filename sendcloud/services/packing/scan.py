"""Scans at the packing station: a delivery order's number, an item's EAN or SKU (with a
quantity typed before it), a weight, one parcel more or less. Refusals change nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.inventory.models import Product
from backoffice.sales.models import DeliveryOrder, DeliveryOrderLine, Package
from sendcloud import formatting
from sendcloud.errors import ApplicationError
from sendcloud.models import PackingStation

from .state import PackState

QUANTITY = re.compile(r"^(\d{1,4})\s*[*xX×]\s*(.*)$")
WEIGHT = re.compile(r"^(\d{1,4}(?:[.,]\d{1,3})?)\s*kg$", re.IGNORECASE)
MAX_QUANTITY = 9999
MAX_PARCELS = 20


class PackingRefused(ApplicationError):
    """A scan the station refuses (wrong item, unknown code, an order not to pack); the page
    shows it loudly and nothing changed."""


@dataclass(frozen=True)
class ScanResult:
    kind: str  # order, item, quantity, weight, parcel
    message: str


def _lines(delivery: DeliveryOrder) -> list[DeliveryOrderLine]:
    return list(delivery.lines.select_related("product").order_by("pk"))


def packing_order_find(company, code: str, station: PackingStation | None) -> DeliveryOrder:
    """The company's delivery order with this number, if it may be packed now (state ready,
    from the station's warehouse); otherwise PackingRefused saying why."""
    delivery = (
        DeliveryOrder.objects.filter(company=company, number__iexact=code.strip())
        .select_related("warehouse", "shipping_method", "sales_order")
        .first()
    )
    if delivery is None:
        raise PackingRefused(_("No delivery order %(code)s found.") % {"code": code})
    values = {"number": delivery.number}
    State = DeliveryOrder.State
    if delivery.state == State.CANCELLED:
        raise PackingRefused(_("%(number)s is cancelled – do not pack it.") % values)
    if delivery.state in (State.DONE, State.DELIVERED):
        raise PackingRefused(_("%(number)s is done already – nothing to pack.") % values)
    if delivery.state != State.READY:
        raise PackingRefused(
            _("%(number)s is a draft – set it to “ready” before packing it.") % values
        )
    if station is not None and delivery.warehouse_id != station.warehouse_id:
        raise PackingRefused(
            _(
                "%(number)s ships from the warehouse %(order)s; this packing station is in "
                "%(station)s."
            )
            % {**values, "order": delivery.warehouse.name, "station": station.warehouse.name}
        )
    return delivery


def _line_for(lines, code: str) -> list[DeliveryOrderLine]:
    wanted = code.strip().lower()
    return [
        line
        for line in lines
        if wanted in {line.product.sku.lower(), (line.product.ean or "").lower()} - {""}
    ]


def packing_item_check(
    delivery: DeliveryOrder, state: PackState, code: str, quantity: int = 1
) -> ScanResult:
    """Count `quantity` units of the scanned product as packed; a product not on the order or
    more units than ordered are refused and nothing is counted."""
    lines = _lines(delivery)
    matching = _line_for(lines, code)
    if not matching:
        own = Product.objects.filter(company_id=delivery.company_id)
        product = (own.filter(ean=code.strip()).first() if code.strip() else None) or (
            own.filter(sku__iexact=code.strip()).first()
        )
        if product is not None:
            raise PackingRefused(
                _("Wrong item: %(product)s is not on %(number)s – put it back.")
                % {"product": f"{product.sku} {product.name}", "number": delivery.number}
            )
        raise PackingRefused(
            _("Unknown code “%(code)s”: neither an item of %(number)s nor a delivery order.")
            % {"code": code, "number": delivery.number}
        )
    ordered = sum(line.quantity for line in matching)
    done = sum(state.checked.get(str(line.pk), 0) for line in matching)
    product = matching[0].product
    if done + quantity > ordered:
        raise PackingRefused(
            _(
                "Too many: %(product)s is on %(number)s %(ordered)s times, %(done)s packed "
                "already – put %(extra)s back."
            )
            % {
                "product": f"{product.sku} {product.name}",
                "number": delivery.number,
                "ordered": ordered,
                "done": done,
                "extra": done + quantity - ordered,
            }
        )
    left = quantity
    for line in matching:
        key = str(line.pk)
        room = line.quantity - state.checked.get(key, 0)
        take = min(room, left)
        if take > 0:
            state.checked[key] = state.checked.get(key, 0) + take
            left -= take
    state.quantity = None
    return ScanResult(
        "item",
        _("%(quantity)s × %(product)s packed (%(done)s of %(ordered)s).")
        % {
            "quantity": quantity,
            "product": f"{product.sku} {product.name}",
            "done": done + quantity,
            "ordered": ordered,
        },
    )


def packing_missing(delivery: DeliveryOrder, state: PackState) -> list[tuple]:
    """(line, units still missing) for every line not fully checked."""
    return [
        (line, line.quantity - state.checked.get(str(line.pk), 0))
        for line in _lines(delivery)
        if state.checked.get(str(line.pk), 0) < line.quantity
    ]


def lines_weight(delivery: DeliveryOrder) -> Decimal:
    return sum((line.weight_kg * line.quantity for line in delivery.lines.all()), Decimal(0))


def parse_weight(text: str) -> Decimal | None:
    """ "1,25kg" or "1.25 kg" (a decimal comma or point, no grouping) → Decimal; else None."""
    match = WEIGHT.match(text.strip())
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None


@transaction.atomic
def packing_weight_set(delivery: DeliveryOrder, weight: Decimal) -> ScanResult:
    """The weighed weight of the current (last) parcel; one parcel becomes a Package row so
    the label is made with it."""
    if weight <= 0:
        raise PackingRefused(_("The weight must be above 0 kg."))
    package = delivery.packages.order_by("pk").last()
    if package is None:
        package = Package(delivery_order=delivery)
    package.weight_kg = weight
    package.save()
    count = delivery.packages.count()
    return ScanResult(
        "weight",
        _("Parcel %(index)s weighs %(weight)s.")
        % {"index": count, "weight": formatting.weight_kg(weight)},
    )


@transaction.atomic
def packing_parcel_add(delivery: DeliveryOrder) -> ScanResult:
    """One parcel more: the goods' weight is spread evenly over the parcels until one is
    weighed (typed weights of earlier parcels are kept)."""
    packages = list(delivery.packages.order_by("pk"))
    if len(packages) >= MAX_PARCELS:
        raise PackingRefused(_("At most %(count)s parcels per shipment.") % {"count": MAX_PARCELS})
    if not packages:
        total = lines_weight(delivery) or Decimal("0.1")
        share = (total / 2).quantize(Decimal("0.001")) or Decimal("0.001")
        Package.objects.bulk_create(
            [Package(delivery_order=delivery, weight_kg=share) for _ in range(2)]
        )
        count = 2
    else:
        share = packages[-1].weight_kg
        Package.objects.create(delivery_order=delivery, weight_kg=share)
        count = len(packages) + 1
    return ScanResult(
        "parcel",
        _("%(count)s parcels: type the weight of parcel %(count)s (e.g. 1,5kg).")
        % {"count": count},
    )


@transaction.atomic
def packing_parcel_remove(delivery: DeliveryOrder) -> ScanResult:
    """One parcel less (the last one); with one left, it ships as one parcel."""
    packages = list(delivery.packages.order_by("pk"))
    if len(packages) < 2:
        raise PackingRefused(_("%(number)s has one parcel only.") % {"number": delivery.number})
    packages[-1].delete()
    if len(packages) == 2:
        packages[0].delete()  # one parcel: weighed from the lines again, or typed
        return ScanResult("parcel", _("One parcel."))
    return ScanResult("parcel", _("%(count)s parcels.") % {"count": len(packages) - 1})


def packing_scan(
    company, state: PackState, code: str, station: PackingStation | None
) -> tuple[ScanResult, DeliveryOrder | None]:
    """One scan or typed entry: order number, item (EAN/SKU, "3*EAN" or "3*" first), weight
    ("1,25kg"), "+" / "-" for a parcel more or less. Returns what happened and the order being
    packed; raises PackingRefused (nothing changed)."""
    text = (code or "").strip()
    current = (
        DeliveryOrder.objects.filter(company=company, pk=state.delivery_id).first()
        if state.delivery_id
        else None
    )
    if not text:
        raise PackingRefused(_("Nothing scanned."))
    if text in ("+", "-"):
        if current is None:
            raise PackingRefused(_("Scan a delivery order first."))
        add = text == "+"
        return (packing_parcel_add(current) if add else packing_parcel_remove(current)), current
    weight = parse_weight(text)
    if weight is not None:
        if current is None:
            raise PackingRefused(_("Scan a delivery order first."))
        return packing_weight_set(current, weight), current
    quantity = None
    match = QUANTITY.match(text)
    if match:
        quantity, text = int(match.group(1)), match.group(2).strip()
        if not 1 <= quantity <= MAX_QUANTITY:
            raise PackingRefused(_("The quantity must be at least 1."))
        if not text:
            if current is None:
                raise PackingRefused(_("Scan a delivery order first."))
            state.quantity = quantity
            return ScanResult(
                "quantity",
                _("%(quantity)s × – now scan the item.") % {"quantity": quantity},
            ), current
    if current is not None and _line_for(_lines(current), text):
        return packing_item_check(current, state, text, quantity or state.quantity or 1), current
    if (
        quantity is None
        and DeliveryOrder.objects.filter(company=company, number__iexact=text).exists()
    ):
        delivery = packing_order_find(company, text, station)
        state.start(delivery.pk)
        return ScanResult(
            "order", _("%(number)s: scan its items.") % {"number": delivery.number}
        ), delivery
    if current is None:
        raise PackingRefused(_("No delivery order %(code)s found.") % {"code": text})
    return packing_item_check(current, state, text, quantity or state.quantity or 1), current
