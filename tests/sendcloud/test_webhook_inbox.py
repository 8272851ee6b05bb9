"""The inbox holds no lock or transaction while a handler runs, and claims events with a lease."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from sandbox.testing import SANDBOX_BASE_URL
from sendcloud.clients import sendcloud_client
from sendcloud.models import ApiCall, Integration, WebhookEvent
from sendcloud.webhooks import handlers
from sendcloud.webhooks.handlers import Outcome
from sendcloud.webhooks.processing import webhook_inbox_drain
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_transaction_seen(monkeypatch):
    """Replace the test_webhook handler by one that notes whether a transaction is open."""
    seen = []

    def probe(event, payload):
        seen.append(connection.in_atomic_block)
        return Outcome()

    monkeypatch.setitem(handlers.HANDLERS, "test_webhook", probe)
    return seen


@pytest.mark.django_db(transaction=True)
def test_handlers_run_outside_any_transaction(client, integration, in_transaction_seen):
    for n in range(3):
        post_webhook(client, integration, {"action": "test_webhook", "n": n}, secret=SECRET)
    assert webhook_inbox_drain() == 3
    assert in_transaction_seen == [False, False, False]
    assert set(WebhookEvent.objects.values_list("state", flat=True)) == {"processed"}


def test_an_event_leased_to_another_worker_waits_until_the_lease_ends(client, integration):
    post_webhook(client, integration, {"action": "test_webhook"}, secret=SECRET)
    event = WebhookEvent.objects.get()
    event.claimed_until = timezone.now() + timedelta(minutes=1)
    event.save()
    assert webhook_inbox_drain() == 0
    event.claimed_until = timezone.now() - timedelta(seconds=1)
    event.save()
    assert webhook_inbox_drain() == 1
    assert WebhookEvent.objects.get().state == "processed"


def test_an_event_whose_lease_another_worker_took_over_is_left_to_it(
    client, integration, monkeypatch
):
    for n in range(2):
        post_webhook(client, integration, {"action": "test_webhook", "n": n}, secret=SECRET)
    first, second = WebhookEvent.objects.order_by("id")
    taken_over = timezone.now() + timedelta(minutes=3)

    def slow_first_event(event, payload):
        # Meanwhile the lease on the second event ran out and another worker claimed it.
        WebhookEvent.objects.filter(pk=second.pk).update(claimed_until=taken_over)
        return Outcome()

    monkeypatch.setitem(handlers.HANDLERS, "test_webhook", slow_first_event)
    assert webhook_inbox_drain() == 2
    second.refresh_from_db()
    assert (second.state, second.claimed_until, second.attempts) == ("received", taken_over, 0)


@pytest.fixture
def sandbox_keys(settings, sandbox_server, sandbox_account, sandbox_control):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    return sandbox_account


def credentials(account) -> dict:
    return {
        "action": "integration_credentials",
        "public_key": account["public_key"],
        "secret_key": account["secret_key"],
        "integration_id": account["integration_id"],
    }


def test_credentials_keep_their_call_log_when_reading_the_details_fails(
    client, company, sandbox_keys, sandbox_control
):
    rule = {"kind": "server_error", "count": 10, "path": "/api/v3/integrations"}
    sandbox_control.put("/_sandbox/faults", json={"faults": [rule]})
    pending = Integration.objects.create(company=company, shop_name="Neu")
    payload = credentials(sandbox_keys)
    assert post_webhook(client, pending, payload, secret=payload["secret_key"]).status_code == 200
    webhook_inbox_drain()
    assert WebhookEvent.objects.get().state == "failed"
    # The keys were verified before anything was locked, so they and the log of both calls stay.
    pending.refresh_from_db()
    assert pending.state == Integration.State.CONNECTED and pending.has_keys
    assert ApiCall.objects.filter(path__endswith="/user", status_code=200).exists()
    assert ApiCall.objects.filter(path__contains="/integrations/", status_code=500).exists()


def test_rejected_credentials_keep_the_log_of_the_call(client, company, sandbox_keys):
    pending = Integration.objects.create(company=company, shop_name="Neu")
    payload = {**credentials(sandbox_keys), "secret_key": "f" * 32}
    post_webhook(client, pending, payload, secret=payload["secret_key"])
    webhook_inbox_drain()
    pending.refresh_from_db()
    assert pending.state == Integration.State.REJECTED
    assert ApiCall.objects.filter(integration=pending, status_code=401).exists()


def test_a_call_log_that_cannot_be_written_does_not_kill_the_call(
    integration, sandbox_account, sandbox_transport, monkeypatch, settings
):
    def locked(**fields):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ApiCall.objects, "create", locked)
    settings.SENDCLOUD_BASE_URL = SANDBOX_BASE_URL
    client = sendcloud_client(
        sandbox_account["public_key"],
        sandbox_account["secret_key"],
        integration=integration,
        transport=sandbox_transport,
        rate_limit=False,
    )
    assert client.user().username
    assert not ApiCall.objects.exists()
