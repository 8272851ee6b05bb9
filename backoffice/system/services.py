import sqlite3
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


SQLITE_BROKER = "sqla+sqlite:///"
BROKER_PURGE_EVERY = timedelta(hours=1)


def broker_delivered_purge(broker_url: str) -> int:
    """Delete the messages the embedded SQLite broker has delivered; how many went.

    kombu's SQLAlchemy transport marks a message it hands to a worker `visible = 0` and never
    deletes it, and every poll scans the table under the write lock: a `make run` left running
    for weeks would slow its own worker down. Other brokers (Redis) delete on delivery: nothing
    to do there."""
    if not broker_url.startswith(SQLITE_BROKER):
        return 0
    path = broker_url[len(SQLITE_BROKER) :].split("?", 1)[0]
    with sqlite3.connect(path, timeout=30) as connection:
        tables = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kombu_message'"
        ).fetchall()
        if not tables:
            return 0
        return connection.execute("DELETE FROM kombu_message WHERE visible = 0").rowcount


def broker_purge_schedule_ensure(**signal_kwargs) -> None:
    """Store the hourly purge of the embedded broker in the beat database (idempotent)."""
    every, _ = IntervalSchedule.objects.get_or_create(
        every=int(BROKER_PURGE_EVERY.total_seconds()), period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.get_or_create(
        name="Embedded broker: delete delivered messages",
        defaults={"task": "system.broker_purge", "interval": every, "enabled": True},
    )
