import subprocess
import sys

from django.conf import settings

SCRIPT = """
import django
django.setup()
from celery import current_app
from celery.app.task import Task
from sendcloud import jobs

assert jobs.SYNC_DUE not in current_app.tasks, "a web process has not imported the tasks"
sent = []
Task.delay = lambda self, *args: sent.append(self.name)
jobs._send(jobs.SYNC_DUE, ())
print(sent)
"""


def test_a_process_that_never_imported_the_tasks_can_queue_one_by_name():
    """The web process queues through jobs.py without importing tasks.py (only a worker loads
    the task modules at start), so the registry must be loaded on first use."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['sendcloud.sync_due']"
