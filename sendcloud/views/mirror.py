"""Lists of the mirrored Sendcloud objects, with search and filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from sendcloud import formatting, selectors, vocabulary
from sendcloud.client import SendcloudError
from sendcloud.forms.mirror import MirrorFilterForm
from sendcloud.models import (
    Brand,
    Carrier,
    Invoice,
    ObjectType,
    Parcel,
    ParcelStatus,
    Return,
    SenderAddress,
    ShippingOption,
    ShippingRoute,
    SyncState,
)
from sendcloud.services.shipping.routes import working_days_text
from sendcloud.sync.invoices import invoice_items_fetch

from .base import company_of, render


@dataclass(frozen=True)
class MirrorList:
    model: type
    title: str
    columns: tuple[tuple[str, str], ...]  # (attribute, heading)
    search: tuple[str, ...]
    filters: tuple[str, ...] = ()
    order: tuple[str, ...] = field(default=())


LISTS = {
    "sender-addresses": MirrorList(
        SenderAddress,
        gettext_lazy("Sender addresses"),
        (
            ("sendcloud_id", gettext_lazy("Sendcloud id")),
            ("label", gettext_lazy("Label")),
            ("company_name", gettext_lazy("Company")),
            ("contact_name", gettext_lazy("Contact")),
            ("street_line", gettext_lazy("Street")),
            ("city_line", gettext_lazy("City")),
            ("country", gettext_lazy("Country")),
            ("brand_id", gettext_lazy("Brand")),
        ),
        ("company_name", "contact_name", "street", "city", "postal_code", "label", "email"),
    ),
    "shipping-methods": MirrorList(
        ShippingOption,
        gettext_lazy("Sendcloud shipping options"),
        (
            ("name", gettext_lazy("Name")),
            ("carrier_label", gettext_lazy("Carrier")),
            ("weight_range", gettext_lazy("Weight")),
            ("code", gettext_lazy("Code")),
            ("service_point_required", gettext_lazy("Service point")),
            ("supports_returns", gettext_lazy("Returns")),
        ),
        ("name", "code", "carrier_code", "product_name"),
        ("carrier",),
    ),
    "routes": MirrorList(
        ShippingRoute,
        gettext_lazy("Shipping routes"),
        (
            ("option_name", gettext_lazy("Name")),
            ("carrier_label", gettext_lazy("Carrier")),
            ("from_country", gettext_lazy("From")),
            ("to_country", gettext_lazy("To")),
            ("weight_range", gettext_lazy("Weight")),
            ("band_prices", gettext_lazy("Prices")),
            ("lead_days", gettext_lazy("Delivery time")),
            ("service_point_required", gettext_lazy("Service point")),
        ),
        ("option_code", "option_name", "from_country", "to_country"),
    ),
    "carriers": MirrorList(
        Carrier,
        gettext_lazy("Carriers"),
        (("name", gettext_lazy("Name")), ("code", gettext_lazy("Code"))),
        ("code", "name"),
    ),
    "parcel-statuses": MirrorList(
        ParcelStatus,
        gettext_lazy("Parcel statuses"),
        (
            ("status_name", gettext_lazy("Status")),
            ("v3_code", gettext_lazy("v3 code")),
            ("v2_id", gettext_lazy("v2 id")),
            ("message", gettext_lazy("Sendcloud text")),
        ),
        ("v3_code", "message", "group"),
    ),
    "parcels": MirrorList(
        Parcel,
        gettext_lazy("Parcels"),
        (
            ("sendcloud_id", gettext_lazy("Parcel id")),
            ("tracking_link", gettext_lazy("Tracking number")),
            ("status_name", gettext_lazy("Status")),
            ("carrier_label", gettext_lazy("Carrier")),
            ("shipping_method", gettext_lazy("Shipping method")),
            ("order_number", gettext_lazy("Order number")),
            ("to_name", gettext_lazy("Recipient")),
            ("to_country", gettext_lazy("Country")),
            ("weight", gettext_lazy("Weight")),
            ("sendcloud_created_at", gettext_lazy("Created")),
        ),
        ("tracking_number", "order_number", "external_reference", "to_name", "to_city"),
        ("status", "carrier", "date_from", "date_to"),
    ),
    "returns": MirrorList(
        Return,
        gettext_lazy("Returns"),
        (
            ("sendcloud_id", gettext_lazy("Return id")),
            ("return_status", gettext_lazy("Status")),
            ("reason_name", gettext_lazy("Reason")),
            ("order_number", gettext_lazy("Order number")),
            ("incoming_tracking_number", gettext_lazy("Return tracking number")),
            ("refund_name", gettext_lazy("Refund")),
            ("sendcloud_created_at", gettext_lazy("Created")),
            ("retoure_link", gettext_lazy("Return receipt")),
        ),
        ("order_number", "incoming_tracking_number", "reason", "status"),
        ("date_from", "date_to"),
    ),
    "invoices": MirrorList(
        Invoice,
        gettext_lazy("Invoices"),
        (
            ("sendcloud_id", gettext_lazy("Sendcloud id")),
            ("reference", gettext_lazy("Reference")),
            ("type_name", gettext_lazy("Type")),
            ("date", gettext_lazy("Date")),
            ("net", gettext_lazy("Net")),
            ("gross", gettext_lazy("Gross")),
            ("is_paid", gettext_lazy("Paid")),
            ("items_link", gettext_lazy("Items")),
        ),
        ("reference", "type"),
        ("paid", "date_from", "date_to"),
    ),
    "brands": MirrorList(
        Brand,
        gettext_lazy("Brands"),
        (
            ("sendcloud_id", gettext_lazy("Sendcloud id")),
            ("name", gettext_lazy("Name")),
            ("domain", gettext_lazy("Domain")),
        ),
        ("name", "domain"),
    ),
}
# Shown under Berichte → Lager → Sendcloud (views/reports.py); the rest are configuration.
REPORT_KINDS = ("brands", "parcels", "returns", "invoices")
DATE_FIELDS = {Parcel: "sendcloud_created_at", Return: "sendcloud_created_at", Invoice: "date"}


# The object type of the Abgleich that fills each list.
SYNCED_BY = {
    Parcel: ObjectType.PARCELS,
    Return: ObjectType.RETURNS,
    Invoice: ObjectType.INVOICES,
    Brand: ObjectType.BRANDS,
    SenderAddress: ObjectType.SENDER_ADDRESSES,
    ShippingOption: ObjectType.SHIPPING_METHODS,
    Carrier: ObjectType.SHIPPING_METHODS,
    ParcelStatus: ObjectType.PARCEL_STATUSES,
}


def empty_text(integration, model) -> str:
    """What an empty, unfiltered list says: whether its Abgleich ran, and what it found."""
    state = SyncState.objects.filter(
        integration=integration, object_type=SYNCED_BY.get(model, "")
    ).first()
    objects = model._meta.verbose_name_plural
    if state is None or state.last_finished_at is None:
        return _("Nothing mirrored yet. Start a sync to fetch the objects from Sendcloud.")
    when = formatting.moment(state.last_finished_at)
    if state.last_outcome == "failed":
        return _("The last sync of %(objects)s failed (%(when)s); see the sync page.") % {
            "objects": objects,
            "when": when,
        }
    return _("No %(objects)s at Sendcloud (synced %(when)s).") % {"objects": objects, "when": when}


def _filtered(config: MirrorList, integration, form: MirrorFilterForm):
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.report_rows(
        config.model,
        integration,
        data,
        search=config.search,
        date_field=DATE_FIELDS.get(config.model, ""),
    )


def _searched(form: MirrorFilterForm) -> bool:
    """Whether the user narrowed the list (then an empty table means "nothing matched")."""
    if not form.is_bound or not form.is_valid():
        return False
    return any(
        value not in (None, "", False)
        for name, value in form.cleaned_data.items()
        if name != "archived"
    )


def _choices(integration, config: MirrorList):
    statuses, carriers = [], []
    if "status" in config.filters:
        statuses = selectors.report_status_choices(config.model, integration)
    if "carrier" in config.filters:
        carriers = selectors.report_carrier_choices(integration)
    return statuses, carriers


# Names Sendcloud or the user gave (products, companies, people): shown as they are, and marked
# so that a browser's translation leaves them alone.
PROPER_NAMES = {"name", "company_name", "contact_name", "to_name", "label", "domain", "reference"}


def _carrier_names(integration) -> dict[str, str]:
    return {
        code: name
        for code, name in Carrier.objects.filter(integration=integration).values_list(
            "code", "name"
        )
        if name
    }


def _option_names(integration) -> dict[str, str]:
    """Option code → the option's name, for parcels that name their option by code."""
    return {
        code: name
        for code, name in ShippingOption.objects.filter(integration=integration).values_list(
            "code", "name"
        )
        if name
    }


def _cell(obj, attribute: str, carriers: dict[str, str], options: dict | None = None) -> dict:
    """One table cell: its text, and a link or an on-demand action where there is one."""
    if attribute == "street_line":
        return {"value": f"{obj.street} {obj.house_number}".strip(), "proper": True}
    if attribute == "city_line":
        return {"value": f"{obj.postal_code} {obj.city}".strip(), "proper": True}
    if attribute == "weight_range":
        return {"value": formatting.weight_range_kg(obj.min_weight_kg, obj.max_weight_kg)}
    if attribute == "weight":
        return {"value": formatting.weight_kg(obj.weight_kg) or "–"}
    if attribute == "band_prices":
        prices = [
            formatting.money(b.get("price"), b.get("currency") or "EUR")
            for b in obj.bands or ()
            if b.get("price") not in (None, "")
        ]
        return {"value": " / ".join(prices) or "–"}
    if attribute == "lead_days":
        return {"value": working_days_text(obj.lead_time_hours()) or "–"}
    if attribute == "carrier_label":
        code = obj.carrier_code
        name = carriers.get(code) or getattr(obj, "carrier_name", "") or code
        return {"value": name or "–", "detail": code if code != name else ""}
    if attribute == "status_name":
        code = getattr(obj, "status_code", "") or getattr(obj, "v3_code", "")
        message = getattr(obj, "status_message", "") or getattr(obj, "message", "")
        v2_id = getattr(obj, "status_id", None) or getattr(obj, "v2_id", None)
        text = vocabulary.parcel_status_name(code, message, v2_id)
        return {"value": text or "–", "detail": code}
    if attribute == "return_status":
        return {"value": vocabulary.name(vocabulary.RETURN_STATUS, obj.status) or "–"}
    if attribute == "reason_name":
        return {"value": vocabulary.return_reason_name(obj.reason) or "–"}
    if attribute == "refund_name":
        text = vocabulary.name(vocabulary.REFUND, obj.refund_status)
        if obj.refund_total is not None:
            text = f"{text} ({formatting.money(obj.refund_total)})".strip()
        return {"value": text or "–"}
    if attribute == "type_name":
        return {"value": vocabulary.name(vocabulary.INVOICE_TYPE, obj.type) or "–"}
    if attribute in ("net", "gross"):
        amount = obj.price_excl if attribute == "net" else obj.price_incl
        return {"value": formatting.money(amount) or "–", "numeric": True}
    if attribute == "tracking_link":
        link = formatting.tracking_url(obj.tracking_url)
        return {"value": obj.tracking_number or "–", "url": link}
    if attribute == "retoure_link":
        # The return's page in the back office shows its Retoure (and books it).
        if obj.retoure_id:
            retoure = obj.retoure
            return {
                "value": f"{retoure.number} · {retoure.get_state_display()}",
                "local": reverse("sendcloud:return", args=[obj.pk]),
            }
        if obj.delivery_order_id:
            return {"value": "–", "local": reverse("sendcloud:return", args=[obj.pk])}
        return {"value": "–"}
    if attribute == "items_link":
        if obj.items:
            names = (vocabulary.invoice_item_name(i.get("name")) for i in obj.items)
            return {"value": ", ".join(names)}
        return {"fetch": obj.pk}
    value = getattr(obj, attribute)
    if attribute == "shipping_method" and ":" in (value or ""):
        # A v3 option code ("gls_de:shop_delivery"): the option's name, the code on hover.
        name = (options or {}).get(value)
        if name:  # Sendcloud's product name ("UPS Standard Pickup"): a name, not our words
            return {"value": name, "detail": value, "proper": True}
        return {"value": value, "code": True}
    if attribute in ("code", "v3_code"):
        return {"value": value or "–", "code": bool(value)}
    if attribute == "message":  # Sendcloud's own English text, shown next to our name
        return {"value": value or "–", "english": True}
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, datetime):
        return {"moment": value}
    return {"value": "–" if value in (None, "") else value, "proper": attribute in PROPER_NAMES}


def mirror_list(request, pk, kind):
    integration = selectors.integration_get(company_of(request), pk)
    config = LISTS.get(kind)
    if config is None:
        raise Http404
    statuses, carriers = _choices(integration, config)
    form = MirrorFilterForm(
        request.GET or None, filters=config.filters, statuses=statuses, carriers=carriers
    )
    rows = _filtered(config, integration, form)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    carrier_names = _carrier_names(integration)
    options = _option_names(integration)
    table = [
        {
            "obj": obj,
            "cells": [
                _cell(obj, name, carrier_names, options) for name, _heading in config.columns
            ],
        }
        for obj in page
    ]
    context = {
        "table": table,
        "integration": integration,
        "config": config,
        "kind": kind,
        "kinds": [(key, item.title) for key, item in LISTS.items() if key not in REPORT_KINDS],
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "searched": _searched(form),
        "empty_text": empty_text(integration, config.model),
    }
    return render(request, "sendcloud/mirror/list.html", context, title=config.title)


@require_POST
def invoice_items(request, pk, invoice_pk):
    """Fetch an invoice's lines from Sendcloud on demand."""
    integration = selectors.integration_get(company_of(request), pk)
    invoice = get_object_or_404(Invoice, integration=integration, pk=invoice_pk)
    try:
        invoice_items_fetch(integration, invoice)
    except SendcloudError as error:
        messages.error(request, _("Sendcloud answered with an error: %(error)s") % {"error": error})
    else:
        count = len(invoice.items)
        messages.success(
            request,
            ngettext(
                "Invoice %(reference)s has %(count)s item.",
                "Invoice %(reference)s has %(count)s items.",
                count,
            )
            % {"reference": invoice.reference or invoice.sendcloud_id, "count": count},
        )
    target = reverse("sendcloud:report", args=[integration.pk, "invoices"])
    return redirect(f"{target}?q={invoice.reference}")


def mirror_default(request, kind):
    """The list of the company's default integration (for the menu)."""
    if kind not in LISTS:
        raise Http404
    integration = selectors.integration_default(company_of(request))
    if integration is None:
        messages.info(request, _("Link a Sendcloud account first."))
        return redirect("sendcloud:integration")
    return redirect("sendcloud:mirror", pk=integration.pk, kind=kind)
