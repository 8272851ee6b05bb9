"""Four worker processes; one is killed (SIGKILL) in the middle of a job. The job is taken up
by another worker once its lease or heartbeat runs out (simulated by moving its timestamps into
the past, as the beat's stale check sees them five minutes later) and ends exactly once:
nothing is lost, nothing is duplicated at the sandbox. Runs on the configured broker and
database (SQLite in CI stage 1, Redis and PostgreSQL in stage 3).

On the embedded SQLite broker these tests once waited two minutes for the inbox drain to start.
The cause: kombu creates a queue on that broker by a look, then an insert, so two of the four
workers starting at once on the shared queue could both insert it; the loser died at start
("Unrecoverable error: IntegrityError ... kombu_queue.name") and the private queue the drain is
sent to had no consumer. A busy broker file makes it likelier (each poll scans every message
the file ever held under a write lock, and kombu never deletes delivered ones): a run with
60,000 old messages in the file failed the same way, with that error in the worker's output.
The pool now creates its queues before its workers start (`queues_declare`), and each worker
writes its output to a file in the pytest temporary directory `workers*` (a pipe nobody reads
would block a talkative worker)."""

import os
import signal
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from sendcloud import jobs, tasks  # noqa: F401 (registers the tasks this process sends)
from sendcloud.clients import client_for, sendcloud_client
from sendcloud.models import (
    LabelJob,
    LabelJobItem,
    OrderOutbox,
    OrderPushRun,
    Parcel,
    SenderAddress,
    Shipment,
    SyncRun,
    WebhookEvent,
)
from sendcloud.models.runs import STALE_AFTER
from sendcloud.services.connect import integration_keys_save
from sendcloud.services.labels import label_job_create
from sendcloud.services.orders.runs import order_push_run_start
from sendcloud.services.sync_schedules import sync_runs_resume_stale
from sendcloud.services.warehouse_addresses import warehouse_sender_addresses_save
from sendcloud.sync import sync_start
from tests.factories import ProductFactory, ShippingMethodFactory, WarehouseFactory
from tests.sendcloud.factories import IntegrationFactory, SenderAddressFactory
from tests.sendcloud.labels.conftest import linked_shop, make_delivery
from tests.sendcloud.test_fairness import received, status
from tests.sendcloud.test_order_push import make_deliveries
from tests.worker import queues_declare, worker_start, worker_stop

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]
WORKERS = 4
PATIENCE = 120  # seconds a step may take on a busy machine before the test gives up
ORDERS = 250  # three batches: the victim dies after the first
LABELS = 12  # one label request in flight when the victim dies, several done before and after


class Pool:
    """WORKERS worker processes on a shared test queue; each also has a private queue, so a
    test can hand a job to the worker it is going to kill."""

    def __init__(self, base_url, log_dir):
        self.shared = f"kill-{uuid.uuid4().hex[:10]}"
        self.env = {"SENDCLOUD_BASE_URL": base_url, "SENDCLOUD_RATE_LIMIT_STORAGE": "memory"}
        self.log_dir = log_dir
        queues_declare(self.shared, *(self.private(i) for i in range(WORKERS)))
        self.processes = [self.start(i) for i in range(WORKERS)]

    def private(self, index):
        return f"{self.shared}-w{index}"

    def start(self, index):
        queues = f"{self.shared},{self.private(index)}"
        with (self.log_dir / f"worker-{index}.log").open("a") as log:
            return worker_start(queues, hostname=self.private(index), log=log, **self.env)

    def route(self, task_name=None, queue=None):
        """Send `task_name` to `queue`, everything else to the shared queue."""
        routes = {task_name: {"queue": queue}} if task_name else {}
        celery_app.conf.update(task_default_queue=self.shared, task_routes=routes)

    def kill(self, index):
        """SIGKILL, as the OOM killer or a pulled plug does; a fresh worker takes the slot."""
        os.kill(self.processes[index].pid, signal.SIGKILL)
        self.processes[index].wait(timeout=30)
        self.processes[index] = self.start(index)

    def stop(self):
        for process in self.processes:
            worker_stop(process)


@pytest.fixture(scope="module")
def pool(django_db_setup, django_db_blocker, sandbox_http, tmp_path_factory):
    previous = celery_app.conf.task_default_queue, celery_app.conf.task_routes
    pool = Pool(sandbox_http[0], tmp_path_factory.mktemp("workers"))
    yield pool
    pool.stop()
    celery_app.conf.update(task_default_queue=previous[0], task_routes=previous[1])


def slow_sandbox(sandbox_http, delay=0.3, methods=None):
    rule = {"kind": "slow", "rate": 1.0, "delay": delay, "path": "/api/"}
    if methods:
        rule["methods"] = methods
    sandbox_http[1].put("/faults", json={"faults": [rule], "seed": 1}).raise_for_status()


def wait_for(condition, what):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def silenced(model, pk):
    """What the beat's stale check sees five minutes after the worker died."""
    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)


def test_a_sync_run_whose_worker_is_killed_ends_once_with_every_object(
    pool, sandbox_http, account, company
):
    integration = IntegrationFactory(company=company, account=account)
    slow_sandbox(sandbox_http, delay=1.0)  # the victim is still waiting for a page when killed
    pool.route(jobs.SYNC_RUN_EXECUTE, pool.private(0))
    run = sync_start(integration, ["sender_addresses", "parcels"], trigger=SyncRun.Trigger.MANUAL)

    wait_for(lambda: SyncRun.objects.get(pk=run.pk).state == "running", "the run to start")
    wait_for(lambda: SenderAddress.objects.filter(integration=integration).exists(), "a page")
    pool.kill(0)
    sandbox_http[1].put("/faults", json={"faults": []})
    pool.route()
    assert SyncRun.objects.get(pk=run.pk).state == "running"  # the victim left it mid-way

    silenced(SyncRun, run.pk)
    assert sync_runs_resume_stale() == 1
    run = wait_for(
        lambda: SyncRun.objects.filter(pk=run.pk).exclude(state__in=["queued", "running"]).first(),
        "the run to finish",
    )

    assert run.state == "succeeded", run.error
    assert SyncRun.objects.filter(integration=integration).count() == 1
    counts = sandbox_http[1].get(f"/accounts/{account['id']}/counts").json()
    own = sandbox_http[2].one(  # the linked integration's parcels only (v3 §2.1)
        "SELECT COUNT(*) FROM parcels WHERE integration_id = ?", (account["integration_id"],)
    )[0]
    assert Parcel.objects.filter(integration=integration).count() == own
    assert (
        SenderAddress.objects.filter(integration=integration).count() == counts["sender_addresses"]
    )


def test_an_order_push_run_whose_worker_is_killed_pushes_every_order_once(
    pool, sandbox_http, account, company, settings
):
    settings.SENDCLOUD_BASE_URL = sandbox_http[0]
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    integration = integration_keys_save(
        company,
        public_key=account["public_key"],
        secret_key=account["secret_key"],
        shop_name="Muster Shop",
    )
    warehouse = WarehouseFactory(company=company)
    warehouse_sender_addresses_save(
        integration, {warehouse.pk: SenderAddressFactory(integration=integration).pk}
    )
    shop = {
        "integration": integration,
        "warehouse": warehouse,
        "method": ShippingMethodFactory(company=company),
        "product": ProductFactory(company=company),
    }
    make_deliveries(shop, ORDERS)
    OrderOutbox.objects.all().delete()  # only the run pushes
    sandbox_http[1].post("/orders/settings", json={"processing_seconds": 0})
    slow_sandbox(sandbox_http, delay=1.0, methods=["POST"])  # batches of 100 orders, 1 s each
    pool.route(jobs.ORDER_PUSH_RUN, pool.private(1))
    run = order_push_run_start(integration, since=timezone.localdate() - timedelta(days=30))

    def orders():
        return sandbox_http[1].get(f"/accounts/{account['id']}/orders").json()["orders"]

    # The run committed its first batch (orders at the sandbox alone could come from the outbox).
    wait_for(lambda: OrderPushRun.objects.get(pk=run.pk).done > 0, "the first batch")
    pool.kill(1)
    sandbox_http[1].put("/faults", json={"faults": []})
    pool.route()
    assert OrderPushRun.objects.get(pk=run.pk).state == "running"

    silenced(OrderPushRun, run.pk)
    assert sync_runs_resume_stale() == 1
    run = wait_for(
        lambda: (
            OrderPushRun.objects.filter(pk=run.pk).exclude(state__in=["queued", "running"]).first()
        ),
        "the run to finish",
    )

    assert run.state == "succeeded", run.error
    pushed = orders()
    assert len(pushed) == ORDERS
    assert len({o["order_id"] for o in pushed}) == ORDERS


def test_an_inbox_drain_whose_worker_is_killed_processes_every_event_once(pool, integration):
    events = received(
        integration, [status(500_000 + n, 1_767_225_600_000 + n) for n in range(3000)]
    )
    waiting = WebhookEvent.objects.filter(state="received")
    pool.route(jobs.WEBHOOK_INBOX_DRAIN, pool.private(2))
    jobs._send(jobs.WEBHOOK_INBOX_DRAIN, ())

    wait_for(lambda: waiting.count() < len(events), "the drain to begin")
    pool.kill(2)
    pool.route()
    left = waiting.count()
    assert 0 < left < len(events), "the drain was not killed in the middle"

    # Five minutes later the victim's leases have run out; the beat's safety drain comes.
    waiting.update(claimed_until=timezone.now() - timedelta(seconds=1))
    jobs._send(jobs.WEBHOOK_INBOX_DRAIN, ())
    wait_for(lambda: not waiting.exists(), "every event to be processed")

    assert set(WebhookEvent.objects.values_list("state", "attempts").distinct()) == {
        ("processed", 1)
    }
    assert Parcel.objects.filter(integration=integration).count() == len(events)


def test_a_label_job_whose_worker_is_killed_labels_every_order_once(
    pool, sandbox_http, account, company, settings
):
    settings.SENDCLOUD_BASE_URL = sandbox_http[0]
    shop = linked_shop(company, account, sendcloud_client)
    integration = shop["integration"]
    deliveries = [make_delivery(shop) for _ in range(LABELS)]
    # Every label request sleeps at the sandbox before it creates the shipment, so the victim
    # dies with its request sent and unanswered: Sendcloud creates a label nobody hears about.
    announce = {"kind": "slow", "rate": 1.0, "delay": 1.5, "path": "/api/v3/shipments"}
    sandbox_http[1].put(
        "/faults", json={"faults": [{**announce, "methods": ["POST"]}], "seed": 1}
    ).raise_for_status()

    def requests_at_sandbox():
        return sandbox_http[1].get("/faults").json()["faults"][0]["fired"]

    def shipments_at_sandbox():
        return sandbox_http[1].get(f"/accounts/{account['id']}/counts").json()["shipments"]

    seeded = shipments_at_sandbox()
    pool.route(jobs.LABEL_JOB_EXECUTE, pool.private(3))
    job = label_job_create(integration, deliveries)

    def in_flight():
        attempts = Shipment.objects.filter(job=job)
        return (
            attempts.filter(state=Shipment.State.LIVE).count() >= 3
            and attempts.filter(state=Shipment.State.CREATING).exists()
            and requests_at_sandbox() == attempts.count()
        )

    wait_for(in_flight, "a label request in flight after three labels")
    pool.kill(3)
    pool.route()
    sent = requests_at_sandbox()
    sandbox_http[1].put("/faults", json={"faults": []})
    assert LabelJob.objects.get(pk=job.pk).state == "running"
    lost = Shipment.objects.get(job=job, state=Shipment.State.CREATING)
    # The victim's request still completes at Sendcloud; its answer went nowhere.
    wait_for(lambda: shipments_at_sandbox() - seeded == sent, "the lost request to complete")

    # Five minutes later: the job is silent and the lost attempt old enough to be looked up.
    silenced(LabelJob, job.pk)
    Shipment.objects.filter(pk=lost.pk).update(created_at=timezone.now() - STALE_AFTER)
    assert sync_runs_resume_stale() == 1
    job = wait_for(
        lambda: LabelJob.objects.filter(pk=job.pk).exclude(state__in=["queued", "running"]).first(),
        "the job to finish",
    )

    assert job.state == "succeeded", job.error
    assert job.done == LABELS
    items = job.items.select_related("shipment")
    assert {item.state for item in items} == {LabelJobItem.State.SUCCEEDED}
    assert all(item.message and item.shipment.state == "live" for item in items)
    lost.refresh_from_db()
    assert lost.state == "live"  # adopted by its reference, not labelled again
    numbers = {d.number for d in deliveries}
    with client_for(integration) as client:
        at_sendcloud = [s for s in client.v3.shipments() if s.order_number in numbers]
    assert sorted(s.order_number for s in at_sendcloud) == sorted(numbers)  # one each
    ours = Shipment.objects.filter(delivery_order__in=deliveries, state="live")
    assert {s.sendcloud_shipment_id for s in ours} == {s.id for s in at_sendcloud}
