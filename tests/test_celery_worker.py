"""A real Celery worker process on the configured broker (SQLite by default, Redis in CI)."""

import time

import pytest

from backoffice.system.models import WorkerHeartbeat
from backoffice.system.tasks import worker_heartbeat
from tests.worker import celery_worker


@pytest.mark.django_db(transaction=True)
def test_worker_on_the_configured_broker_runs_a_queued_task():
    with celery_worker() as (process, queue):
        worker_heartbeat.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if WorkerHeartbeat.objects.filter(hostname=f"{queue}@test").exists():
                break
            time.sleep(0.2)
    assert WorkerHeartbeat.objects.filter(hostname=f"{queue}@test").exists()
