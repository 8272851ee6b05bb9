"""Retouren: a delivery order's returns, create one, its page (label, e-mail, cancel, Retoure
booking), the label file and the list of open returns.

Reading needs view_sendcloud; creating, e-mailing, cancelling and booking need create_labels
(the routes in sendcloud/urls.py say which). Every object is looked up within the user's
company, so another company's ids answer 404.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.forms.returns import (
    DELIVERY_OPTION_NAMES,
    RetoureBookForm,
    ReturnCreateForm,
    problems_to_form,
)
from sendcloud.models import Return
from sendcloud.selectors import integration_default
from sendcloud.services.returns import (
    delivery_options_for,
    delivery_order_return_create,
    live_shipment,
    return_cancel,
    return_label_email,
    return_label_fetch,
    return_options,
    return_status_text,
    returnable_lines,
)
from sendcloud.services.returns.booking import LineBooking, retoure_book
from sendcloud.vocabulary import REFUND, RETURN_REASON

from .base import company_of, render


def _delivery_for(request, pk) -> DeliveryOrder:
    return get_object_or_404(DeliveryOrder, pk=pk, company=company_of(request))


def _return_for(request, pk) -> Return:
    return get_object_or_404(
        Return.objects.select_related("delivery_order", "integration", "retoure", "warehouse"),
        pk=pk,
        integration__company=company_of(request),
    )


def delivery_returns(request, pk):
    delivery = _delivery_for(request, pk)
    returns = list(
        Return.objects.filter(delivery_order=delivery).select_related("retoure").order_by("-pk")
    )
    for r in returns:
        r.status_text = return_status_text(r)
    return render(
        request,
        "sendcloud/returns_delivery.html",
        {
            "delivery": delivery,
            "returns": returns,
            "can_create": request.user.has_perm("sendcloud.create_labels")
            and live_shipment(delivery) is not None
            and any(left for _line, left in returnable_lines(delivery)),
        },
        title=_("Returns of %(number)s") % {"number": delivery.number},
    )


def return_create(request, pk):
    """GET: the form; POST: validate at Sendcloud, create, show the return."""
    delivery = _delivery_for(request, pk)
    integration = integration_default(company_of(request))
    if integration is None:
        messages.error(request, _("No Sendcloud integration is connected."))
        return redirect("sendcloud:returns-delivery", pk=delivery.pk)
    options = list(return_options(integration))
    chosen = request.POST.get("option") or (options[0].code if options else None)
    option = next((o for o in options if o.code == chosen), None)
    form = ReturnCreateForm(
        request.POST or None,
        delivery=delivery,
        lines=returnable_lines(delivery),
        options=options,
        delivery_options=delivery_options_for(option),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            returned = delivery_order_return_create(
                delivery, integration, quantities=form.quantities(), reason_id=data["reason"],
                refund_type=data["refund_type"], option_code=data["option"],
                delivery_option=data["delivery_option"], warehouse=data["warehouse"],
                user=request.user,
            )  # fmt: skip
        except ApplicationError as error:
            if error.problems:
                form.add_error(None, error.message)
            problems_to_form(form, error, form.error_fields())
        except SendcloudError as error:
            form.add_error(None, _("Sendcloud did not answer: %(error)s") % {"error": error})
        else:
            messages.success(
                request,
                _("The return for %(number)s is created; its label is ready.")
                % {"number": delivery.number},
            )
            return redirect("sendcloud:return", pk=returned.pk)
    return render(
        request,
        "sendcloud/returns_create.html",
        {"delivery": delivery, "form": form, "has_options": bool(options)},
        title=_("Create return for %(number)s") % {"number": delivery.number},
        status=400 if request.method == "POST" else 200,
    )


def return_detail(request, pk):
    returned = _return_for(request, pk)
    retoure = returned.retoure
    book_form = None
    if retoure is not None and retoure.state == retoure.State.OPEN:
        book_form = RetoureBookForm(retoure=retoure)
    return _detail(request, returned, book_form)


def _detail(request, returned, book_form, status=200):
    returned.status_text = return_status_text(returned)
    retoure = returned.retoure
    return render(
        request,
        "sendcloud/return_detail.html",
        {
            "returned": returned,
            "delivery": returned.delivery_order,
            "lines": returned.lines.select_related("delivery_order_line__product"),
            "reason": RETURN_REASON.get(str(returned.reason_id), returned.reason),
            "delivery_option": DELIVERY_OPTION_NAMES.get(
                returned.delivery_option, returned.delivery_option
            ),
            "refund": REFUND.get(returned.refund_status, returned.refund_status),
            "retoure": retoure,
            "retoure_lines": retoure.lines.select_related("delivery_order_line__product")
            if retoure
            else [],
            "book_form": book_form,
            "can_act": request.user.has_perm("sendcloud.create_labels"),
        },
        title=_("Return %(ref)s") % {"ref": returned.incoming_tracking_number or returned.pk},
        status=status,
    )


@require_POST
def return_email(request, pk):
    returned = _return_for(request, pk)
    try:
        to = return_label_email(returned)
    except (ApplicationError, SendcloudError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, _("The return label was e-mailed to %(to)s.") % {"to": to})
    return redirect("sendcloud:return", pk=returned.pk)


def return_cancel_view(request, pk):
    """GET: confirm; POST: ask Sendcloud and show its answer."""
    returned = _return_for(request, pk)
    if request.method == "POST":
        try:
            text = return_cancel(returned)
        except ApplicationError as error:
            messages.error(request, error.message)
        except SendcloudError as error:
            messages.error(
                request,
                _("Sendcloud did not answer the cancellation: %(error)s") % {"error": error},
            )
        else:
            messages.success(request, text)
        return redirect("sendcloud:return", pk=returned.pk)
    return render(
        request,
        "sendcloud/return_cancel.html",
        {"returned": returned, "delivery": returned.delivery_order},
        title=_("Cancel return label"),
    )


@require_POST
def retoure_book_view(request, pk):
    returned = _return_for(request, pk)
    if returned.retoure is None:
        raise Http404
    form = RetoureBookForm(request.POST, retoure=returned.retoure)
    if form.is_valid():
        data = form.cleaned_data
        bookings = {
            line.pk: LineBooking(
                data[f"restock_{line.pk}"], data[f"write_off_{line.pk}"], data[f"reason_{line.pk}"]
            )
            for line in form.retoure_lines
        }
        try:
            retoure_book(returned.retoure, bookings, user=request.user)
        except ApplicationError as error:
            problems_to_form(form, error, form.error_fields())
        else:
            messages.success(
                request,
                _("%(number)s is booked: the pieces are back in stock or written off.")
                % {"number": returned.retoure.number},
            )
            return redirect("sendcloud:return", pk=returned.pk)
    returned.retoure.refresh_from_db()
    return _detail(request, returned, form, status=400)


def return_label(request, pk):
    """The return label PDF, for users of its company only (fetched once if missing)."""
    returned = _return_for(request, pk)
    if not returned.label_pdf:
        if not returned.incoming_parcel_id or returned.state != Return.State.LIVE:
            raise Http404
        try:
            return_label_fetch(
                returned, client_for(returned.integration, reference=returned.order_number)
            )
        except SendcloudError as error:
            messages.error(request, _("Sendcloud did not hand out the label: %(error)s")
                           % {"error": error})  # fmt: skip
            return redirect("sendcloud:return", pk=returned.pk)
    name = f"{_('return-label')}-{returned.order_number or returned.pk}.pdf"
    return FileResponse(returned.label_pdf.open("rb"), content_type="application/pdf",
                        filename=name)  # fmt: skip


def open_returns(request):
    """Returns still on their way, and delivered ones whose Retoure is not booked yet."""
    company = company_of(request)
    rows = list(
        Return.objects.filter(integration__company=company)
        .filter(Q(state__in=Return.OPEN_STATES, delivered_at=None) | Q(retoure__state="open"))
        .select_related("delivery_order", "retoure")
        .order_by("created_at")
    )
    now = timezone.now()
    for r in rows:
        r.status_text = return_status_text(r)
        r.age_days = (now - r.created_at).days
    return render(request, "sendcloud/returns_open.html", {"rows": rows}, title=_("Open returns"))
