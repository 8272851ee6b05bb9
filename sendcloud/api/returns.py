"""Returns over the REST API: create one for a delivery order, list a delivery order's returns,
get one with its state, download its label PDF, cancel it.

The same service as the returns pages (sendcloud/services/returns: local rules, Sendcloud's
validation before the paid create, a lost answer looked up) and the same role checks
(sendcloud/urls.py: reading needs view_sendcloud; creating and cancelling need create_labels).
Every object is looked up within the token's company: another company's ids answer 404.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from backoffice.inventory.models import Warehouse
from backoffice.sales.models import DeliveryOrder
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import Return
from sendcloud.services.returns import (
    delivery_order_return_create,
    return_cancel,
    return_label_fetch,
    return_status_text,
)
from sendcloud.views.access import CREATE_LABELS, VIEW_SENDCLOUD

from .auth import allowed
from .orders import ERRORS, FILE_RESPONSE, _delivery, _integration, answers

router = Router(tags=["returns"])


class ReturnLineIn(Schema):
    line: int = Field(..., description="id of a line of the delivery order")
    quantity: int = Field(..., ge=0, le=1_000_000, description="pieces that go back")


class ReturnIn(Schema):
    lines: list[ReturnLineIn] | None = Field(
        None, max_length=500, description="what goes back; null: every piece still returnable"
    )
    reason: int | None = Field(
        None, ge=1, le=1000, description="Sendcloud's return reason id (default 8: no reason)"
    )
    refund_type: str = Field("money", pattern="^(money|credit|exchange)$")
    option: str | None = Field(
        None, max_length=200, description="a return shipping option's code; null: the first"
    )
    delivery_option: str = Field("drop_off_point", pattern="^(drop_off_point|drop_off_labelless)$")
    warehouse: int | None = Field(None, description="back to this warehouse; null: the order's")


class ReturnLineOut(Schema):
    line: int
    product: str
    quantity: int


class ReturnOut(Schema):
    id: int
    delivery_order: int | None
    state: str = Field(description="creating, live, failed, cancel_requested, cancelled")
    status: str = Field(description="Sendcloud's status, in the reader's language")
    sendcloud_id: int | None
    external_reference: str
    order_number: str
    tracking_number: str
    tracking_url: str
    reason: int | None
    refund_type: str
    delivery_option: str
    shipping_option: str
    warehouse: int | None
    delivered_at: datetime | None
    created_at: datetime | None
    error: str
    cancel_message: str
    label_url: str | None
    lines: list[ReturnLineOut]


class ReturnCancelOut(Schema):
    state: str
    message: str


def _return_of(company, pk: int) -> Return:
    return get_object_or_404(
        Return.objects.select_related("delivery_order", "integration"),
        pk=pk,
        integration__company=company,
    )


def _has_label(returned: Return) -> bool:
    return bool(returned.label_pdf) or (
        bool(returned.incoming_parcel_id) and returned.state == Return.State.LIVE
    )


def _out(returned: Return) -> dict:
    return {
        "id": returned.pk,
        "delivery_order": returned.delivery_order_id,
        "state": returned.state,
        "status": return_status_text(returned),
        "sendcloud_id": returned.sendcloud_id,
        "external_reference": returned.external_reference,
        "order_number": returned.order_number,
        "tracking_number": returned.incoming_tracking_number,
        "tracking_url": returned.tracking_url,
        "reason": returned.reason_id,
        "refund_type": returned.refund_type,
        "delivery_option": returned.delivery_option,
        "shipping_option": returned.shipping_option_code,
        "warehouse": returned.warehouse_id,
        "delivered_at": returned.delivered_at,
        "created_at": returned.created_at,
        "error": returned.error_message,
        "cancel_message": returned.cancel_message,
        "label_url": f"/api/v1/returns/{returned.pk}/label" if _has_label(returned) else None,
        "lines": [
            {
                "line": line.delivery_order_line_id,
                "product": line.delivery_order_line.product.sku,
                "quantity": line.quantity,
            }
            for line in returned.lines.select_related("delivery_order_line__product").order_by("id")
        ],
    }


def _quantities(delivery: DeliveryOrder, payload: ReturnIn) -> dict[int, int] | None:
    """The request's lines as {delivery order line id: pieces}; a line of another order, or
    one named twice, is refused at its index."""
    if payload.lines is None:
        return None
    own = set(delivery.lines.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    quantities: dict[int, int] = {}
    for index, line in enumerate(payload.lines):
        if line.line not in own:
            errors[f"lines.{index}.line"] = [_("No such line in this delivery order.")]
        elif line.line in quantities:
            errors[f"lines.{index}.line"] = [_("This line is named twice.")]
        else:
            quantities[line.line] = line.quantity
    if errors:
        raise ValidationError(errors)
    return quantities


def _api_field(field: str, payload: ReturnIn) -> str:
    """The service's problem field (`line_<id>`, `reason`, …) as the request names it."""
    if field.startswith("line_"):
        line_id = int(field.removeprefix("line_"))
        for index, line in enumerate(payload.lines or ()):
            if line.line == line_id:
                return f"lines.{index}.quantity"
        return "lines"
    return field


@router.get("/delivery-orders/{pk}/returns", response=answers(200, list[ReturnOut]))
def delivery_order_returns(request, pk: int):
    """The delivery order's returns, newest first."""
    company = allowed(request, VIEW_SENDCLOUD)
    delivery = _delivery(company, pk)
    return [_out(r) for r in Return.objects.filter(delivery_order=delivery).order_by("-pk")]


@router.post("/delivery-orders/{pk}/returns", response=answers(201, ReturnOut))
def delivery_order_return(request, pk: int, payload: ReturnIn):
    """Create a return (and its label) for pieces of a shipped delivery order. Checked locally
    and by Sendcloud's validation before anything is stored; refusals name the field. Send an
    Idempotency-Key to retry safely."""
    company = allowed(request, CREATE_LABELS)
    delivery = _delivery(company, pk)
    integration = _integration(company)
    quantities = _quantities(delivery, payload)
    warehouse = None
    if payload.warehouse is not None:
        warehouse = Warehouse.objects.filter(company=company, pk=payload.warehouse).first()
        if warehouse is None:
            raise ValidationError({"warehouse": [_("No such object in your company.")]})
    try:
        returned = delivery_order_return_create(
            delivery, integration, quantities=quantities, reason_id=payload.reason,
            refund_type=payload.refund_type, option_code=payload.option,
            delivery_option=payload.delivery_option, warehouse=warehouse, user=request.user,
        )  # fmt: skip
    except ApplicationError as error:
        problems = [
            Problem(p.message, object=p.object, field=_api_field(p.field, payload))
            for p in error.problems
        ]
        raise ApplicationError(error.message, problems) from error
    return Status(201, _out(returned))


@router.get("/returns/{pk}", response=answers(200, ReturnOut))
def return_get(request, pk: int):
    """A return with its state and Sendcloud's status as last heard (webhooks, reconciliation)."""
    company = allowed(request, VIEW_SENDCLOUD)
    return _out(_return_of(company, pk))


@router.post("/returns/{pk}/cancel", response=answers(200, ReturnCancelOut))
def return_cancel_post(request, pk: int):
    """Ask Sendcloud to cancel the return label; its answer is in `message`."""
    company = allowed(request, CREATE_LABELS)
    returned = _return_of(company, pk)
    message = return_cancel(returned)
    returned.refresh_from_db()
    return {"state": returned.state, "message": message}


@router.get("/returns/{pk}/label", response=ERRORS, openapi_extra=FILE_RESPONSE)
def return_label(request, pk: int):
    """The return label PDF (fetched from Sendcloud once if it is not stored yet)."""
    company = allowed(request, VIEW_SENDCLOUD)
    returned = _return_of(company, pk)
    if not returned.label_pdf:
        if not _has_label(returned):
            raise Http404
        with client_for(returned.integration, reference=returned.order_number) as client:
            return_label_fetch(returned, client)
    name = f"return-label-{returned.order_number or returned.pk}.pdf"
    return FileResponse(
        returned.label_pdf.open("rb"), filename=name, content_type="application/pdf"
    )
