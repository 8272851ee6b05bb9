"""Writing what Sendcloud answered onto Shipment and Label rows (both generations)."""

import base64
import binascii
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from sendcloud.client.types import ParcelV2
from sendcloud.client.types import Shipment as ApiShipment
from sendcloud.models import Label, Shipment

ANNOUNCING_CODES = {"ANNOUNCING", "NO_LABEL"}
FAILED_CODES = {"ANNOUNCEMENT_FAILED"}
CANCELLED_IDS = {2000, 1998}


def _strip_label_bytes(raw: dict) -> dict:
    parcels = [
        {k: v for k, v in p.items() if k != "label_file"} if isinstance(p, dict) else p
        for p in raw.get("parcels") or []
    ]
    return {**raw, "parcels": parcels} if "parcels" in raw else raw


def _option_price(shipment: Shipment) -> tuple[Decimal | None, str]:
    from_option = shipment.raw.get("_option_price") if shipment.raw else None
    if not from_option:
        return None, ""
    try:
        return Decimal(str(from_option["price"])), str(from_option.get("currency") or "")
    except (InvalidOperation, KeyError, TypeError):
        return None, ""


def _label_rows(shipment: Shipment, count: int) -> list[Label]:
    labels = list(shipment.labels.order_by("collo"))
    for collo in range(len(labels) + 1, count + 1):
        labels.append(Label.objects.create(shipment=shipment, collo=collo))
    return labels


def _save_label_file(label: Label, data: str | None, mime_type: str) -> None:
    if not data or label.label_pdf:
        return
    try:
        content = base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return
    if mime_type == "application/zpl":
        label.label_zpl.save(f"label-{label.sendcloud_parcel_id}.zpl", ContentFile(content), False)
    elif content.startswith(b"%PDF"):
        label.label_pdf.save(f"label-{label.sendcloud_parcel_id}.pdf", ContentFile(content), False)


def shipment_apply_v3(shipment: Shipment, api: ApiShipment) -> Shipment:
    """Copy a v3 shipment onto the row and its labels; the state follows the parcels."""
    shipment.sendcloud_shipment_id = api.id
    if api.carrier:
        shipment.carrier_code = api.carrier.code or shipment.carrier_code
        shipment.carrier_name = api.carrier.name or shipment.carrier_name
    shipment.shipping_option_code = api.shipping_option_code or shipment.shipping_option_code
    keep = {k: v for k, v in (shipment.raw or {}).items() if k.startswith("_")}
    shipment.raw = {**_strip_label_bytes(api.raw), **keep}
    mime = ((api.raw.get("label_details") or {}).get("mime_type")) or "application/pdf"
    labels = _label_rows(shipment, len(api.parcels))
    codes = set()
    for label, parcel in zip(labels, api.parcels, strict=False):
        label.sendcloud_parcel_id = parcel.id
        label.tracking_number = parcel.tracking_number or ""
        label.tracking_url = parcel.tracking_url or ""
        if parcel.status:
            label.status_code = parcel.status.code or ""
            label.status_id = parcel.status.id
            label.status_message = parcel.status.message or ""
            codes.add(label.status_code)
        if parcel.weight and parcel.weight.value is not None:
            label.weight_kg = parcel.weight.value
        _save_label_file(label, parcel.label_file, mime)
        label.save()
    _state_from_codes(shipment, codes, message_from=api)
    shipment.save()
    return shipment


def _state_from_codes(shipment: Shipment, codes: set, message_from=None) -> None:
    if codes & FAILED_CODES:
        shipment.state = Shipment.State.FAILED
        errors = getattr(message_from, "errors", ()) or ()
        details = "; ".join(str(e.get("detail") or "") for e in errors if e.get("detail"))
        shipment.error_message = details or _("The carrier refused the parcel.")
    elif codes & ANNOUNCING_CODES:
        shipment.state = Shipment.State.ANNOUNCING
    elif codes & {"CANCELLED", "CANCELLED_UPSTREAM"}:
        shipment.state = Shipment.State.CANCELLED
    else:
        shipment.state = Shipment.State.LIVE
    price, currency = _option_price(shipment)
    if price is not None:
        shipment.price, shipment.currency = price, currency


def shipment_apply_v2(shipment: Shipment, parcels: list[ParcelV2]) -> Shipment:
    """Copy v2 parcels (one per collo) onto the row; the first parcel id names the shipment."""
    parcels = sorted(parcels, key=lambda p: (p.collo_nr or 0, p.id))
    shipment.sendcloud_shipment_id = str(parcels[0].id) if parcels else ""
    if parcels and parcels[0].carrier_code:
        shipment.carrier_code = parcels[0].carrier_code
    keep = {k: v for k, v in (shipment.raw or {}).items() if k.startswith("_")}
    shipment.raw = {"parcels": [p.raw for p in parcels], **keep}
    labels = _label_rows(shipment, len(parcels))
    codes = set()
    for label, parcel in zip(labels, parcels, strict=False):
        label.sendcloud_parcel_id = parcel.id
        label.tracking_number = parcel.tracking_number or ""
        label.tracking_url = parcel.tracking_url or ""
        if parcel.status:
            label.status_id = parcel.status.id
            label.status_code = parcel.status.code or ""
            label.status_message = parcel.status.message or ""
            codes.add(label.status_code)
        label.weight_kg = parcel.weight
        label.save()
    _state_from_codes(shipment, codes)
    shipment.save()
    return shipment
