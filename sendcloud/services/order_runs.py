"""Bestellungen abgleichen: push delivery orders created before the integration existed."""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud import jobs
from sendcloud.client import errors as sc_errors
from sendcloud.models import Integration, OrderPushEvent, OrderPushRun

from .order_preflight import delivery_order_preflight
from .order_push import BATCH_SIZE, orders_push


class OrderRunError(Exception):
    """Translated reason why a backfill cannot start."""


def backfill_candidates(integration: Integration, since: date):
    """Sendcloud-shipped, not cancelled, not yet shipped, created on or after `since`."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    return (
        DeliveryOrder.objects.filter(
            company_id=integration.company_id,
            shipping_method__provider=ShippingMethod.Provider.SENDCLOUD,
            state__in=[DeliveryOrder.State.DRAFT, DeliveryOrder.State.READY],
            created_at__gte=start,
        )
        .select_related("sales_order__customer", "warehouse", "shipping_method")
        .prefetch_related("lines__product", "packages")
        .order_by("id")
    )


def backfill_preview(integration: Integration, since: date) -> dict:
    """How many orders a run would push, and which fail preflight (with their fixes)."""
    failing = []
    total = 0
    for delivery in backfill_candidates(integration, since).iterator(chunk_size=500):
        total += 1
        problems = delivery_order_preflight(delivery, integration)
        if problems:
            failing.append((delivery, problems))
    return {"total": total, "failing": failing, "ready": total - len(failing)}


def order_push_run_start(
    integration: Integration, *, since: date, user=None, only_failed_of: OrderPushRun | None = None
) -> OrderPushRun:
    """Create a run and queue it for the worker."""
    run = order_push_run_create(integration, since=since, user=user, only_failed_of=only_failed_of)
    jobs.enqueue(jobs.ORDER_PUSH_RUN, run.pk)
    return run


def order_push_run_create(
    integration: Integration, *, since: date, user=None, only_failed_of: OrderPushRun | None = None
) -> OrderPushRun:
    """A new run; refuses a second one while one is active (a database constraint)."""
    if not integration.is_usable:
        raise OrderRunError(_("The integration is not connected."))
    try:
        with transaction.atomic():
            run = OrderPushRun.objects.create(
                integration=integration, since=since, started_by=user, only_failed_of=only_failed_of
            )
    except IntegrityError as error:
        active = OrderPushRun.objects.filter(
            integration=integration,
            state__in=[OrderPushRun.State.QUEUED, OrderPushRun.State.RUNNING],
        ).first()
        if active is not None and order_push_run_is_stale(active):
            jobs.enqueue(jobs.ORDER_PUSH_RUN, active.pk)
            raise OrderRunError(
                _("An earlier order sync stopped unexpectedly; it continues where it stopped.")
            ) from error
        raise OrderRunError(
            _("An order sync for this integration is already running; wait for it to finish.")
        ) from error
    return run


STALE_AFTER = timedelta(minutes=10)


def order_push_run_is_stale(run: OrderPushRun) -> bool:
    """No sign of life for a while: its worker died (the run resumes from what it recorded)."""
    last = run.events.order_by("-created_at").values_list("created_at", flat=True).first()
    return timezone.now() - (last or run.created_at) > STALE_AFTER


def _run_deliveries(run: OrderPushRun):
    if run.only_failed_of_id:
        failed = run.only_failed_of.events.filter(
            outcome__in=[OrderPushEvent.Outcome.FAILED, OrderPushEvent.Outcome.SKIPPED]
        ).values_list("delivery_order_id", flat=True)
        return backfill_candidates(run.integration, run.since).filter(pk__in=list(failed))
    return backfill_candidates(run.integration, run.since)


def order_push_run_execute(run_id: int, *, client=None, progress=None) -> OrderPushRun:
    """Push the run's orders batch by batch; a restarted run skips what it already did."""
    run = OrderPushRun.objects.select_related("integration").get(pk=run_id)
    if run.state not in (OrderPushRun.State.QUEUED, OrderPushRun.State.RUNNING):
        return run
    deliveries = _run_deliveries(run)
    done_ids = set(run.events.values_list("delivery_order_id", flat=True))
    run.state = OrderPushRun.State.RUNNING
    run.total = deliveries.count()
    run.done = len(done_ids)
    run.save(update_fields=["state", "total", "done"])
    if progress:
        progress(run)
    batch = []
    try:
        for delivery in deliveries.iterator(chunk_size=BATCH_SIZE):
            if delivery.pk in done_ids:
                continue
            batch.append(delivery)
            if len(batch) == BATCH_SIZE:
                _push_batch(run, batch, client, progress)
                batch = []
        _push_batch(run, batch, client, progress)
    except sc_errors.SendcloudError as error:
        run.state, run.error = OrderPushRun.State.FAILED, str(error)[:2000]
    else:
        run.state = OrderPushRun.State.DONE
    run.counts = _counts(run)
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "counts", "finished_at"])
    return run


def _push_batch(run, batch, client, progress) -> None:
    if not batch:
        return
    orders_push(run.integration, batch, run=run, client=client)
    run.done += len(batch)
    run.counts = _counts(run)
    run.save(update_fields=["done", "counts"])
    if progress:
        progress(run)


def _counts(run) -> dict:
    counts = {outcome: 0 for outcome in OrderPushEvent.Outcome.values}
    counts.update(run.events.order_by().values_list("outcome").annotate(n=Count("id")))
    return counts
