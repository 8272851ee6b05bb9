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
