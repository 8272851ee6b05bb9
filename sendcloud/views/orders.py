"""Bestellungen abgleichen, its runs, the needs-fixing list and a delivery order's timeline."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.sales.models import DeliveryOrder
from sendcloud import selectors
from sendcloud.errors import ApplicationError
from sendcloud.forms.orders import BackfillForm
from sendcloud.models import OrderPush, OrderPushEvent, OrderPushRun
from sendcloud.services.orders.runs import backfill_preview, order_push_run_start

from .base import company_of, render


def orders_backfill(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    default_since = timezone.localdate() - timedelta(days=30)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BackfillForm(data, initial={"since": default_since})
    preview = None
    if form.is_valid():
        since = form.cleaned_data["since"]
        if request.method == "POST":
            try:
                run = order_push_run_start(integration, since=since, user=request.user)
            except ApplicationError as error:
                messages.error(request, str(error))
            else:
                return redirect("sendcloud:order-run", pk=run.pk)
        preview = backfill_preview(integration, since)
    runs = list(integration.order_push_runs.all()[:10])
    outcome_names = dict(OrderPushEvent.Outcome.choices)
    for run in runs:  # the counts by their German names, not their codes
        run.count_rows = [
            (outcome_names.get(key, key), value)
            for key, value in (run.counts or {}).items()
            if value
        ]
    return render(
        request,
        "sendcloud/orders_backfill.html",
        {
            "integration": integration,
            "form": form,
            "preview": preview,
            "runs": runs,
        },
        title=_("Sync orders"),
    )


def _run_for(request, pk) -> OrderPushRun:
    return get_object_or_404(OrderPushRun, pk=pk, integration__company=company_of(request))


def order_run_detail(request, pk):
    run = _run_for(request, pk)
    latest = (
        run.events.values("delivery_order").annotate(last=Max("id")).values_list("last", flat=True)
    )
    events = OrderPushEvent.objects.filter(pk__in=list(latest)).select_related("delivery_order")
    outcome = request.GET.get("outcome", "")
    if outcome:
        events = events.filter(outcome=outcome)
    page = Paginator(events.order_by("id"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "sendcloud/order_run.html",
        {
            "run": run,
            "page": page,
            "outcome": outcome,
            "outcomes": OrderPushEvent.Outcome.choices,
            # What "retry failed only" would take up again (runs.py: failed and skipped).
            "retryable": sum(
                int((run.counts or {}).get(key) or 0)
                for key in (OrderPushEvent.Outcome.FAILED, OrderPushEvent.Outcome.SKIPPED)
            ),
        },
        title=_("Order sync from %(date)s") % {"date": date_format(run.since, "SHORT_DATE_FORMAT")},
    )


def order_run_status(request, pk):
    run = _run_for(request, pk)
    return JsonResponse(
        {"state": run.state, "done": run.done, "total": run.total, "counts": run.counts}
    )


@require_POST
def order_run_retry_failed(request, pk):
    run = _run_for(request, pk)
    try:
        retry = order_push_run_start(
            run.integration, since=run.since, user=request.user, only_failed_of=run
        )
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("sendcloud:order-run", pk=run.pk)
    return redirect("sendcloud:order-run", pk=retry.pk)


def orders_needs_fixing(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    pushes = (
        OrderPush.objects.filter(
            integration=integration,
            state__in=[OrderPush.State.NEEDS_FIXING, OrderPush.State.FAILED],
        )
        .select_related("delivery_order")
        .order_by("delivery_order__number")
    )
    page = Paginator(pushes, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "sendcloud/orders_needs_fixing.html",
        {"integration": integration, "page": page},
        title=_("Orders that need fixing"),
    )


def delivery_order_timeline(request, pk):
    delivery = get_object_or_404(DeliveryOrder, pk=pk, company=company_of(request))
    pushes = OrderPush.objects.filter(delivery_order=delivery).select_related("integration")
    events = OrderPushEvent.objects.filter(delivery_order=delivery).select_related(
        "integration", "run"
    )[:200]
    return render(
        request,
        "sendcloud/delivery_timeline.html",
        {"delivery": delivery, "pushes": pushes, "events": events},
        title=_("Sendcloud timeline of %(number)s") % {"number": delivery.number},
    )
