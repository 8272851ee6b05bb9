from datetime import timedelta

import pytest
from django.utils import timezone

from backoffice.system.models import WorkerHeartbeat
from backoffice.system.services import worker_heartbeat_record
from sendcloud.models import ApiCall


@pytest.fixture
def fresh_worker(db):
    return worker_heartbeat_record("celery@test")


def test_health_answers_without_login_or_database(client):
    response = client.get("/health")  # no `db` fixture: a query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_database_broker_and_worker_answer(client, fresh_worker):
    response = client.get("/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "broker",
        "worker",
    }


def test_ready_fails_when_no_worker_beat_recently(client, db):
    WorkerHeartbeat.objects.create(
        hostname="celery@old", seen_at=timezone.now() - timedelta(minutes=10)
    )
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_ready_fails_when_the_broker_is_unreachable(client, fresh_worker, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_sendcloud_down_is_shown_but_never_makes_ready_fail(client, fresh_worker):
    ApiCall.objects.create(method="GET", path="/api/v3/shipping-options", status_code=None)
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json()["sendcloud"]["state"] == "unreachable"
