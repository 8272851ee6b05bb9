"""Bestellungen abgleichen: push delivery orders created before the integration existed."""

from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud import jobs
from sendcloud.client import errors as sc_errors
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import Integration, OrderPushEvent, OrderPushRun
from sendcloud.runs import run_execute, run_start

from .preflight import delivery_order_preflight
from .push import BATCH_SIZE, orders_push

# Sendcloud opened long after this day; an earlier one only overflows date arithmetic.
EARLIEST = date(2010, 1, 1)


def backfill_candidates(integration: Integration, since: date):
    """Ready to ship with a Sendcloud method, created on or after `since`.

    Drafts (Entwurf) are not pushed: they would arrive at Sendcloud as orders nobody has released
    yet. Confirming a draft ("bereit") queues it through the outbox by itself.
    """
    start = timezone.make_aware(datetime.combine(since, time.min))
    return (
        DeliveryOrder.objects.filter(
            company_id=integration.company_id,
            shipping_method__provider=ShippingMethod.Provider.SENDCLOUD,
            state=DeliveryOrder.State.READY,
            created_at__gte=start,
        )
        .select_related("sales_order__customer", "warehouse", "shipping_method")
        .prefetch_related("lines__product", "packages")
        .order_by("id")
    )


PREVIEW_ROWS = 200


def backfill_preview(integration: Integration, since: date) -> dict:
    """How many orders a run would push, which fail preflight (with their fixes), the first
    orders themselves, and how many drafts of the same days stay behind."""
    failing, rows = [], []
    total = 0
    for delivery in backfill_candidates(integration, since).iterator(chunk_size=500):
        total += 1
        problems = delivery_order_preflight(delivery, integration)
        if problems:
            failing.append((delivery, problems))
        if len(rows) < PREVIEW_ROWS:
            rows.append((delivery, problems))
    drafts = DeliveryOrder.objects.filter(
        company_id=integration.company_id,
        shipping_method__provider=ShippingMethod.Provider.SENDCLOUD,
        state=DeliveryOrder.State.DRAFT,
        created_at__gte=timezone.make_aware(datetime.combine(since, time.min)),
    ).count()
    return {
        "total": total,
        "failing": failing,
        "ready": total - len(failing),
        "rows": rows,
        "drafts": drafts,
    }


def order_push_run_start(
    integration: Integration, *, since: date, user=None, only_failed_of=None, queue=True
) -> OrderPushRun:
    """A new run queued for the worker (`queue=False`: the command line executes it itself)."""
    _check_startable(integration, since)
    fields = {"since": since, "started_by": user, "only_failed_of": only_failed_of}
    return run_start(OrderPushRun, jobs.ORDER_PUSH_RUN, integration, queue=queue, **fields)


def _check_startable(integration: Integration, since: date) -> None:
    if not integration.is_usable:
        raise ApplicationError(_("The integration is not connected."))
    if since < EARLIEST:
        raise ApplicationError(
            _("Orders from: choose a day on or after %(date)s.")
            % {"date": date_format(EARLIEST, "SHORT_DATE_FORMAT")},
            [Problem(_("too early"), field="since")],
        )


def _run_delivery_ids(run: OrderPushRun) -> list[int]:
    candidates = backfill_candidates(run.integration, run.since)
    if run.only_failed_of_id:
        failed = run.only_failed_of.events.filter(
            outcome__in=[OrderPushEvent.Outcome.FAILED, OrderPushEvent.Outcome.SKIPPED]
        ).values_list("delivery_order_id", flat=True)
        candidates = candidates.filter(pk__in=list(failed))
    return list(candidates.values_list("pk", flat=True))


def order_push_run_execute(run_id: int, *, client=None, progress=None) -> OrderPushRun | None:
    """Claim the run and push its orders batch by batch; a resumed run skips what it did.

    None when another worker has the run. Only ids are read up front, and each batch is loaded
    and closed before its HTTP call, so no cursor stays open while Sendcloud answers."""

    report = progress or (lambda run: None)

    def work(run: OrderPushRun) -> None:
        done_ids = set(run.events.values_list("delivery_order_id", flat=True))
        ids = _run_delivery_ids(run)
        todo = [pk for pk in ids if pk not in done_ids]
        run.beat(total=len(ids), done=len(ids) - len(todo))
        report(run)
        try:
            for start in range(0, len(todo), BATCH_SIZE):
                chunk = todo[start : start + BATCH_SIZE]
                batch = list(backfill_candidates(run.integration, run.since).filter(pk__in=chunk))
                orders_push(run.integration, batch, run=run, client=client)
                run.beat(done=run.done + len(batch), counts=_counts(run))
                report(run)
        except sc_errors.SendcloudError as error:
            run.finish(OrderPushRun.State.FAILED, str(error)[:2000], counts=_counts(run))
        else:
            run.finish(OrderPushRun.State.SUCCEEDED, counts=_counts(run))

    return run_execute(OrderPushRun, run_id, work)


def _counts(run) -> dict:
    counts = {outcome: 0 for outcome in OrderPushEvent.Outcome.values}
    counts.update(run.events.order_by().values_list("outcome").annotate(n=Count("id")))
    return counts
