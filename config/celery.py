"""The Celery app; worker and beat run as one process on the embedded default (see Procfile)."""

import os

import structlog
from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("verwaltung")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _bind_task(task_id=None, task=None, **kwargs):
    """Each task's log lines carry its id and name; nothing bound by the previous task stays."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(task_id=task_id, task=getattr(task, "name", None))
