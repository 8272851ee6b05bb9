"""Celery tasks: thin adapters that call one service each (queued through `sendcloud.jobs`)."""

from celery import shared_task
from django.db import OperationalError

from sendcloud import jobs
from sendcloud.client import SendcloudError
from sendcloud.services.labels import (
    label_job_execute,
    labels_reconcile_all,
    shipment_documents_fetch,
)
from sendcloud.services.orders.outbox import order_outbox_deliver
from sendcloud.services.orders.runs import order_push_run_execute
from sendcloud.services.retention import sendcloud_logs_purge
from sendcloud.services.returns import returns_reconcile_all
from sendcloud.services.sync_schedules import sync_due_dispatch
from sendcloud.sync.runner import sync_run_execute
from sendcloud.webhooks.processing import PASS_SECONDS, webhook_inbox_drain


@shared_task(name=jobs.WEBHOOK_INBOX_DRAIN, ignore_result=True, acks_late=True)
def webhook_inbox_drain_task():
    webhook_inbox_drain(seconds=PASS_SECONDS)


@shared_task(name=jobs.ORDER_OUTBOX_DELIVER, ignore_result=True, acks_late=True)
def order_outbox_deliver_task():
    order_outbox_deliver()


@shared_task(
    name=jobs.ORDER_PUSH_RUN,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(),
    max_retries=0,
)
def order_push_run_task(run_id: int):
    order_push_run_execute(run_id)


@shared_task(name=jobs.LOGS_PURGE, ignore_result=True)
def sendcloud_logs_purge_task():
    sendcloud_logs_purge()


@shared_task(
    name=jobs.SYNC_RUN_EXECUTE,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
)
def sync_run_execute_task(run_id: int):
    """Execute one Abgleich run; a redelivered message finds the run claimed and does nothing."""
    sync_run_execute(run_id)


@shared_task(name=jobs.SYNC_DUE, ignore_result=True)
def sync_due_task():
    """Beat, every minute: start the object types whose schedule is due; resume dead runs."""
    sync_due_dispatch()


@shared_task(name=jobs.LABEL_JOB_EXECUTE, ignore_result=True, acks_late=True, max_retries=0)
def label_job_execute_task(job_id: int):
    """A redelivered message finds the job claimed; never-twice lives in the service and DB."""
    label_job_execute(job_id)


@shared_task(
    name=jobs.LABEL_DOCUMENTS_FETCH,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OperationalError, SendcloudError),
    retry_backoff=5,
    max_retries=5,
)
def label_documents_fetch_task(shipment_id: int):
    shipment_documents_fetch(shipment_id)


@shared_task(name=jobs.LABELS_RECONCILE, ignore_result=True)
def labels_reconcile_task():
    """Beat: parcel statuses the webhooks missed, one list request per page."""
    labels_reconcile_all()


@shared_task(name=jobs.RETURNS_RECONCILE, ignore_result=True)
def returns_reconcile_task():
    """Beat: statuses of open returns the webhooks missed, and lost create answers."""
    returns_reconcile_all()
