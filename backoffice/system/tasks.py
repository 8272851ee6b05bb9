from celery import shared_task

from .services import worker_heartbeat_record


@shared_task(name="system.worker_heartbeat", ignore_result=True)
def worker_heartbeat():
    worker_heartbeat_record(worker_heartbeat.request.hostname or "unknown")
