"""Queueing work from a process that is not a worker (the web process)."""

import subprocess
import sys

from django.conf import settings

SCRIPT = """
import django
django.setup()
from celery import current_app
from sendcloud import jobs
assert jobs.LABEL_JOB_EXECUTE not in current_app.tasks  # nothing imported sendcloud.tasks yet
print(jobs._task(jobs.LABEL_JOB_EXECUTE).name)
"""


def test_a_web_process_finds_the_tasks_it_queues():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("sendcloud.label_job_execute")
