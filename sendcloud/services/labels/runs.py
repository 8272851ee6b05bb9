"""Label jobs: one run over selected delivery orders, per-order results, "retry failed only"."""

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud import jobs
from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration, LabelJob, LabelJobItem, Shipment
from sendcloud.models.fingerprint import delivery_order_fingerprint
from sendcloud.refusals import LabelRefused, problem_rows
from sendcloud.runs import run_execute
from sendcloud.services.shipping.choice import delivery_order_choose
from sendcloud.webhooks.label_jobs import label_job_settle, tracking_text

from .cancel import cancel_result_text, delivery_order_label_cancel
from .create import LiveLabelExists, delivery_order_label_create
from .resolve import LabelPending, blocking_shipment

RETRYABLE = (LabelJobItem.State.FAILED, LabelJobItem.State.NEEDS_FIXING)


def label_job_create(
    integration: Integration,
    deliveries: Iterable[DeliveryOrder],
    *,
    user=None,
    kind: str = LabelJob.Kind.CREATE,
    use_rules: bool = False,
    retry_of: LabelJob | None = None,
    enqueue: bool = True,
    choose: str = "",
) -> LabelJob:
    """A job with one item per delivery order. An order already in an active job gets a skipped
    item here (database constraint), so a double submit queues nothing twice. `choose`
    (cheapest, fastest) picks an option for each order without an explicit choice."""
    job = LabelJob.objects.create(
        integration=integration,
        kind=kind,
        started_by=user,
        use_shipping_rules=use_rules,
        retry_of=retry_of,
        choose=choose,
    )
    total = 0
    for delivery in deliveries:
        total += 1
        try:
            with transaction.atomic():
                LabelJobItem.objects.create(job=job, delivery_order=delivery)
        except IntegrityError:
            LabelJobItem.objects.create(
                job=job,
                delivery_order=delivery,
                state=LabelJobItem.State.SKIPPED,
                message=_("Already in a running label job."),
            )
    job.total = total
    job.save(update_fields=["total"])
    if enqueue:
        jobs.enqueue(jobs.LABEL_JOB_EXECUTE, job.pk)
    return job


def label_job_retryable(job: LabelJob) -> tuple[list[LabelJobItem], list[LabelJobItem]]:
    """(items worth sending again, refused items whose delivery order has not changed since).

    Transient failures (timeouts, 5xx, 429) and problems found before sending are retried as
    they are; a definite refusal only once its delivery order (lines, packages, option, service
    point, sender) changed: Sendcloud would refuse it unchanged again."""
    retry, unchanged = [], []
    items = job.items.filter(state__in=RETRYABLE).select_related("delivery_order").order_by("pk")
    for item in items:
        if item.refused_input and item.refused_input == delivery_order_fingerprint(
            item.delivery_order, job.integration
        ):
            unchanged.append(item)
        else:
            retry.append(item)
    return retry, unchanged


def label_job_retry_failed(job: LabelJob, *, user=None, enqueue: bool = True) -> LabelJob | None:
    """A new job for the failed orders that may be sent again (None when there is none); the
    refused ones that did not change are reported in it as skipped."""
    retry, unchanged = label_job_retryable(job)
    if not retry:
        return None
    with transaction.atomic():
        new = label_job_create(
            job.integration,
            [i.delivery_order for i in retry],
            user=user,
            kind=job.kind,
            use_rules=job.use_shipping_rules,
            retry_of=job,
            enqueue=False,
            choose=job.choose,
        )
        for item in unchanged:
            LabelJobItem.objects.create(
                job=new,
                delivery_order=item.delivery_order,
                state=LabelJobItem.State.SKIPPED,
                message=_("unchanged – correct it first"),
                problems=item.problems,
                carrier_text=item.carrier_text,
                refused_input=item.refused_input,
            )
        new.total += len(unchanged)
        new.save(update_fields=["total"])
        if enqueue:
            jobs.enqueue(jobs.LABEL_JOB_EXECUTE, new.pk)
    return new


def _created_state(shipment: Shipment) -> tuple[str, str]:
    """A label that is still being announced is not a success yet (async multi-parcel)."""
    if shipment.state == Shipment.State.ANNOUNCING:
        return LabelJobItem.State.ANNOUNCING, _("being announced at Sendcloud")
    return LabelJobItem.State.SUCCEEDED, tracking_text(shipment)


def _run_item(item: LabelJobItem, job: LabelJob, client, lookups: dict) -> None:
    delivery = item.delivery_order
    try:
        if job.kind == LabelJob.Kind.CANCEL:
            shipment = delivery_order_label_cancel(delivery, job.integration, client=client)
            item.state = LabelJobItem.State.SUCCEEDED
            item.message = cancel_result_text(shipment)
        else:
            if job.choose and blocking_shipment(delivery) is None:
                delivery_order_choose(delivery, job.integration, job.choose, lookups=lookups)
            shipment = delivery_order_label_create(
                delivery,
                job.integration,
                job=job,
                use_rules=job.use_shipping_rules,
                client=client,
                lookups=lookups,
            )
            item.state, item.message = _created_state(shipment)
        item.shipment = shipment
    except LiveLabelExists as exc:
        if exc.shipment.job_id == job.pk:
            # This job made it before its worker died (the answer recovered by reference).
            item.state, item.message = _created_state(exc.shipment)
        else:
            item.state, item.message = LabelJobItem.State.SKIPPED, exc.message
        item.shipment = exc.shipment
    except LabelPending as exc:
        item.state, item.message = LabelJobItem.State.FAILED, exc.message
    except LabelRefused as exc:
        item.state = LabelJobItem.State.NEEDS_FIXING
        item.message = exc.message
        item.problems = problem_rows(exc.problems)
        item.carrier_text = exc.carrier_text
        item.refused_input = delivery_order_fingerprint(delivery, job.integration)
    except ApplicationError as exc:
        item.state = LabelJobItem.State.NEEDS_FIXING
        item.message = exc.message
        item.problems = [
            {"message": p.message, "object": p.object, "field": p.field} for p in exc.problems
        ]
    except SendcloudError as exc:
        item.state, item.message = LabelJobItem.State.FAILED, str(exc)


def label_job_execute(
    job_id: int, *, progress: Callable[[LabelJobItem], None] | None = None
) -> LabelJob:
    """Run a queued job, or continue one whose worker died (the dispatcher re-queues it); a
    redelivered message finds it claimed and does nothing. A crash fails it at once."""

    def work(job: LabelJob) -> None:
        client = client_for(job.integration, reference=str(_("label job %(id)s") % {"id": job.pk}))
        lookups: dict = {}
        counts: dict[str, int] = {}
        done = 0
        try:
            for item in job.items.select_related("delivery_order").order_by("pk"):
                # A running item's worker died mid-order: its attempt's reference is looked up
                # at Sendcloud before anything new is created, so it never gets a second label.
                if item.state in LabelJobItem.ACTIVE:
                    item.state = LabelJobItem.State.RUNNING
                    item.save(update_fields=["state", "updated_at"])
                    _run_item(item, job, client, lookups)
                    item.save()
                counts[item.state] = counts.get(item.state, 0) + 1
                done += 1
                job.beat(done=done, counts=counts)
                if progress is not None:
                    progress(item)
        except Exception as exc:
            job.items.filter(state__in=LabelJobItem.ACTIVE).update(
                state=LabelJobItem.State.FAILED, message=str(exc)[:500]
            )
            raise
        finally:
            client.close()
        troubled = counts.get(LabelJobItem.State.FAILED, 0) + counts.get(
            LabelJobItem.State.NEEDS_FIXING, 0
        )
        if counts.get(LabelJobItem.State.ANNOUNCING):
            # Not done while a shipment is being announced: it ends when the last one moved on.
            job.state = LabelJob.State.WAITING
            job.save(update_fields=["state"])
        else:
            job.finish(LabelJob.State.PARTIAL if troubled else LabelJob.State.SUCCEEDED)

    run_execute(LabelJob, job_id, work)
    # A webhook may have moved a shipment on before its item said "being announced".
    label_job_settle(job_id)
    return LabelJob.objects.select_related("integration").get(pk=job_id)
