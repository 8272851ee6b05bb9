"""Berichte → Lager → Sendcloud: Brands, Pakete, Retouren, Rechnungen and the Aktions-Logging.

The mirrored lists of `mirror.py` (their columns and cells) shown as reports: filtered, searched,
sorted, with totals, exported to CSV or Excel, and parcels and returns linked to their delivery
orders. The configuration lists (sender addresses, shipping options, …) stay in `mirror.py`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from backoffice.sales.models import DeliveryOrder
from sendcloud import selectors
from sendcloud.forms.mirror import ApiCallFilterForm, MirrorFilterForm
from sendcloud.models import ApiCall, Parcel, Return

from . import mirror
from .base import company_of, render
from .exports import FORMATS, table_download

REPORTS = {kind: mirror.LISTS[kind] for kind in mirror.REPORT_KINDS}
REPORTS["returns"] = replace(REPORTS["returns"], filters=("status", *REPORTS["returns"].filters))
# The help pages' words for the menu and the page titles.
TITLES = {
    "brands": pgettext_lazy("Sendcloud report", "Brands"),
    "parcels": pgettext_lazy("Sendcloud report", "Parcels"),
    "returns": pgettext_lazy("Sendcloud report", "Returns"),
    "invoices": pgettext_lazy("Sendcloud report", "Invoices"),
}
# A column shown under a name of its own sorts by the field behind it.
SORT_FIELDS = {
    "tracking_link": "tracking_number",
    "status_name": "status_code",
    "status_message": "status_code",
    "carrier_label": "carrier_code",
    "weight": "weight_kg",
    "return_status": "status",
    "reason_name": "reason",
    "refund_name": "refund_status",
    "type_name": "type",
    "net": "price_excl",
    "gross": "price_incl",
}
DETAIL_HIDDEN = {
    "id", "integration", "raw", "fingerprint", "seen_run", "documents", "items", "label_pdf",
}  # fmt: skip
# Fields that hold Sendcloud's codes or English words, shown by their name as the list shows them
# ("Zugestellt", not "Delivered"; "DHL", not "dhl"); the codes behind them stay in the raw data.
DETAIL_SHOWN_AS = {
    "status_message": "status_name",
    "status": "return_status",
    "carrier_code": "carrier_label",
    "shipping_method": "shipping_method",
    "weight_kg": "weight",
    "reason": "reason_name",
    "refund_status": "refund_name",
    "type": "type_name",
}
DETAIL_CODES = {"status_code", "status_id", "refund_total"}


def _sort_field(model, attribute: str) -> str | None:
    name = SORT_FIELDS.get(attribute, attribute)
    return name if any(f.name == name for f in model._meta.concrete_fields) else None


def _sorted(rows, model, columns, requested: str):
    """Rows in the order the user clicked (`o=field` or `o=-field`), else the model's."""
    sortable = {_sort_field(model, name) for name, _heading in columns} - {None}
    if requested.lstrip("-") in sortable:
        return rows.order_by(requested, "-pk"), requested
    return rows, ""


def _headings(columns, model, current: str):
    """Each column heading with the link that sorts by it (again: the other way round)."""
    out = []
    for name, heading in columns:
        field = _sort_field(model, name)
        if field is None:
            out.append({"heading": heading})
            continue
        order = f"-{field}" if current == field else field
        out.append(
            {"heading": heading, "sort": order, "active": current.lstrip("-") == field,
             "descending": current == f"-{field}"}
        )  # fmt: skip
    return out


def _export_value(obj, name: str, cell: dict):
    """Numbers and times as they are (a spreadsheet can sum and sort them), the rest as shown."""
    field = _sort_field(type(obj), name)
    raw = getattr(obj, field) if field else None
    if isinstance(raw, int | float | Decimal | date) and not isinstance(raw, bool):
        return raw
    return _plain(cell)


def _plain(cell: dict):
    """A table cell as a value for the export file."""
    if "moment" in cell:
        return cell["moment"]
    if "bool" in cell:
        return _("yes") if cell["bool"] else _("no")
    if cell.get("fetch"):
        return ""
    value = cell.get("value")
    return "" if value == "–" else value


def _deliveries(integration, model, objects) -> dict:
    if model is Parcel:
        return selectors.delivery_orders_of_parcels(integration, objects)
    if model is Return:
        return selectors.delivery_orders_of_returns(integration, objects)
    return {}


def _form(request, integration, config):
    statuses = selectors.report_status_choices(config.model, integration)
    carriers = selectors.report_carrier_choices(integration) if "carrier" in config.filters else []
    form = MirrorFilterForm(
        request.GET or None, filters=config.filters, statuses=statuses, carriers=carriers
    )
    return form, (form.cleaned_data if form.is_valid() else {})


def report_list(request, pk, kind):
    """One report of one integration; `?export=csv|xlsx` downloads every filtered row."""
    company = company_of(request)
    integration = selectors.integration_get(company, pk)
    config = REPORTS.get(kind)
    if config is None:
        raise Http404
    form, filters = _form(request, integration, config)
    delivery = None
    if request.GET.get("delivery", "").isdigit():
        delivery = DeliveryOrder.objects.filter(company=company, pk=request.GET["delivery"]).first()
        if delivery is not None and config.model is Parcel:
            filters = {**filters, "delivery": delivery}
    rows = selectors.report_rows(
        config.model,
        integration,
        filters,
        search=config.search,
        date_field=mirror.DATE_FIELDS.get(config.model, ""),
    )
    rows, order = _sorted(rows, config.model, config.columns, request.GET.get("o", ""))
    linked = config.model in (Parcel, Return)
    headings = [h for _name, h in config.columns]
    if linked:
        headings.append(_("Delivery order"))
    if request.GET.get("export") in FORMATS:
        carriers = mirror._carrier_names(integration)
        options = mirror._option_names(integration)
        # Sendcloud's JSON is never exported: leaving it in the database keeps the one query lean.
        objects = list(rows.defer("raw"))
        deliveries = _deliveries(integration, config.model, objects)
        table = []
        for obj in objects:
            values = [
                _export_value(obj, name, mirror._cell(obj, name, carriers, options))
                for name, _h in config.columns
            ]
            if linked:
                found = deliveries.get(obj.pk)
                values.append(found.number if found else "")
            table.append(values)
        name = f"sendcloud-{kind}-{datetime.now():%Y%m%d}"
        return table_download(name, request.GET["export"], headings, table)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    carriers = mirror._carrier_names(integration)
    options = mirror._option_names(integration)
    deliveries = _deliveries(integration, config.model, page.object_list)
    table = [
        {
            "obj": obj,
            "cells": [
                mirror._cell(obj, name, carriers, options) for name, _heading in config.columns
            ],
            "delivery": deliveries.get(obj.pk),
        }
        for obj in page
    ]
    query = request.GET.copy()
    for name in ("page", "export", "o"):
        query.pop(name, None)
    context = {
        "section": "reports",
        "table": table,
        "integration": integration,
        "integrations": selectors.integrations_for(company),
        "config": config,
        "kind": kind,
        "kinds": [(key, TITLES[key]) for key in REPORTS],
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "headings": _headings(config.columns, config.model, order),
        "linked": linked,
        "detail_route": {Parcel: "sendcloud:report-parcel", Return: "sendcloud:report-return"}.get(
            config.model
        ),
        "totals": selectors.report_totals(config.model, rows),
        "query": query.urlencode(),
        "order": order,
        "delivery_filter": delivery,
        "searched": bool(request.GET.get("q") or any(filters.get(k) for k in config.filters)),
        "empty_text": mirror.empty_text(integration, config.model),
    }
    return render(request, "sendcloud/reports/list.html", context, title=TITLES[kind])


def report_default(request, kind):
    """The report of the company's default integration (for the menu), keeping the query."""
    if kind not in REPORTS:
        raise Http404
    integration = selectors.integration_default(company_of(request))
    if integration is None:
        return mirror.mirror_default(request, kind)  # says to link an account first
    url = reverse("sendcloud:report", args=[integration.pk, kind])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


def _detail(request, pk, model, obj_pk, kind):
    integration = selectors.integration_get(company_of(request), pk)
    obj = get_object_or_404(model, integration=integration, pk=obj_pk)
    delivery = _deliveries(integration, model, [obj]).get(obj.pk)
    carriers = mirror._carrier_names(integration)
    options = mirror._option_names(integration)
    fields = []
    for field in model._meta.concrete_fields:
        value = getattr(obj, field.name)
        if field.name in DETAIL_HIDDEN or (
            value in (None, "") and field.name not in DETAIL_SHOWN_AS
        ):
            continue
        proper = field.name in mirror.PROPER_NAMES
        if field.name in DETAIL_SHOWN_AS:
            cell = mirror._cell(obj, DETAIL_SHOWN_AS[field.name], carriers, options)
            value, proper = cell.get("value"), bool(cell.get("proper"))
            if value in (None, "", "–"):
                continue
        elif field.name in DETAIL_CODES:
            continue  # shown by its name in the row above (DETAIL_SHOWN_AS)
        fields.append((field.verbose_name, value, proper))
    context = {
        "section": "reports",
        "integration": integration,
        "obj": obj,
        "kind": kind,
        "kind_title": TITLES[kind],
        "fields": fields,
        "delivery": delivery,
        "list_url": reverse("sendcloud:report", args=[integration.pk, kind]),
    }
    title = _("%(kind)s %(id)s") % {"kind": model._meta.verbose_name, "id": obj.sendcloud_id}
    return render(request, "sendcloud/reports/detail.html", context, title=title)


def report_parcel(request, pk, parcel_pk):
    return _detail(request, pk, Parcel, parcel_pk, "parcels")


def report_return(request, pk, return_pk):
    return _detail(request, pk, Return, return_pk, "returns")


API_CALL_COLUMNS = (
    ("created_at", gettext_lazy("Time")),
    ("integration", gettext_lazy("Integration")),
    ("method", gettext_lazy("Method")),
    ("path", gettext_lazy("Path")),
    ("status_code", gettext_lazy("Status")),
    ("duration_ms", gettext_lazy("Duration (ms)")),
    ("attempt", gettext_lazy("Attempt")),
    ("reference", gettext_lazy("For")),
    ("error", gettext_lazy("Error")),
)


def api_call_log(request):
    """Aktions-Logging: every call made to Sendcloud for the company."""
    company = company_of(request)
    if "failed" in request.GET and request.GET.get("failed") == "1":
        query = request.GET.copy()
        query["failed"] = "on"  # the old link's spelling
        form = ApiCallFilterForm(query)
    else:
        form = ApiCallFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.api_call_rows(company, filters)
    rows, order = _sorted(rows, ApiCall, API_CALL_COLUMNS, request.GET.get("o", ""))
    if request.GET.get("export") in FORMATS:
        table = [
            [
                str(call.integration or "") if name == "integration" else getattr(call, name)
                for name, _heading in API_CALL_COLUMNS
            ]
            for call in rows
        ]
        name = f"sendcloud-api-calls-{datetime.now():%Y%m%d}"
        headings = [h for _n, h in API_CALL_COLUMNS]
        return table_download(name, request.GET["export"], headings, table)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for name in ("page", "export", "o"):
        query.pop(name, None)
    context = {
        "section": "reports",
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "headings": _headings(API_CALL_COLUMNS, ApiCall, order),
        "totals": selectors.report_totals(ApiCall, rows),
        "query": query.urlencode(),
        "order": order,
        "failed_only": bool(filters.get("failed")),
        "log_tab": "api-calls",
    }
    return render(request, "sendcloud/api_calls.html", context, title=_("Action logging"))


def moved_permanently(route: str):
    """An old address of a page that moved: 301 to the new one, with the query."""

    def view(request, **kwargs):
        company_of(request)
        url = reverse(route, kwargs=kwargs)
        if request.GET:
            url = f"{url}?{request.GET.urlencode()}"
        return HttpResponsePermanentRedirect(url)

    return view


def old_mirror_list(request, pk, kind):
    """Reports used to live among the mirrored lists: they answer there with a 301."""
    if kind not in REPORTS:
        return mirror.mirror_list(request, pk, kind)
    integration = selectors.integration_get(company_of(request), pk)  # 404 for another company
    url = reverse("sendcloud:report", args=[integration.pk, kind])
    return HttpResponsePermanentRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


def old_mirror_default(request, kind):
    if kind not in REPORTS:
        return mirror.mirror_default(request, kind)
    company_of(request)
    url = reverse("sendcloud:report-default", args=[kind])
    return HttpResponsePermanentRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
