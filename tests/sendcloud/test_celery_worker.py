"""A real Celery worker process on the configured broker (SQLite by default, Redis in CI)."""

import time

import pytest

from sendcloud.models import WebhookEvent
from sendcloud.tasks import webhook_inbox_drain_task
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import post_webhook
from tests.worker import celery_worker


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_worker_on_the_configured_broker_runs_a_queued_task(client, integration):
    post_webhook(client, integration, {"action": "shiny_new_event", "timestamp": 1}, secret=SECRET)
    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.RECEIVED
    with celery_worker() as (process, _queue):
        webhook_inbox_drain_task.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            event.refresh_from_db()
            if event.state != WebhookEvent.State.RECEIVED:
                break
            time.sleep(0.2)
    assert event.state == WebhookEvent.State.IGNORED
