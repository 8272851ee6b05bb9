from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from .services import broker_delivered_purge, worker_heartbeat_record


@shared_task(name="system.worker_heartbeat", ignore_result=True)
def worker_heartbeat():
    worker_heartbeat_record(worker_heartbeat.request.hostname or "unknown")


@shared_task(name="system.broker_purge", ignore_result=True)
def broker_purge():
    return broker_delivered_purge(settings.CELERY_BROKER_URL)


@worker_ready.connect
def _heartbeat_on_start(sender, **kwargs):
    """Report at once when a worker starts, not only at the first scheduled heartbeat."""
    worker_heartbeat_record(getattr(sender, "hostname", None) or "unknown")
