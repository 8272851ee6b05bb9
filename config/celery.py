"""The Celery app; worker and beat run as one process on the embedded default (see Procfile)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("verwaltung")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
