"""A real Celery worker process on the configured broker (SQLite by default, Redis in CI)."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from backoffice.system.models import WorkerHeartbeat
from backoffice.system.tasks import worker_heartbeat


def database_url_of_test_db() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{params['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_on_the_configured_broker_runs_a_queued_task():
    queue = f"test-{uuid.uuid4().hex[:12]}"  # never stolen by a worker of `make run`
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db()}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            f"--queues={queue}",
            f"--hostname={queue}@test",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        worker_heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if WorkerHeartbeat.objects.filter(hostname=f"{queue}@test").exists():
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert WorkerHeartbeat.objects.filter(hostname=f"{queue}@test").exists(), output[-3000:]
