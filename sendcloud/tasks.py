"""Celery tasks: thin adapters that call one service each."""

import time

from celery import shared_task
from django.db import OperationalError

from sendcloud.services.order_outbox import order_outbox_deliver
from sendcloud.services.order_runs import order_push_run_execute
from sendcloud.services.retention import sendcloud_logs_purge
from sendcloud.webhooks.processing import webhook_inbox_drain

_last_kick: dict[str, float] = {}


def _kick(task, every: float = 0.5) -> None:
    """Queue `task` at most once per `every` seconds per process.

    The work it does is stored in the database and a beat schedule runs the same task, so a
    kick lost while the broker is down only delays it.
    """
    now = time.monotonic()
    if now - _last_kick.get(task.name, 0.0) >= every:
        _last_kick[task.name] = now
        try:
            task.delay()
        except Exception:
            _last_kick[task.name] = 0.0


@shared_task(name="sendcloud.webhook_inbox_drain", ignore_result=True, acks_late=True)
def webhook_inbox_drain_task():
    webhook_inbox_drain()


def webhook_inbox_kick() -> None:
    _kick(webhook_inbox_drain_task)


@shared_task(name="sendcloud.order_outbox_deliver", ignore_result=True, acks_late=True)
def order_outbox_deliver_task():
    order_outbox_deliver()


def order_outbox_kick() -> None:
    _kick(order_outbox_deliver_task)


@shared_task(
    name="sendcloud.order_push_run",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(),
    max_retries=0,
)
def order_push_run_task(run_id: int):
    order_push_run_execute(run_id)


@shared_task(name="sendcloud.logs_purge", ignore_result=True)
def sendcloud_logs_purge_task():
    sendcloud_logs_purge()


@shared_task(
    name="sendcloud.sync_run_execute",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
)
def sync_run_execute_task(run_id: int):
    """Execute one Abgleich run; a redelivered message finds the run claimed and does nothing."""
    from sendcloud.sync.runner import sync_run_execute

    sync_run_execute(run_id)


@shared_task(name="sendcloud.sync_due", ignore_result=True)
def sync_due_task():
    """Beat, every minute: start the object types whose schedule is due; resume dead runs."""
    from sendcloud.services.sync_schedules import sync_due_dispatch

    sync_due_dispatch()
