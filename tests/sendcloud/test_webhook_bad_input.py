"""Bad webhook input: refused at intake with 400 and stored, never a 500 or a later failure."""

import json

import pytest
from django.urls import reverse

from sendcloud.models import Integration, Parcel, WebhookEvent
from sendcloud.webhooks.processing import webhook_inbox_drain
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import post_webhook, status_event

pytestmark = pytest.mark.django_db


def nested(depth: int) -> bytes:
    return b'{"action": "test_webhook", "x": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", [40, 500, 1000])
def test_deeply_nested_body_gets_400_and_is_stored_as_rejected(client, integration, depth):
    response = post_webhook(client, integration, body=nested(depth), secret=SECRET)
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert (event.state, event.reason) == ("rejected", "The body is nested too deeply.")


def test_ordinary_nesting_is_accepted(client, integration):
    response = post_webhook(client, integration, body=nested(20), secret=SECRET)
    assert response.status_code == 200


@pytest.mark.parametrize("depth", [500, 1000])
def test_event_page_shows_the_raw_body_of_an_event_it_cannot_render(
    clerk_client, integration, depth
):
    body = nested(depth)
    event = WebhookEvent.objects.create(
        integration=integration,
        company_id_hint=integration.company_id,
        raw_body=body,
        body_sha256="0",
        action="test_webhook",
        signature="valid",
    )
    response = clerk_client.get(reverse("sendcloud:webhook-event", args=[event.pk]))
    assert response.status_code == 200
    assert "[[[[[[" in response.content.decode()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_body_that_is_not_utf8_gets_400_at_intake(client, integration, encoding):
    body = json.dumps(status_event(1, 11, "Delivered", 1000)).encode(encoding)
    response = post_webhook(client, integration, body=body, secret=SECRET)
    assert response.status_code == 400
    assert WebhookEvent.objects.get().state == "rejected"


def test_credentials_with_a_secret_that_is_no_text_are_refused_not_a_500(client, company):
    pending = Integration.objects.create(company=company, shop_name="Neu")
    body = (
        b'{"action": "integration_credentials", "public_key": "a", "secret_key": "\\ud800", '
        b'"integration_id": 1}'
    )
    response = post_webhook(client, pending, body=body, signature="ab")
    assert response.status_code == 403
    assert WebhookEvent.objects.get().state == "rejected"


def test_status_without_timestamp_never_replaces_one_that_has_a_time(client, integration):
    post_webhook(client, integration, status_event(7, 11, "Delivered", 9000), secret=SECRET)
    undated = status_event(7, 3, "En route to sorting center", 0)
    del undated["timestamp"]
    post_webhook(client, integration, undated, secret=SECRET)
    webhook_inbox_drain()
    parcel = Parcel.objects.get()
    assert (parcel.status_id, parcel.status_message) == (11, "Delivered")
    skipped = WebhookEvent.objects.order_by("id").last()
    assert skipped.state == "processed" and "no time" in skipped.reason


def test_a_status_without_timestamp_yields_to_any_dated_one_later(client, integration):
    undated = status_event(7, 3, "En route to sorting center", 0)
    del undated["timestamp"]
    post_webhook(client, integration, undated, secret=SECRET)
    webhook_inbox_drain()
    post_webhook(client, integration, status_event(7, 11, "Delivered", 1000), secret=SECRET)
    webhook_inbox_drain()
    assert Parcel.objects.get().status_id == 11


IMPOSSIBLE = {
    "parcel id 10^40": lambda e: e["parcel"].update(id=10**40),
    "parcel id 10^40 as text": lambda e: e["parcel"].update(id=str(10**40)),
    "timestamp 10^30": lambda e: e.update(timestamp=10**30),
    "timestamp -10^30": lambda e: e.update(timestamp=-(10**30)),
}


@pytest.mark.parametrize("batched", [True, False], ids=["batch", "one by one"])
@pytest.mark.parametrize("spoil", IMPOSSIBLE.values(), ids=IMPOSSIBLE.keys())
def test_a_signed_event_with_impossible_numbers_is_refused_with_a_german_reason(
    client, clerk_client, integration, spoil, batched, monkeypatch
):
    if not batched:
        monkeypatch.setattr("sendcloud.webhooks.processing.BATCHED_ACTION", "none")
    good = status_event(7, 11, "Delivered", 1_700_000_000_000)
    bad = status_event(8, 11, "Delivered", 1_700_000_000_000)
    spoil(bad)
    for payload in (bad, good):
        assert post_webhook(client, integration, payload, secret=SECRET).status_code == 200

    webhook_inbox_drain()

    states = dict(WebhookEvent.objects.values_list("pk", "state"))
    first, second = sorted(states)
    assert (states[first], states[second]) == ("rejected", "processed")
    assert Parcel.objects.filter(integration=integration).count() == 1
    event_page = clerk_client.get(reverse("sendcloud:webhook-event", args=[first]))
    text = event_page.content.decode()
    assert "abgelehnt" in text.lower() and "Error" not in text
    assert "wurde abgelehnt" in text
