"""For callers that cannot wait for webhooks (the command line, the packing table): follow
announcements.

A label job run inline ends "waiting for Sendcloud" while multi-parcel shipments are still being
announced; the back office finishes them by webhook or reconciliation. The CLI asks Sendcloud
itself instead, a bounded while, so it can say what became of every order before it exits.
"""

import time

from django.conf import settings
from django.utils.translation import gettext as _

from sendcloud import jobs
from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.models import LabelJob, LabelJobItem, Shipment
from sendcloud.webhooks.label_jobs import label_job_settle

from .queries import shipment_documents_fetch
from .resolve import shipment_poll


def _announcing(job: LabelJob):
    return Shipment.objects.filter(
        pk__in=job.items.filter(state=LabelJobItem.State.ANNOUNCING).values("shipment_id"),
        state=Shipment.State.ANNOUNCING,
    ).select_related("delivery_order")


def label_job_announcements_wait(job_id: int, *, seconds: float = 60.0) -> LabelJob:
    """Ask Sendcloud about the job's shipments still being announced until each is live or
    refused, or `seconds` passed; live ones get their documents now. Returns the job (ended, or
    still waiting for what did not end in time: the reconciliation finishes it)."""
    job = LabelJob.objects.select_related("integration").get(pk=job_id)
    if job.state != LabelJob.State.WAITING:
        return job
    delay = getattr(settings, "SENDCLOUD_LABEL_POLL_SECONDS", 1.0)
    deadline = time.monotonic() + seconds
    reference = str(_("label job %(id)s") % {"id": job.pk})
    with client_for(job.integration, reference=reference) as client:
        for shipment in _announcing(job):
            shipment_announcement_wait(shipment, client, deadline=deadline, delay=delay)
    label_job_settle(job.pk)
    job.refresh_from_db()
    return job


def shipment_announcement_wait(
    shipment: Shipment, client, *, deadline: float, delay: float
) -> Shipment:
    """Ask Sendcloud about a shipment being announced until it is live or refused, or the
    `time.monotonic()` deadline passed; a live one gets its documents now (or the worker does,
    when Sendcloud does not hand them out)."""
    while shipment.state == Shipment.State.ANNOUNCING and time.monotonic() < deadline:
        shipment_poll(shipment, client, tries=1, queue_documents=False)
        if shipment.state == Shipment.State.ANNOUNCING and delay:
            time.sleep(delay)
    if shipment.state == Shipment.State.LIVE:
        _documents_now(shipment)
    return shipment


def _documents_now(shipment: Shipment) -> None:
    try:
        shipment_documents_fetch(shipment.pk)
    except SendcloudError:
        jobs.enqueue(jobs.LABEL_DOCUMENTS_FETCH, shipment.pk)  # the worker tries again
