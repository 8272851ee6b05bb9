"""A label job item that waits for its shipment's announcement takes the outcome when it comes.

An asynchronous create (multi-parcel, v3 `POST /shipments`) answers with parcels still being
announced: the item is "being announced" and its job "waiting for Sendcloud". Whatever moves the
shipment on — the status webhook, a poll, the reconciliation — calls `label_job_items_follow`;
the item becomes succeeded (live) or needs fixing (refused), and the job ends with its last one.
"""

from django.db import transaction
from django.db.models import Count

from sendcloud.models import LabelJob, LabelJobItem, Shipment
from sendcloud.models.fingerprint import delivery_order_fingerprint
from sendcloud.refusals import LabelRefused, problem_rows, refusal_for_text

ENDED = (
    Shipment.State.LIVE,
    Shipment.State.FAILED,
    Shipment.State.CANCEL_REQUESTED,
    Shipment.State.CANCELLED,
)


def tracking_text(shipment: Shipment) -> str:
    """What a succeeded item says: the tracking numbers, else the shipment's state."""
    tracking = shipment.labels.values_list("tracking_number", flat=True)
    return ", ".join(t for t in tracking if t) or str(shipment.get_state_display())


def item_refused(item: LabelJobItem, shipment: Shipment) -> None:
    """The item ends as "needs fixing" with the German reason and the carrier's words once."""
    refused = LabelRefused(shipment.delivery_order.number, refusal_for_text(shipment.error_message))
    item.state = LabelJobItem.State.NEEDS_FIXING
    item.message = refused.message
    item.problems = problem_rows(refused.problems)
    item.carrier_text = refused.carrier_text
    item.refused_input = delivery_order_fingerprint(shipment.delivery_order, shipment.integration)


def label_job_items_follow(shipment: Shipment) -> int:
    """Items waiting for `shipment` take its outcome; their jobs end when nothing waits."""
    if shipment.state not in ENDED:
        return 0
    changed = 0
    jobs = set()
    with transaction.atomic():
        items = LabelJobItem.objects.select_for_update().filter(
            shipment=shipment, state=LabelJobItem.State.ANNOUNCING
        )
        for item in items:
            if shipment.state == Shipment.State.FAILED:
                item_refused(item, shipment)
            else:
                item.state, item.message = LabelJobItem.State.SUCCEEDED, tracking_text(shipment)
            item.save()
            changed += 1
            jobs.add(item.job_id)
    for job_id in jobs:
        label_job_settle(job_id)
    return changed


def label_job_settle(job_id: int) -> bool:
    """A job waiting for Sendcloud ends (succeeded or partly failed) once no item waits; its
    items whose shipment moved on meanwhile follow first. True when it ended."""
    waiting = LabelJobItem.objects.filter(job_id=job_id, state=LabelJobItem.State.ANNOUNCING)
    for item in waiting.select_related("shipment__delivery_order").exclude(shipment=None):
        if item.shipment.state in ENDED:
            label_job_items_follow(item.shipment)
    counts = dict(
        LabelJobItem.objects.filter(job_id=job_id)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    job = LabelJob.objects.get(pk=job_id)
    if job.state != LabelJob.State.WAITING:
        return False
    if counts.get(LabelJobItem.State.ANNOUNCING):
        job.beat(counts=counts)
        return False
    troubled = counts.get(LabelJobItem.State.FAILED, 0) + counts.get(
        LabelJobItem.State.NEEDS_FIXING, 0
    )
    ended = LabelJob.objects.filter(pk=job_id, state=LabelJob.State.WAITING).update(
        state=LabelJob.State.PARTIAL if troubled else LabelJob.State.SUCCEEDED
    )
    if ended:
        job.refresh_from_db()
        job.finish(job.state, counts=counts)
    return bool(ended)
