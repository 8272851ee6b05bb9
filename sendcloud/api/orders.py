"""Delivery orders over the REST API: list, get, create, pre-flight, choice, push, labels,
files, cancel and status — the services and selectors the pages use, scoped to the token's
company and checked against its user's role like the pages (sendcloud/views/access.py)."""

import base64
import binascii
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field as SchemaField
from ninja import Query, Router, Schema, Status

from backoffice.addresses import ADDRESS_FIELDS
from backoffice.inventory.models import Product, Warehouse
from backoffice.sales.models import (
    DeliveryOrder,
    DeliveryOrderLine,
    Package,
    SalesOrder,
    ShippingMethod,
)
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import Label, LabelJob, Shipment, ShippingOption
from sendcloud.selectors import delivery_order_sendcloud_problems, integration_default
from sendcloud.services.labels import (
    LabelPending,
    LiveLabelExists,
    cancel_result_text,
    delivery_order_label_cancel,
    delivery_order_label_create,
    delivery_order_labels,
    label_job_create,
    label_preflight,
    label_timeline,
    label_zpl_fetch,
    labels_reconcile,
)
from sendcloud.services.orders.push import orders_push
from sendcloud.services.shipping.choice import delivery_order_fits
from sendcloud.services.shipping.chosen import (
    delivery_order_option_chosen,
    delivery_order_option_save,
)
from sendcloud.views.access import CREATE_LABELS, PUSH_ORDERS, VIEW_SENDCLOUD

from .auth import allowed
from .schemas import (
    CancelOut,
    ChoiceIn,
    ChoiceOut,
    DeliveryOrderIn,
    DeliveryOrderOut,
    DeliveryOrderPage,
    ErrorOut,
    LabelJobIn,
    LabelJobOut,
    PreflightOut,
    PushOut,
    ShipmentOut,
    StatusOut,
)

router = Router(tags=["delivery orders"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ADD_DELIVERY = "sales.add_deliveryorder"
FILE_KINDS = {"pdf": "label_pdf", "zpl": "label_zpl", "customs": "customs_pdf"}


def answers(ok_status: int, schema) -> dict:
    return {ok_status: schema, **ERRORS}


def _delivery(company, pk: int) -> DeliveryOrder:
    return get_object_or_404(DeliveryOrder, pk=pk, company=company)


def _integration(company):
    integration = integration_default(company)
    if integration is None:
        raise ApplicationError(_("No Sendcloud integration is connected."))
    return integration


def _newest_shipment(delivery) -> Shipment | None:
    return delivery.sendcloud_shipments.order_by("-created_at", "-id").first()


def _file_url(label: Label, kind: str) -> str | None:
    field = getattr(label, FILE_KINDS[kind])
    available = bool(field) or (kind == "zpl" and label.sendcloud_parcel_id)
    return f"/api/v1/labels/{label.pk}/{kind}" if available else None


def _label(label: Label) -> dict:
    return {
        "id": label.pk,
        "collo": label.collo,
        "parcel_id": label.sendcloud_parcel_id,
        "tracking_number": label.tracking_number,
        "tracking_url": label.tracking_url,
        "status_id": label.status_id,
        "status": label.status_message,
        "status_changed_at": label.status_changed_at,
        "pdf_url": _file_url(label, "pdf"),
        "zpl_url": _file_url(label, "zpl"),
        "customs_url": _file_url(label, "customs"),
    }


def _shipment(shipment: Shipment) -> dict:
    return {
        "id": shipment.pk,
        "state": shipment.state,
        "carrier": shipment.carrier_name,
        "shipping_option": shipment.shipping_option_code,
        "price": shipment.price,
        "cancel_status": shipment.cancel_status,
        "created_at": shipment.created_at,
        "labels": [_label(label) for label in shipment.labels.order_by("collo", "id")],
    }


def _summary(delivery: DeliveryOrder, sendcloud_state: str | None = None) -> dict:
    if sendcloud_state is None:
        newest = _newest_shipment(delivery)
        sendcloud_state = newest.state if newest else ""
    return {
        "id": delivery.pk,
        "number": delivery.number,
        "state": delivery.state,
        "delivery_date": delivery.delivery_date,
        "created_at": delivery.created_at,
        "contact_name": delivery.contact_name,
        "company_name": delivery.company_name,
        "country": str(delivery.country or ""),
        "sendcloud_state": sendcloud_state,
    }


def _detail(delivery: DeliveryOrder) -> dict:
    return {
        **_summary(delivery),
        "sales_order": delivery.sales_order_id,
        "warehouse": delivery.warehouse_id,
        "shipping_method": delivery.shipping_method_id,
        "service_point_id": delivery.service_point_id,
        "address": {f: str(getattr(delivery, f) or "") for f in ADDRESS_FIELDS},
        "lines": [
            {
                "product": line.product_id,
                "product_name": str(line.product),
                "quantity": line.quantity,
                "weight_kg": line.weight_kg,
                "value": line.value,
            }
            for line in delivery.lines.select_related("product").order_by("id")
        ],
        "packages": list(
            delivery.packages.order_by("id").values(
                "id", "weight_kg", "length_cm", "width_cm", "height_cm"
            )
        ),
        "sendcloud_problems": [str(p) for p in delivery_order_sendcloud_problems(delivery)],
        "labels": [_shipment(s) for s in delivery_order_labels(delivery)],
        "timeline": [
            {"at": e.created_at, "kind": e.kind, "text": e.message}
            for e in label_timeline(delivery)[:200]
        ],
    }


DATE = r"^\d{4}-\d{2}-\d{2}$"


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


class DeliveryOrderFilters(Schema):
    state: str | None = SchemaField(None, description="draft, ready, done, delivered, cancelled")
    created_from: str | None = SchemaField(None, pattern=DATE, description="YYYY-MM-DD")
    created_to: str | None = SchemaField(None, pattern=DATE, description="YYYY-MM-DD")
    sendcloud_state: str | None = SchemaField(
        None, description="state of a label: creating, announcing, live, cancelled, failed"
    )
    search: str | None = SchemaField(None, max_length=100, description="number or name")
    cursor: str | None = SchemaField(None, max_length=100)
    limit: int = SchemaField(50, ge=1, le=200)


def _cursor_id(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": [_("This cursor is not one the API gave out.")]}) from None


@router.get("/delivery-orders/", response=answers(200, DeliveryOrderPage))
def delivery_order_list(request, filters: Query[DeliveryOrderFilters]):
    """Newest first; follow `next_cursor` for the next page."""
    company = allowed(request, VIEW_SENDCLOUD)
    rows = DeliveryOrder.objects.filter(company=company).order_by("-id")
    if filters.state:
        rows = rows.filter(state=filters.state)
    created_from = _date(filters.created_from, "created_from")
    created_to = _date(filters.created_to, "created_to")
    if created_from:
        rows = rows.filter(created_at__date__gte=created_from)
    if created_to:
        rows = rows.filter(created_at__date__lte=created_to)
    if filters.sendcloud_state:
        rows = rows.filter(sendcloud_shipments__state=filters.sendcloud_state).distinct()
    if filters.search:
        term = filters.search.strip()
        rows = rows.filter(
            Q(number__icontains=term)
            | Q(contact_name__icontains=term)
            | Q(company_name__icontains=term)
        )
    after = _cursor_id(filters.cursor)
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = list(rows[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    states = {}
    for shipment in Shipment.objects.filter(delivery_order__in=page).order_by("created_at", "id"):
        states[shipment.delivery_order_id] = shipment.state
    next_cursor = (
        base64.urlsafe_b64encode(str(page[-1].pk).encode()).decode() if more and page else None
    )
    return {
        "items": [_summary(d, states.get(d.pk, "")) for d in page],
        "next_cursor": next_cursor,
    }


@router.get("/delivery-orders/{pk}", response=answers(200, DeliveryOrderOut))
def delivery_order_get(request, pk: int):
    company = allowed(request, VIEW_SENDCLOUD)
    return _detail(_delivery(company, pk))


def _owned(model, company, pk, field: str):
    found = model.objects.filter(company=company, pk=pk).first() if pk is not None else None
    if pk is not None and found is None:
        raise ValidationError({field: [_("No such object in your company.")]})
    return found


def _checked(instance, prefix: str, errors: dict, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(f"{prefix}{field}", []).extend(messages)


@router.post("/delivery-orders/", response=answers(201, DeliveryOrderOut))
def delivery_order_create(request, payload: DeliveryOrderIn):
    """A delivery order with its lines and packages, validated like the back office's form;
    all of it is written or nothing."""
    company = allowed(request, ADD_DELIVERY)
    errors: dict[str, list[str]] = {}
    fields = {}
    for field, model in (
        ("sales_order", SalesOrder),
        ("warehouse", Warehouse),
        ("shipping_method", ShippingMethod),
    ):
        try:
            fields[field] = _owned(model, company, getattr(payload, field), field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    delivery = DeliveryOrder(
        company=company,
        number=payload.number,
        state=payload.state,
        service_point_id=payload.service_point_id,
        **{k: v for k, v in fields.items() if v is not None},
        **payload.address.dict(),
    )
    if payload.delivery_date:
        delivery.delivery_date = payload.delivery_date
    exclude = [f for f in ("sales_order", "warehouse") if fields.get(f) is None]
    _checked(delivery, "", errors, exclude=exclude)
    if DeliveryOrder.objects.filter(company=company, number=payload.number).exists():
        errors.setdefault("number", []).append(
            _("A delivery order with this number already exists.")
        )
    products = {p.pk: p for p in Product.objects.filter(company=company)}
    lines = []
    for index, line in enumerate(payload.lines):
        product = products.get(line.product)
        if product is None:
            errors.setdefault(f"lines.{index}.product", []).append(
                _("No such object in your company.")
            )
            continue
        row = DeliveryOrderLine(
            product=product, quantity=line.quantity, weight_kg=line.weight_kg, value=line.value
        )
        _checked(row, f"lines.{index}.", errors, exclude=["delivery_order"])
        lines.append(row)
    packages = []
    for index, package in enumerate(payload.packages):
        row = Package(**package.dict())
        _checked(row, f"packages.{index}.", errors, exclude=["delivery_order"])
        packages.append(row)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        delivery.save()
        for row in [*lines, *packages]:
            row.delivery_order = delivery
            row.save()
    return Status(201, _detail(delivery))


@router.get("/delivery-orders/{pk}/preflight", response=answers(200, PreflightOut))
def delivery_order_preflight(request, pk: int):
    """Every problem that would make Sendcloud or the carrier refuse its label."""
    company = allowed(request, VIEW_SENDCLOUD)
    delivery = _delivery(company, pk)
    _plan, problems = label_preflight(delivery, _integration(company))
    return {"ok": not problems, "problems": [p.__dict__ for p in problems]}


def _choice(delivery, integration) -> dict:
    chosen = delivery_order_option_chosen(delivery)
    fits = delivery_order_fits(delivery, integration)
    return {
        "option": chosen.code if chosen is not None else None,
        "fits": [
            {
                "code": fit.option.code,
                "name": fit.option.name,
                "carrier": fit.option.carrier_name,
                "label": fit.label(),
            }
            for fit in fits
        ],
    }


@router.get("/delivery-orders/{pk}/shipping-option", response=answers(200, ChoiceOut))
def delivery_order_option_get(request, pk: int):
    """The chosen Sendcloud option and the options that fit the order."""
    company = allowed(request, VIEW_SENDCLOUD)
    return _choice(_delivery(company, pk), _integration(company))


@router.put("/delivery-orders/{pk}/shipping-option", response=answers(200, ChoiceOut))
def delivery_order_option_put(request, pk: int, payload: ChoiceIn):
    """Choose one of the fitting options (null: the sales order's or the method's again)."""
    company = allowed(request, "sales.change_deliveryorder")
    delivery = _delivery(company, pk)
    integration = _integration(company)
    option = None
    if payload.option:
        fitting = {fit.option.code for fit in delivery_order_fits(delivery, integration)}
        option = ShippingOption.objects.filter(
            integration=integration, code=payload.option, archived_at=None
        ).first()
        if option is None or option.code not in fitting:
            raise ValidationError(
                {"option": [_("This option does not ship this delivery order; pick one of fits.")]}
            )
    delivery_order_option_save(delivery, option)
    return _choice(delivery, integration)


@router.post("/delivery-orders/{pk}/push", response=answers(200, PushOut))
def delivery_order_push(request, pk: int):
    """Push the order to Sendcloud's incoming orders now (instead of waiting for the outbox)."""
    company = allowed(request, PUSH_ORDERS)
    delivery = _delivery(company, pk)
    report = orders_push(_integration(company), [delivery], force=True)
    outcome, message = report.outcomes.get(delivery.pk, ("skipped", ""))
    return {"outcome": str(outcome), "message": str(message)}


@router.post("/delivery-orders/{pk}/label", response=answers(201, ShipmentOut))
def delivery_order_label(request, pk: int):
    """Create the order's label now (all its parcels). For many orders use /label-jobs/."""
    company = allowed(request, CREATE_LABELS)
    delivery = _delivery(company, pk)
    try:
        shipment = delivery_order_label_create(delivery, _integration(company))
    except LiveLabelExists:
        raise ApplicationError(
            _("This delivery order already has a label; cancel it to create another."),
            [Problem(_("Cancel the label first."), object=delivery.number)],
        ) from None
    except LabelPending:
        raise ApplicationError(
            _("An earlier label request is still being answered by Sendcloud; ask again soon.")
        ) from None
    return Status(201, _shipment(shipment))


@router.post("/delivery-orders/{pk}/label/cancel", response=answers(200, CancelOut))
def delivery_order_cancel(request, pk: int):
    company = allowed(request, CREATE_LABELS)
    delivery = _delivery(company, pk)
    shipment = delivery_order_label_cancel(delivery, _integration(company))
    return {
        "state": shipment.state,
        "cancel_status": shipment.cancel_status,
        "result": cancel_result_text(shipment),
    }


def _status(delivery) -> dict:
    newest = _newest_shipment(delivery)
    labels = newest.labels.order_by("collo", "id") if newest else []
    return {
        "delivery_order": delivery.pk,
        "state": delivery.state,
        "sendcloud_state": newest.state if newest else "",
        "labels": [_label(label) for label in labels],
    }


@router.get("/delivery-orders/{pk}/status", response=answers(200, StatusOut))
def delivery_order_status(request, pk: int):
    """Tracking and parcel status as last heard from Sendcloud (webhooks, reconciliation)."""
    company = allowed(request, VIEW_SENDCLOUD)
    return _status(_delivery(company, pk))


@router.post("/delivery-orders/{pk}/status/refresh", response=answers(200, StatusOut))
def delivery_order_status_refresh(request, pk: int):
    """Ask Sendcloud for the parcel statuses now (the reconciliation the worker runs), then
    answer like GET …/status."""
    company = allowed(request, CREATE_LABELS)
    delivery = _delivery(company, pk)
    labels_reconcile(_integration(company))
    delivery.refresh_from_db()
    return _status(delivery)


def _job(job: LabelJob) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "total": job.total,
        "items": [
            {
                "delivery_order": item.delivery_order_id,
                "state": item.state,
                "message": item.message,
                "problems": [str(p) for p in item.problems or ()],
            }
            for item in job.items.order_by("id")
        ],
    }


@router.post("/label-jobs/", response=answers(202, LabelJobOut), tags=["labels"])
def label_job_start(request, payload: LabelJobIn):
    """Labels for many delivery orders, made by the worker; follow GET /label-jobs/{id}."""
    company = allowed(request, CREATE_LABELS)
    integration = _integration(company)
    found = list(DeliveryOrder.objects.filter(company=company, pk__in=payload.delivery_orders))
    missing = set(payload.delivery_orders) - {d.pk for d in found}
    if missing:
        raise ValidationError(
            {
                "delivery_orders": [
                    _("No such delivery orders in your company: %(ids)s")
                    % {"ids": ", ".join(str(i) for i in sorted(missing))}
                ]
            }
        )
    order = {pk: i for i, pk in enumerate(payload.delivery_orders)}
    found.sort(key=lambda d: order[d.pk])
    job = label_job_create(integration, found, user=request.user, choose=payload.choose)
    return Status(202, _job(job))


@router.get("/label-jobs/{pk}", response=answers(200, LabelJobOut), tags=["labels"])
def label_job_get(request, pk: int):
    company = allowed(request, VIEW_SENDCLOUD)
    return _job(get_object_or_404(LabelJob, pk=pk, integration__company=company))


FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "the file",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/zpl": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


@router.get("/labels/{pk}/{kind}", response=ERRORS, openapi_extra=FILE_RESPONSE, tags=["labels"])
def label_file(request, pk: int, kind: str):
    """The label's PDF, ZPL or customs documents (kind: pdf, zpl, customs)."""
    company = allowed(request, VIEW_SENDCLOUD)
    if kind not in FILE_KINDS:
        raise Http404
    label = get_object_or_404(
        Label.objects.select_related("shipment__integration"),
        pk=pk,
        shipment__integration__company=company,
    )
    if kind == "zpl" and not label.label_zpl and label.sendcloud_parcel_id:
        with client_for(label.shipment.integration) as client:
            label_zpl_fetch(label, client)
    field = getattr(label, FILE_KINDS[kind])
    if not field:
        raise Http404
    content_type = "application/zpl" if kind == "zpl" else "application/pdf"
    name = f"{label.tracking_number or label.pk}-{kind}.{'zpl' if kind == 'zpl' else 'pdf'}"
    return FileResponse(field.open("rb"), filename=name, content_type=content_type)
