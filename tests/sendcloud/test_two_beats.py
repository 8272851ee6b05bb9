"""Two beats started by mistake fire every periodic task twice, at the same moment, each from its
own process with its own database connection (here two threads, each with its own connection,
released together). Nothing is done twice: one run per due integration, each order pushed once,
each webhook event applied once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sendcloud import jobs
from sendcloud.clients import sendcloud_client
from sendcloud.models import OrderOutbox, OrderPush, Parcel, ScheduleTick, SyncRun, WebhookEvent
from sendcloud.services.orders.outbox import order_outbox_deliver
from sendcloud.services.sync_schedules import sync_due_dispatch
from sendcloud.webhooks.processing import webhook_inbox_drain
from tests.factories import CompanyFactory
from tests.sendcloud.factories import IntegrationFactory
from tests.sendcloud.labels.conftest import linked_shop
from tests.sendcloud.test_fairness import received, status
from tests.sendcloud.test_order_push import make_deliveries
from tests.sendcloud.test_worker_kills import slow_sandbox

pytestmark = pytest.mark.django_db(transaction=True)


def twice_at_once(work, *arguments):
    """`work(*arguments[i])` in two threads released at the same instant; both results."""
    barrier = threading.Barrier(2)
    results, errors = [None, None], []

    def beat(index):
        try:
            barrier.wait()
            results[index] = work(*arguments[index])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.fixture
def queued(monkeypatch):
    """Runs the dispatchers hand to the broker."""
    sent = []
    monkeypatch.setattr(
        "sendcloud.tasks.sync_run_execute_task.apply_async",
        lambda args, countdown=0: sent.append(args[0]),
    )
    monkeypatch.setattr("sendcloud.tasks.sync_run_execute_task.delay", sent.append)
    return sent


def test_two_beats_dispatching_the_same_minute_start_one_run_per_due_integration(queued):
    due = [IntegrationFactory(company=CompanyFactory()) for _ in range(5)]
    now = timezone.now().replace(second=5)  # both within one minute

    first, second = twice_at_once(sync_due_dispatch, (now,), (now + timedelta(seconds=2),))

    assert sorted([len(first), len(second)]) == [0, len(due)]
    runs = SyncRun.objects.all()
    assert sorted(r.integration_id for r in runs) == sorted(i.pk for i in due)
    assert sorted(queued) == sorted(r.pk for r in runs)
    assert ScheduleTick.objects.count() == 1


def test_two_beats_a_minute_apart_still_start_one_run_per_due_integration(queued):
    """Each claims its own minute; the runs' one-active-per-integration constraint decides."""
    due = [IntegrationFactory(company=CompanyFactory()) for _ in range(5)]
    now = timezone.now()

    twice_at_once(sync_due_dispatch, (now,), (now + timedelta(minutes=1),))

    runs = SyncRun.objects.all()
    assert sorted(r.integration_id for r in runs) == sorted(i.pk for i in due)
    assert sorted(queued) == sorted(r.pk for r in runs)
    assert ScheduleTick.objects.count() == 2


def test_two_beats_delivering_the_outbox_at_once_push_each_order_once(
    sandbox_http, account, company, settings, monkeypatch
):
    settings.SENDCLOUD_BASE_URL = sandbox_http[0]
    monkeypatch.setattr(jobs, "_send", lambda *args, **kwargs: None)  # only the beats deliver
    sandbox_http[1].post("/orders/settings", json={"processing_seconds": 0}).raise_for_status()
    deliveries = make_deliveries(linked_shop(company, account, sendcloud_client), 250)
    slow_sandbox(sandbox_http, delay=0.3, methods=["POST"])  # the two passes overlap

    delivered = twice_at_once(order_outbox_deliver, (), ())

    assert sum(delivered) == len(deliveries)
    assert not OrderOutbox.objects.exists()
    assert set(OrderPush.objects.values_list("state", flat=True)) == {OrderPush.State.PUSHED}
    pushed = sandbox_http[1].get(f"/accounts/{account['id']}/orders").json()["orders"]
    assert sorted(o["order_number"] for o in pushed) == sorted(d.number for d in deliveries)


def test_two_beats_draining_the_inbox_at_once_apply_each_event_once(integration):
    events = received(
        integration, [status(700_000 + n, 1_767_225_600_000 + n) for n in range(1000)]
    )

    drained = twice_at_once(webhook_inbox_drain, (), ())

    assert sum(drained) == len(events)
    assert set(WebhookEvent.objects.values_list("state", "attempts").distinct()) == {
        ("processed", 1)
    }
    assert Parcel.objects.filter(integration=integration).count() == len(events)
