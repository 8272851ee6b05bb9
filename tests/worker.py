"""A real Celery worker process for tests, on the configured broker and the test database."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app


def database_url_of_test_db() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{params['NAME']}"


@contextmanager
def celery_worker(**environment):
    """Start a worker on a queue of its own and send this process's tasks there; `environment`
    passes settings to it (it reads them from env vars like every process of the project)."""
    queue = f"test-{uuid.uuid4().hex[:12]}"  # never shared with `make run` or another test run
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), **environment}
    process = subprocess.Popen(
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
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        yield process, queue
    finally:
        celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
