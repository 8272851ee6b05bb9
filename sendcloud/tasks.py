"""Celery tasks: thin adapters that call one service each."""

import time

from celery import shared_task

from sendcloud.services.retention import sendcloud_logs_purge
from sendcloud.webhooks.processing import webhook_inbox_drain

_last_kick = 0.0


@shared_task(name="sendcloud.webhook_inbox_drain", ignore_result=True, acks_late=True)
def webhook_inbox_drain_task():
    webhook_inbox_drain()


def webhook_inbox_kick() -> None:
    """Ask the worker to drain the inbox, at most twice a second per web process.

    The beat schedule drains too, so a kick lost while the broker is down only delays.
    """
    global _last_kick
    now = time.monotonic()
    if now - _last_kick >= 0.5:
        _last_kick = now
        try:
            webhook_inbox_drain_task.delay()
        except Exception:  # the event is stored; the scheduled drain will pick it up
            _last_kick = 0.0


@shared_task(name="sendcloud.logs_purge", ignore_result=True)
def sendcloud_logs_purge_task():
    sendcloud_logs_purge()
