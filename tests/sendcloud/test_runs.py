"""One run lifecycle for sync and order push runs: atomic claim, crash = failed at once."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sendcloud.client import SendcloudClient
from sendcloud.errors import ApplicationError
from sendcloud.models import OrderPushRun, SyncRun
from sendcloud.models.runs import STALE_AFTER
from sendcloud.runs import RunActive
from sendcloud.services.orders import runs as order_runs
from sendcloud.sync import runner, sync_start
from tests.factories import DeliveryOrderFactory, ShippingMethodFactory

pytestmark = pytest.mark.django_db


def order_run(integration, **fields) -> OrderPushRun:
    since = timezone.localdate() - timedelta(days=30)
    return order_runs.order_push_run_start(integration, queue=False, since=since, **fields)


def test_a_crashing_order_push_run_fails_at_once_with_the_reason_and_frees_the_integration(
    integration, monkeypatch
):
    DeliveryOrderFactory(company=integration.company, shipping_method=ShippingMethodFactory())

    def crash(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(order_runs, "orders_push", crash)
    run = order_run(integration)
    with pytest.raises(OverflowError):
        order_runs.order_push_run_execute(run.pk)
    run.refresh_from_db()
    assert run.state == OrderPushRun.State.FAILED and run.finished_at is not None
    assert "date value out of range" in run.error
    assert order_run(integration).state == OrderPushRun.State.QUEUED  # not blocked


def test_a_crashing_sync_run_fails_at_once_with_the_reason(integration, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(runner, "_sync_type", crash)
    run = sync_start(integration, ["brands"], queue=False, trigger=SyncRun.Trigger.MANUAL)
    with pytest.raises(RuntimeError):
        runner.sync_run_execute(run.pk, client=SendcloudClient("k" * 16, "s" * 16))
    run.refresh_from_db()
    assert run.state == SyncRun.State.FAILED and "database is locked" in run.error
    assert not SyncRun.objects.active().exists()


def test_a_redelivered_order_push_task_does_nothing(integration, monkeypatch):
    pushed = []
    monkeypatch.setattr(order_runs, "orders_push", lambda *a, **k: pushed.append(a))
    DeliveryOrderFactory(company=integration.company, shipping_method=ShippingMethodFactory())
    run = order_run(integration)
    assert OrderPushRun.objects.claim(run.pk)  # the first delivery of the task took it
    assert order_runs.order_push_run_execute(run.pk) is None
    assert pushed == []
    OrderPushRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - 2 * STALE_AFTER)
    assert order_runs.order_push_run_execute(run.pk).state == OrderPushRun.State.SUCCEEDED
    assert len(pushed) == 1  # a silent worker's run is taken over


def test_sync_and_order_runs_share_one_stale_time(integration):
    sync = sync_start(integration, ["brands"], queue=False, trigger=SyncRun.Trigger.MANUAL)
    push = order_run(integration)
    silent = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    for model, run in ((SyncRun, sync), (OrderPushRun, push)):
        model.objects.filter(pk=run.pk).update(state="running", heartbeat_at=silent)
        assert list(model.objects.stale()) == [run]
        with pytest.raises(RunActive) as busy:
            (
                sync_start(integration, ["brands"], queue=False, trigger=SyncRun.Trigger.MANUAL)
                if model is SyncRun
                else order_run(integration)
            )
        assert busy.value.stale and busy.value.run == run


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_orders_are_pushed(integration, monkeypatch):
    seen = []
    monkeypatch.setattr(
        order_runs, "orders_push", lambda *a, **k: seen.append(connection.in_atomic_block)
    )
    method = ShippingMethodFactory(company=integration.company)
    for _ in range(3):
        DeliveryOrderFactory(company=integration.company, shipping_method=method)
    monkeypatch.setattr(order_runs, "BATCH_SIZE", 2)
    order_runs.order_push_run_execute(order_run(integration).pk)
    assert seen == [False, False]


def test_a_day_before_sendcloud_existed_is_refused_by_the_service(integration):
    with pytest.raises(ApplicationError) as error:
        order_runs.order_push_run_start(integration, queue=False, since=date(1, 1, 1))
    assert error.value.problems[0].field == "since"
    assert not OrderPushRun.objects.exists()


def test_backfill_page_refuses_year_one_naming_the_field_and_previews_nothing(
    clerk_client, integration
):
    url = reverse("sendcloud:orders", args=[integration.pk])
    response = clerk_client.get(url, {"since": "0001-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["since"] == [
        "„Bestellungen ab“ liegt zu weit zurück; wählen Sie den 01.01.2010 oder einen späteren Tag."
    ]
    assert response.context["preview"] is None
    response = clerk_client.post(url, {"since": "0001-01-01"})
    assert response.status_code == 200 and not OrderPushRun.objects.exists()
