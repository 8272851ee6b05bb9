"""A delivery order as a label request: parcels from its packages, sender from the warehouse."""

from decimal import Decimal

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import CustomsRequest, ItemRequest, ParcelRequest, ShipmentRequest
from sendcloud.client.types import Address
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration, SenderAddress, ShippingOption
from sendcloud.services.orders.mapping import needs_customs, split_street
from sendcloud.services.shipping.service_points import delivery_post_number
from sendcloud.services.warehouse_addresses import sender_address_for_delivery


def sender_for(
    delivery: DeliveryOrder, integration: Integration, lookups: dict | None = None
) -> SenderAddress | None:
    """The warehouse's sender address; None when unmapped (the preflight reports why)."""
    try:
        return sender_address_for_delivery(delivery, integration, lookups=lookups)
    except ApplicationError:
        return None


def delivery_packages(delivery: DeliveryOrder) -> tuple:
    """(weight, length, width, height, package) per parcel: the packages, else one parcel
    weighing what the lines weigh."""
    packages = list(delivery.packages.all().order_by("pk"))
    if packages:
        return tuple((p.weight_kg, p.length_cm, p.width_cm, p.height_cm, p) for p in packages)
    weight = sum((line.weight_kg * line.quantity for line in delivery.lines.all()), Decimal(0))
    return ((weight, None, None, None, None),)


def to_address(delivery: DeliveryOrder) -> Address:
    street, number = split_street(delivery.street, delivery.house_number)
    return Address(
        name=delivery.contact_name or delivery.company_name,
        company_name=delivery.company_name or None,
        address_line_1=street,
        house_number=number or None,
        address_line_2=delivery.address_line_2 or None,
        postal_code=delivery.postal_code,
        city=delivery.city,
        state_province_code=delivery.state_code or None,
        country_code=delivery.country.code,
        email=delivery.email or None,
        phone_number=delivery.phone or None,
    )


def _item(line, quantity: int) -> ItemRequest:
    product = line.product
    return ItemRequest(
        description=product.name,
        quantity=quantity,
        weight_kg=line.weight_kg,
        value=line.value,
        hs_code=product.hs_code or None,
        origin_country=product.origin_country.code if product.origin_country else None,
        sku=product.sku or None,
        item_id=str(line.pk),
    )


def _items(delivery: DeliveryOrder) -> tuple[ItemRequest, ...]:
    return tuple(_item(line, line.quantity) for line in delivery.lines.all())


def split_items(delivery: DeliveryOrder, packages: tuple) -> list[tuple[ItemRequest, ...]]:
    """The delivery lines spread over the parcels for customs, unit by unit: the heaviest units
    first, each into the parcel with the most weight still unaccounted for (its package weight
    minus the units already in it). Every unit lands in exactly one parcel, so quantities and
    values add up to the lines; a line may spread over several parcels (one item per line and
    parcel); each parcel's items weigh close to its package. A parcel may stay empty only when
    there are fewer units than parcels (the preflight says so)."""
    units = sorted(
        (
            (line, index)
            for index, line in enumerate(delivery.lines.all())
            for _ in range(line.quantity)
        ),
        key=lambda unit: (-unit[0].weight_kg, unit[1]),
    )
    open_weight = [Decimal(str(weight or 0)) for weight, *_rest in packages]
    counts: list[dict[int, list]] = [{} for _ in packages]
    for line, index in units:
        target = max(range(len(packages)), key=lambda n: (not counts[n], open_weight[n], -n))
        open_weight[target] -= line.weight_kg
        entry = counts[target].setdefault(index, [line, 0])
        entry[1] += 1
    return [
        tuple(_item(line, quantity) for _index, (line, quantity) in sorted(parcel.items()))
        for parcel in counts
    ]


def export_reason_for(integration: Integration) -> str:
    """The integration's export reason (Sendcloud's `export_reason`, v3 §6.1)."""
    return integration.export_reason or "commercial_goods"


def shipment_request_for(
    delivery: DeliveryOrder,
    integration: Integration,
    *,
    reference: str,
    option: ShippingOption | None,
    sender: SenderAddress | None,
    packages: tuple,
    use_rules: bool = False,
) -> ShipmentRequest:
    """Reference = delivery order number; value and insurance from the lines; customs data
    outside the EU customs territory, where every parcel carries its share of the lines
    (`split_items`); inside it the items go with the first parcel."""
    currency = delivery.sales_order.currency.upper()
    items = _items(delivery)
    total = sum((i.value * i.quantity for i in items), Decimal(0))
    customs_needed = needs_customs(delivery.country.code, delivery.postal_code)
    per_parcel = split_items(delivery, packages) if customs_needed and len(packages) > 1 else None
    parcels = []
    for index, (weight, length, width, height, _package) in enumerate(packages):
        parcels.append(
            ParcelRequest(
                weight_kg=weight,
                length_cm=length,
                width_cm=width,
                height_cm=height,
                items=per_parcel[index] if per_parcel else (items if index == 0 else ()),
                insured_value=(total / len(packages)) if integration_insures(integration) else None,
            )
        )
    return ShipmentRequest(
        to_address=to_address(delivery),
        parcels=tuple(parcels),
        external_reference_id=reference,
        shipping_option_code=option.code if option else None,
        contract_id=option.contract_id if option else None,
        shipping_method_id=option.v2_method_id if option else None,
        sender_address_id=sender.sendcloud_id if sender else None,
        order_number=delivery.number,
        reference=delivery.number,
        currency=currency,
        total_order_value=total,
        service_point_id=delivery.service_point_id or None,
        post_number=delivery_post_number(delivery) or None,
        customs=CustomsRequest(
            invoice_number=delivery.number,
            export_reason=export_reason_for(integration),
            export_type="commercial_b2b" if delivery.company_name else "commercial_b2c",
            invoice_date=delivery.delivery_date,
        )
        if customs_needed
        else None,
        apply_shipping_rules=use_rules,
    )


def integration_insures(integration: Integration) -> bool:
    """Sendcloud insurance on top of the carrier's cover, per the integration's details
    (off unless `insure_labels` is set there: insurance costs money on every label)."""
    return bool((integration.details or {}).get("insure_labels"))
