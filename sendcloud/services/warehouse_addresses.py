"""Lager konfigurieren: which Sendcloud sender address each warehouse ships from."""

import re

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.inventory.models import Warehouse
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import Integration, SenderAddress, WarehouseSenderAddress


def active_sender_addresses(integration: Integration):
    return SenderAddress.objects.filter(integration=integration, archived_at__isnull=True)


def warehouse_mapping(integration: Integration) -> dict[int, WarehouseSenderAddress]:
    """Current mapping, keyed by warehouse id."""
    rows = WarehouseSenderAddress.objects.filter(integration=integration).select_related(
        "sender_address"
    )
    return {row.warehouse_id: row for row in rows}


def mapping_problems(warehouse: Warehouse, address: SenderAddress) -> list[str]:
    """Why this address cannot be the warehouse's sender (empty when it can)."""
    problems = []
    if address.archived_at is not None:
        problems.append(
            _(
                "%(warehouse)s: the sender address “%(address)s” no longer exists at Sendcloud; "
                "choose another one."
            )
            % {"warehouse": warehouse.name, "address": address}
        )
    if address.country.upper() != warehouse.country.code:
        problems.append(
            _(
                "%(warehouse)s is in %(warehouse_country)s, but the sender address “%(address)s” "
                "is in %(address_country)s; choose an address in %(warehouse_country)s."
            )
            % {
                "warehouse": warehouse.name,
                "warehouse_country": warehouse.country.code,
                "address": address,
                "address_country": address.country or "?",
            }
        )
    return problems


@transaction.atomic
def warehouse_sender_addresses_save(
    integration: Integration, choices: dict[int, int | None]
) -> int:
    """Save all rows or none: `choices` maps warehouse id → sender address id (or None).

    Both Lager konfigurieren and the warehouse form's inline save through here. Refuses with
    an ApplicationError whose problems name each wrong row (`field`: the warehouse id)."""
    warehouses = {
        w.pk: w for w in Warehouse.objects.filter(company=integration.company_id, pk__in=choices)
    }
    addresses = SenderAddress.objects.filter(integration=integration).in_bulk(
        [a for a in choices.values() if a]
    )
    problems: list[Problem] = []
    for warehouse_id, address_id in choices.items():
        warehouse = warehouses.get(warehouse_id)
        if warehouse is None:
            message = _("Unknown warehouse %(id)s.") % {"id": warehouse_id}
            problems.append(Problem(message, field=str(warehouse_id)))
            continue
        if address_id and address_id not in addresses:
            messages = [_("%(warehouse)s: unknown sender address.") % {"warehouse": warehouse.name}]
        else:
            messages = mapping_problems(warehouse, addresses[address_id]) if address_id else []
        problems += [Problem(m, object=warehouse.name, field=str(warehouse_id)) for m in messages]
    if problems:
        raise ApplicationError(_("Nothing was saved. Please fix these rows:"), problems)
    changed = 0
    current = warehouse_mapping(integration)
    for warehouse_id, address_id in choices.items():
        row = current.get(warehouse_id)
        if not address_id:
            if row:
                row.delete()
                changed += 1
        elif row is None:
            WarehouseSenderAddress.objects.create(
                warehouse_id=warehouse_id, integration=integration, sender_address_id=address_id
            )
            changed += 1
        elif row.sender_address_id != address_id:
            row.sender_address_id = address_id
            row.save(update_fields=["sender_address", "updated_at"])
            changed += 1
    return changed


def _postal_distance(a: str, b: str) -> int:
    digits_a = "".join(ch for ch in a if ch.isdigit())
    digits_b = "".join(ch for ch in b if ch.isdigit())
    if not digits_a or not digits_b:
        return 10**9
    width = max(len(digits_a), len(digits_b))
    return abs(int(digits_a.ljust(width, "0")) - int(digits_b.ljust(width, "0")))


def sender_address_suggest(warehouse: Warehouse, addresses) -> SenderAddress | None:
    """Best guess for an unmapped warehouse: same country; an address label naming the
    warehouse (name or code) wins, else the closest postal code. Only ever a suggestion."""
    candidates = [a for a in addresses if a.country.upper() == warehouse.country.code]
    if not candidates:
        return None
    code = re.compile(rf"\b{re.escape(warehouse.code)}\b", re.IGNORECASE)

    def score(address):
        label = address.label or ""
        named = warehouse.name.lower() in label.lower() or bool(code.search(label))
        return (
            0 if named else 1,
            _postal_distance(warehouse.postal_code, address.postal_code),
            address.sendcloud_id,
        )

    return min(candidates, key=score)


def warehouse_drift(integration: Integration) -> list[Problem]:
    """Mapped warehouses whose address was archived at Sendcloud or moved to another country."""
    rows = WarehouseSenderAddress.objects.filter(integration=integration)
    return [
        Problem(message, object=row.warehouse.name, field=str(row.warehouse_id))
        for row in rows.select_related("warehouse", "sender_address")
        for message in mapping_problems(row.warehouse, row.sender_address)
    ]


def sender_address_for_delivery(
    delivery_order, integration: Integration, *, lookups: dict | None = None
) -> SenderAddress:
    """The one answer to "which sender address does this delivery order ship from?".
    `lookups` remembers the answer per warehouse for the rest of one push."""
    if lookups is None:
        return _sender_address(delivery_order.warehouse, integration)
    key = ("sender", delivery_order.warehouse_id)
    if key not in lookups:
        try:
            lookups[key] = _sender_address(delivery_order.warehouse, integration)
        except ApplicationError as error:
            lookups[key] = error
    if isinstance(lookups[key], ApplicationError):
        raise lookups[key]
    return lookups[key]


def _sender_address(warehouse, integration: Integration) -> SenderAddress:
    row = (
        WarehouseSenderAddress.objects.filter(warehouse=warehouse, integration=integration)
        .select_related("sender_address")
        .first()
    )
    page = reverse("sendcloud:warehouses", args=[integration.pk])
    if row is None:
        raise ApplicationError(
            _(
                "The warehouse %(warehouse)s has no Sendcloud sender address. Choose one under "
                "Configuration → Warehouse → Sendcloud → Integration → Configure warehouses "
                "(%(page)s)."
            )
            % {"warehouse": warehouse.name, "page": page}
        )
    problems = mapping_problems(warehouse, row.sender_address)
    if problems:
        raise ApplicationError(
            " ".join(problems)
            + " "
            + _("Fix it under Configure warehouses (%(page)s).") % {"page": page}
        )
    return row.sender_address
