"""Order push against the sandbox over real HTTP: backfill, outbox, isolation, reliability."""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backoffice.sales.models import DeliveryOrder
from sandbox.testing import SMALL_SEED
from sendcloud.models import OrderOutbox, OrderPush, OrderPushEvent
from sendcloud.models.runs import STALE_AFTER
from sendcloud.runs import RunActive
from sendcloud.services.connect import integration_keys_save
from sendcloud.services.orders import outbox
from sendcloud.services.orders.outbox import order_outbox_deliver
from sendcloud.services.orders.push import orders_push
from sendcloud.services.orders.runs import (
    backfill_preview,
    order_push_run_execute,
    order_push_run_start,
)
from sendcloud.services.warehouse_addresses import warehouse_sender_addresses_save
from tests.factories import (
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    ShippingMethodFactory,
    WarehouseFactory,
)
from tests.sendcloud.factories import SenderAddressFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Sandbox:
    def __init__(self, base_url, account):
        self.base_url, self.account = base_url, account
        self.control = httpx.Client(base_url=f"{base_url}/_sandbox", timeout=30)

    def orders(self):
        return self.control.get(f"/accounts/{self.account['id']}/orders").json()["orders"]

    def faults(self, rules, seed=7):
        self.control.put("/faults", json={"faults": rules, "seed": seed}).raise_for_status()


@pytest.fixture
def sandbox(settings, sandbox_server, sandbox_account):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    box = Sandbox(sandbox_server, sandbox_account)
    box.control.post("/orders/settings", json={"processing_seconds": 0}).raise_for_status()
    return box


@pytest.fixture
def shop(company, sandbox):
    integration = integration_keys_save(
        company,
        public_key=sandbox.account["public_key"],
        secret_key=sandbox.account["secret_key"],
        shop_name="Muster Shop",
    )
    warehouse = WarehouseFactory(company=company)
    address = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {warehouse.pk: address.pk})
    return {
        "integration": integration,
        "warehouse": warehouse,
        "method": ShippingMethodFactory(company=company),
        "product": ProductFactory(company=company),
    }


def make_deliveries(shop, count, state=DeliveryOrder.State.READY, days_ago=3):
    created = timezone.now() - timedelta(days=days_ago)
    deliveries = []
    for _ in range(count):
        delivery = DeliveryOrderFactory(
            company=shop["integration"].company,
            warehouse=shop["warehouse"],
            shipping_method=shop["method"],
            state=state,
            created_at=created,
        )
        DeliveryOrderLineFactory(
            delivery_order=delivery, product=shop["product"], quantity=2, weight_kg=Decimal("0.4")
        )
        deliveries.append(delivery)
    return deliveries


def backfill(shop, since_days=30):
    since = timezone.localdate() - timedelta(days=since_days)
    run = order_push_run_start(shop["integration"], queue=False, since=since)
    return order_push_run_execute(run.pk)


def silenced(run):
    """The run as a restarted worker finds it: running, but its worker gave no sign of life."""
    type(run).objects.filter(pk=run.pk).update(
        state="running", heartbeat_at=timezone.now() - 2 * STALE_AFTER
    )


def test_backfill_pushes_every_order_once_and_a_rerun_creates_nothing(shop, sandbox):
    make_deliveries(shop, 150)
    OrderOutbox.objects.all().delete()  # only the backfill pushes here
    run = backfill(shop)
    assert (run.state, run.counts["created"]) == ("succeeded", 150)
    orders = sandbox.orders()
    assert len(orders) == 150
    assert len({o["order_id"] for o in orders}) == 150
    rerun = backfill(shop)
    assert rerun.counts["skipped"] == 150 and rerun.counts["created"] == 0
    assert len(sandbox.orders()) == 150


def test_a_changed_order_is_updated_not_duplicated(shop, sandbox):
    delivery = make_deliveries(shop, 1)[0]
    backfill(shop)
    delivery.city = "Augsburg"
    delivery.postal_code = "86150"
    delivery.save()
    run = backfill(shop)
    assert run.counts["updated"] == 1
    orders = sandbox.orders()
    assert len(orders) == 1 and orders[0]["shipping_address"]["city"] == "Augsburg"


def test_an_order_sendcloud_rejects_is_isolated_and_the_rest_land(shop, sandbox):
    deliveries = make_deliveries(shop, 5)
    nameless = ProductFactory(company=shop["integration"].company)
    type(nameless).objects.filter(pk=nameless.pk).update(name="")
    DeliveryOrderLineFactory(delivery_order=deliveries[2], product=nameless)
    run = backfill(shop)
    assert run.counts["created"] == 4 and run.counts["failed"] == 1
    failed = run.events.get(outcome="failed")
    assert failed.delivery_order_id == deliveries[2].pk
    assert "name" in failed.message
    assert len(sandbox.orders()) == 4
    state = OrderPush.objects.get(delivery_order=deliveries[2])
    assert state.state == OrderPush.State.FAILED and state.problems


def test_orders_that_fail_preflight_are_not_sent_and_say_why(shop, sandbox):
    delivery = make_deliveries(shop, 1)[0]
    delivery.house_number, delivery.street = "", "Hauptstraße"
    delivery.save()
    run = backfill(shop)
    assert run.counts["skipped"] == 1
    assert "Hausnummer" in OrderPushEvent.objects.get(run=run).message
    assert sandbox.orders() == []


def test_retry_failed_only_pushes_just_those(shop, sandbox):
    deliveries = make_deliveries(shop, 3)
    deliveries[0].house_number, deliveries[0].street = "", "Hauptstraße"
    deliveries[0].save()
    first = backfill(shop)
    deliveries[0].house_number = "7"
    deliveries[0].save()
    retry = order_push_run_start(
        shop["integration"], queue=False, since=first.since, only_failed_of=first
    )
    retry = order_push_run_execute(retry.pk)
    assert retry.total == 1 and retry.counts["created"] == 1
    assert len(sandbox.orders()) == 3


def test_two_backfills_at_once_are_refused(shop):
    order_push_run_start(shop["integration"], queue=False, since=timezone.localdate())
    with pytest.raises(RunActive, match="läuft bereits"):
        order_push_run_start(shop["integration"], queue=False, since=timezone.localdate())


def test_confirming_a_delivery_order_queues_it_in_the_same_transaction(shop, sandbox):
    delivery = make_deliveries(shop, 1, state=DeliveryOrder.State.DRAFT)[0]
    assert not OrderOutbox.objects.exists()
    with transaction.atomic():
        delivery.state = DeliveryOrder.State.READY
        delivery.save()
        assert OrderOutbox.objects.filter(delivery_order=delivery).exists()
    assert order_outbox_deliver() == 1
    assert [o["order_id"] for o in sandbox.orders()] == [delivery.number]
    assert not OrderOutbox.objects.exists()


def test_rolled_back_change_queues_nothing(shop):
    delivery = make_deliveries(shop, 1, state=DeliveryOrder.State.DRAFT)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        delivery.state = DeliveryOrder.State.READY
        delivery.save()
        raise RuntimeError("the clerk's save failed")
    assert not OrderOutbox.objects.exists()


def test_sendcloud_down_while_500_orders_are_confirmed_then_all_arrive_once(
    shop, sandbox, settings
):
    settings.SENDCLOUD_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    make_deliveries(shop, 500)
    assert OrderOutbox.objects.count() == 500
    assert order_outbox_deliver() == 0
    assert OrderOutbox.objects.filter(attempts=1).count() == 500
    settings.SENDCLOUD_BASE_URL = sandbox.base_url
    OrderOutbox.objects.update(available_at=timezone.now())
    assert order_outbox_deliver() == 500
    orders = sandbox.orders()
    assert len(orders) == 500 and len({o["order_id"] for o in orders}) == 500
    assert not OrderOutbox.objects.exists()


def test_outbox_rows_a_dead_worker_had_claimed_are_delivered_once_when_the_claim_runs_out(
    shop, sandbox
):
    make_deliveries(shop, 30)
    assert sum(len(rows) for rows in outbox._claim(100)) == 30  # its worker dies here
    assert order_outbox_deliver() == 0  # claimed: no second worker sends them meanwhile
    assert sandbox.orders() == []

    OrderOutbox.objects.update(available_at=timezone.now() - timedelta(seconds=1))  # claim over
    assert order_outbox_deliver() == 30
    orders = sandbox.orders()
    assert len(orders) == 30 and len({o["order_id"] for o in orders}) == 30
    assert not OrderOutbox.objects.exists()


def test_cancelling_a_pushed_delivery_order_removes_it_at_sendcloud(shop, sandbox):
    delivery = make_deliveries(shop, 1)[0]
    order_outbox_deliver()
    assert len(sandbox.orders()) == 1
    delivery.state = DeliveryOrder.State.CANCELLED
    delivery.save()
    order_outbox_deliver()
    assert sandbox.orders() == []
    assert OrderPush.objects.get().state == OrderPush.State.REMOVED


def pushed_state(sandbox, integration) -> dict:
    """What Sendcloud and the back office hold per order, without ids and times that differ
    between two accounts."""
    volatile = {"id", "created_at", "modified_at", "updated_at", "integration"}

    def stable(value):
        if isinstance(value, dict):
            return {k: stable(v) for k, v in value.items() if k not in volatile}
        return [stable(v) for v in value] if isinstance(value, list) else value

    orders = {o["order_id"]: stable(o) for o in sandbox.orders()}
    pushes = {
        p.external_id: (
            p.state,
            p.problems,
            p.pushed_at is not None,
            p.sendcloud_order_id is not None,
        )
        for p in OrderPush.objects.filter(integration=integration)
    }
    return {"orders": orders, "pushes": pushes}


def test_twenty_percent_faults_end_in_the_same_state_as_without(shop, sandbox):
    make_deliveries(shop, 400)
    OrderOutbox.objects.all().delete()
    baseline = backfill(shop)  # fault-free, into the shop's account
    assert baseline.state == "succeeded"
    expected = pushed_state(sandbox, shop["integration"])

    account = sandbox.control.post("/accounts", json=SMALL_SEED).json()
    faulty = integration_keys_save(
        shop["integration"].company,
        public_key=account["public_key"],
        secret_key=account["secret_key"],
        shop_name="Zweiter Shop",
    )
    address = SenderAddressFactory(integration=faulty)
    warehouse_sender_addresses_save(faulty, {shop["warehouse"].pk: address.pk})
    OrderOutbox.objects.all().delete()
    sandbox.faults(
        [
            {"kind": kind, "rate": 0.05, "methods": ["POST"]}
            for kind in ("server_error", "rate_limit", "connection_reset", "malformed_json")
        ]
    )
    runs = [backfill({**shop, "integration": faulty})]
    while runs[-1].state != "succeeded" and len(runs) < 10:  # a run stopped by faults is re-run
        runs.append(backfill({**shop, "integration": faulty}))
    sandbox.faults([])

    assert runs[-1].state == "succeeded"
    assert pushed_state(Sandbox(sandbox.base_url, account), faulty) == expected
    assert len(expected["orders"]) == 400


def test_a_run_killed_mid_batch_converges_when_run_again(shop, sandbox):
    make_deliveries(shop, 250)
    OrderOutbox.objects.all().delete()
    sandbox.faults([{"kind": "server_error", "count": 20, "methods": ["POST"]}])
    run = order_push_run_start(
        shop["integration"], queue=False, since=timezone.localdate() - timedelta(30)
    )
    run = order_push_run_execute(run.pk)
    assert run.state == "failed" and run.done < 250  # the worker "died" mid-run
    sandbox.faults([])
    silenced(run)
    run = order_push_run_execute(run.pk)
    assert run.state == "succeeded"
    orders = sandbox.orders()
    assert len(orders) == 250 and len({o["order_id"] for o in orders}) == 250


def test_a_run_whose_worker_died_is_continued_when_started_again(shop, sandbox):
    make_deliveries(shop, 3)
    OrderOutbox.objects.all().delete()
    since = timezone.localdate() - timedelta(days=30)
    stuck = order_push_run_start(shop["integration"], queue=False, since=since)
    silenced(stuck)
    with pytest.raises(RunActive, match="fährt dort fort"):
        order_push_run_start(shop["integration"], queue=False, since=since)
    run = order_push_run_execute(stuck.pk)  # what the re-queued task does
    assert run.state == "succeeded" and len(sandbox.orders()) == 3


def test_backfill_pushes_ready_orders_and_leaves_drafts(shop, sandbox):
    ready = make_deliveries(shop, 2)
    draft = make_deliveries(shop, 1, state=DeliveryOrder.State.DRAFT)[0]

    preview = backfill_preview(shop["integration"], timezone.localdate() - timedelta(days=30))
    run = backfill(shop)

    assert preview["total"] == 2 and preview["drafts"] == 1
    assert run.total == 2
    numbers = {o.get("order_number") for o in sandbox.orders()}
    assert {d.number for d in ready} <= numbers and draft.number not in numbers


def test_preview_lists_each_order_with_customer_country_and_check(clerk_client, shop):
    deliveries = make_deliveries(shop, 2)
    deliveries[0].house_number, deliveries[0].street = "", "Hauptstraße"
    deliveries[0].save()
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    url = reverse("sendcloud:orders", args=[shop["integration"].pk])

    page = clerk_client.get(url, {"since": since}).content.decode()

    table = page[page.index('id="preview-orders"') :]
    assert deliveries[0].number in table and deliveries[1].number in table
    assert str(deliveries[1].country.name) in table
    assert "muss korrigiert werden" in table and "bereit" in table


def test_preview_says_in_one_german_sentence_what_is_pushed_and_what_stays(clerk_client, shop):
    make_deliveries(shop, 2)
    failing = make_deliveries(shop, 1)[0]
    failing.house_number, failing.street = "", "Hauptstraße"
    failing.save()
    make_deliveries(shop, 1, state=DeliveryOrder.State.DRAFT)
    since = timezone.localdate() - timedelta(days=30)
    url = reverse("sendcloud:orders", args=[shop["integration"].pk])

    page = clerk_client.get(url, {"since": since.isoformat()}).content.decode()

    summary = re.sub(r"<[^>]+>", "", page[page.index('id="preview-summary"') :])
    summary = " ".join(summary.split())
    day = since.strftime("%d.%m.%Y")
    assert f"2 Lieferaufträge ab dem {day} sind versandbereit und werden an Sendcloud" in summary
    assert "1 Lieferauftrag muss erst korrigiert werden" in summary
    assert "1 Entwurf dieser Tage wird nicht übertragen" in summary


def _choice_queries(captured) -> int:
    tables = ('_deliveryordershippingoption"', '_salesordershippingoption"')
    return sum(1 for q in captured if any(table in q["sql"] for table in tables))


def test_a_batch_reads_the_orders_shipping_choices_in_two_queries_whatever_its_size(shop, sandbox):
    """The outbox pushes up to 100 orders at a time; their Sendcloud choices (the order's own,
    else its sales order's) are read for the whole batch, not four times per order."""
    counts = []
    for size in (2, 6):
        deliveries = make_deliveries(shop, size)
        with CaptureQueriesContext(connection) as queries:
            report = orders_push(shop["integration"], deliveries)
        assert report.count(OrderPushEvent.Outcome.CREATED) == size
        counts.append(_choice_queries(queries.captured_queries))
    assert counts[0] == counts[1] <= 2


def test_an_outbox_batch_costs_the_same_queries_for_two_orders_as_for_six(shop, sandbox):
    """One event and one state row per order, and the outbox rows, are written per batch."""
    counts = []
    for size in (2, 6):
        make_deliveries(shop, size)  # READY: queued in the outbox by the save signal
        with CaptureQueriesContext(connection) as queries:
            assert order_outbox_deliver() == size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert OrderOutbox.objects.count() == 0
    assert len(sandbox.orders()) == 8
    assert OrderPushEvent.objects.filter(outcome=OrderPushEvent.Outcome.CREATED).count() == 8
    assert (
        OrderPush.objects.filter(state=OrderPush.State.PUSHED, pushed_at__isnull=False).count() == 8
    )


def test_push_orders_command_json_reports_the_run_and_usage_errors_exit_2(shop, sandbox):
    make_deliveries(shop, 3)
    OrderOutbox.objects.all().delete()
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    out = io.StringIO()

    call_command(
        "sendcloud_push_orders", "--since", since, "--json", stdout=out, stderr=io.StringIO()
    )

    document = json.loads(out.getvalue())
    assert document["ok"] is True and document["exit_code"] == 0
    assert document["results"][0]["state"] == "succeeded"
    assert document["summary"]["total"] == 3 and document["summary"]["created"] == 3

    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("sendcloud_push_orders", "--since", since, "--company", "Nope", "--json",
                     stdout=out, stderr=io.StringIO())  # fmt: skip
    assert caught.value.returncode == 2 and json.loads(out.getvalue())["exit_code"] == 2
