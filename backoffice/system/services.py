from datetime import timedelta

from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from .models import WorkerHeartbeat

HEARTBEAT_EVERY = timedelta(minutes=1)


def worker_heartbeat_record(hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat


def worker_last_seen():
    """When any worker last reported, or None; the overview shows it."""
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return latest.seen_at if latest else None


def worker_heartbeat_schedule_ensure(**signal_kwargs) -> None:
    """Store the heartbeat schedule in the beat database (idempotent)."""
    every, _ = IntervalSchedule.objects.get_or_create(
        every=int(HEARTBEAT_EVERY.total_seconds()), period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name="Worker heartbeat",
        defaults={"task": "system.worker_heartbeat", "interval": every, "enabled": True},
    )
