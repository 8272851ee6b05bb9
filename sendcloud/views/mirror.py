"""Lists of the mirrored Sendcloud objects, with search and filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from sendcloud import selectors
from sendcloud.client import SendcloudError
from sendcloud.forms.mirror import MirrorFilterForm
from sendcloud.models import (
    Brand,
    Carrier,
    Invoice,
    Parcel,
    ParcelStatus,
    Return,
    SenderAddress,
    ShippingOption,
)
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
        gettext_lazy("Shipping methods"),
        (
            ("name", gettext_lazy("Name")),
            ("code", gettext_lazy("Code")),
            ("carrier_code", gettext_lazy("Carrier")),
            ("weight_range", gettext_lazy("Weight (kg)")),
            ("service_point_required", gettext_lazy("Service point")),
            ("supports_returns", gettext_lazy("Returns")),
        ),
        ("name", "code", "carrier_code", "product_name"),
        ("carrier",),
    ),
    "carriers": MirrorList(
        Carrier,
        gettext_lazy("Carriers"),
        (("code", gettext_lazy("Code")), ("name", gettext_lazy("Name"))),
        ("code", "name"),
    ),
    "parcel-statuses": MirrorList(
        ParcelStatus,
        gettext_lazy("Parcel statuses"),
        (
            ("v2_id", gettext_lazy("v2 id")),
            ("v3_code", gettext_lazy("v3 code")),
            ("message", gettext_lazy("Message")),
            ("group", gettext_lazy("Group")),
        ),
        ("v3_code", "message", "group"),
    ),
    "parcels": MirrorList(
        Parcel,
        gettext_lazy("Parcels"),
        (
            ("sendcloud_id", gettext_lazy("Parcel id")),
            ("tracking_link", gettext_lazy("Tracking number")),
            ("status_message", gettext_lazy("Status")),
            ("carrier_code", gettext_lazy("Carrier")),
            ("shipping_method", gettext_lazy("Shipping method")),
            ("order_number", gettext_lazy("Order number")),
            ("to_name", gettext_lazy("Recipient")),
            ("to_country", gettext_lazy("Country")),
            ("weight_kg", gettext_lazy("Weight (kg)")),
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
            ("status", gettext_lazy("Status")),
            ("reason", gettext_lazy("Reason")),
            ("order_number", gettext_lazy("Order number")),
            ("incoming_tracking_number", gettext_lazy("Return tracking number")),
            ("refund_status", gettext_lazy("Refund")),
            ("sendcloud_created_at", gettext_lazy("Created")),
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
            ("type", gettext_lazy("Type")),
            ("date", gettext_lazy("Date")),
            ("price_excl", gettext_lazy("Net")),
            ("price_incl", gettext_lazy("Gross")),
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
DATE_FIELDS = {Parcel: "sendcloud_created_at", Return: "sendcloud_created_at", Invoice: "date"}


def _filtered(config: MirrorList, integration, form: MirrorFilterForm):
    rows = config.model.objects.filter(integration=integration)
    data = form.cleaned_data if form.is_valid() else {}
    if not data.get("archived"):
        rows = rows.filter(archived_at__isnull=True)
    if data.get("q"):
        query = Q()
        for name in config.search:
            query |= Q(**{f"{name}__icontains": data["q"].strip()})
        rows = rows.filter(query)
    if data.get("status"):
        rows = rows.filter(status_code=data["status"])
    if data.get("carrier"):
        rows = rows.filter(carrier_code=data["carrier"])
    if data.get("paid"):
        rows = rows.filter(is_paid=data["paid"] == "yes")
    date_field = DATE_FIELDS.get(config.model)
    if date_field and data.get("date_from"):
        rows = rows.filter(**{f"{date_field}__date__gte": data["date_from"]})
    if date_field and data.get("date_to"):
        rows = rows.filter(**{f"{date_field}__date__lte": data["date_to"]})
    return rows


def _choices(integration, config: MirrorList):
    statuses, carriers = [], []
    if "status" in config.filters:
        statuses = [
            (s.v3_code, s.message or s.v3_code)
            for s in ParcelStatus.objects.filter(integration=integration).exclude(v3_code="")
        ]
    if "carrier" in config.filters:
        carriers = [
            (c.code, c.name or c.code) for c in Carrier.objects.filter(integration=integration)
        ]
    return statuses, carriers


def _carrier_names(integration) -> dict[str, str]:
    return {}


def _cell(obj, attribute: str, carriers=None) -> dict:
    """One table cell: its text, and a link or an on-demand action where there is one."""
    if attribute == "street_line":
        return {"value": f"{obj.street} {obj.house_number}".strip()}
    if attribute == "city_line":
        return {"value": f"{obj.postal_code} {obj.city}".strip()}
    if attribute == "weight_range":
        low, high = obj.min_weight_kg, obj.max_weight_kg
        return {"value": f"{low if low is not None else '–'} – {high if high is not None else '–'}"}
    if attribute == "tracking_link":
        return {"value": obj.tracking_number or "–", "url": obj.tracking_url}
    if attribute == "items_link":
        if obj.items:
            return {"value": ", ".join(str(i.get("name") or "") for i in obj.items)}
        return {"fetch": obj.pk}
    value = getattr(obj, attribute)
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, datetime):
        return {"moment": value}
    return {"value": "–" if value in (None, "") else value}


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
    table = [
        {"obj": obj, "cells": [_cell(obj, name) for name, _heading in config.columns]}
        for obj in page
    ]
    context = {
        "table": table,
        "integration": integration,
        "config": config,
        "kind": kind,
        "kinds": [(key, item.title) for key, item in LISTS.items()],
        "form": form,
        "page": page,
        "total": page.paginator.count,
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
