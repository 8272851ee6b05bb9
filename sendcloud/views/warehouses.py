"""Lager konfigurieren: one row per warehouse, a dropdown of sender addresses, one Save."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.inventory.models import Warehouse
from sendcloud import selectors
from sendcloud.errors import ApplicationError
from sendcloud.forms.warehouses import WarehouseSenderFormSet
from sendcloud.models import Brand
from sendcloud.services.warehouse_addresses import (
    active_sender_addresses,
    mapping_problems,
    sender_address_suggest,
    warehouse_mapping,
    warehouse_sender_addresses_save,
)

from .base import company_of, render


def _address_label(address, brands) -> str:
    parts = [address.label or address.company_name or address.contact_name]
    if address.brand_id and address.brand_id in brands:
        parts.append(f"[{brands[address.brand_id]}]")
    parts.append(
        f"– {address.street} {address.house_number}, {address.postal_code} "
        f"{address.city}, {address.country}"
    )
    return " ".join(p for p in parts if p)


def warehouses_configure(request, pk):
    company = company_of(request)
    integration = selectors.integration_get(company, pk)
    warehouses = list(Warehouse.objects.filter(company=company, is_active=True))
    addresses = list(active_sender_addresses(integration))
    brands = dict(Brand.objects.filter(integration=integration).values_list("sendcloud_id", "name"))
    mapping = warehouse_mapping(integration)
    data = request.POST if request.method == "POST" else None
    formset = WarehouseSenderFormSet(
        data, warehouses=warehouses, addresses=addresses, mapping=mapping
    )
    if request.method == "POST" and formset.is_valid():
        try:
            changed = warehouse_sender_addresses_save(integration, formset.choices_submitted())
        except ApplicationError as error:
            formset.add_problems(error)
        else:
            messages.success(
                request,
                _("Sender addresses saved for the warehouses (%(count)s changed).")
                % {"count": changed},
            )
            return redirect("sendcloud:integration")
    errors = formset.row_errors() if formset.is_bound else []
    rows = []
    for form in formset:
        warehouse, current = form.warehouse, mapping.get(form.warehouse.pk)
        rows.append(
            {
                "warehouse": warehouse,
                "form": form,
                "chosen": str(form["sender_address"].value() or ""),
                "refused": list(form.errors.get("sender_address", [])) if formset.is_bound else [],
                "current": current,
                "drift": mapping_problems(warehouse, current.sender_address) if current else [],
                "suggestion": None if current else sender_address_suggest(warehouse, addresses),
            }
        )
    context = {
        "integration": integration,
        "formset": formset,
        "rows": rows,
        "options": [
            {"id": str(a.pk), "label": _address_label(a, brands), "country": a.country}
            for a in addresses
        ],
        "errors": errors,
        "sync_url": reverse("sendcloud:sync", args=[integration.pk]),
    }
    return render(
        request,
        "sendcloud/warehouses.html",
        context,
        title=_("Configure warehouses"),
        status=400 if errors else 200,
    )
