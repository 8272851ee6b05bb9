from celery import shared_task
from celery.signals import worker_ready

from .services import worker_heartbeat_record


@shared_task(name="system.worker_heartbeat", ignore_result=True)
def worker_heartbeat():
    worker_heartbeat_record(worker_heartbeat.request.hostname or "unknown")


@worker_ready.connect
def _heartbeat_on_start(sender, **kwargs):
    """Report at once when a worker starts, not only at the first scheduled heartbeat."""
    worker_heartbeat_record(getattr(sender, "hostname", None) or "unknown")
