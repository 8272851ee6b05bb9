import pytest
from django.test import override_settings
from django.urls import reverse

from sendcloud.models import Integration, Parcel, WebhookEvent
from sendcloud.webhooks.processing import webhook_inbox_drain
from tests.factories import CompanyFactory
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import post_webhook, sendcloud_body, sign, status_event

pytestmark = pytest.mark.django_db


def test_signature_matches_sendcloud_official_vector():
    assert sign(b'{"key": "value"}', "secretkey") == (
        "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"
    )


def test_valid_event_is_stored_and_acknowledged(client, integration):
    response = post_webhook(
        client, integration, status_event(1, 11, "Delivered", 1000), secret=SECRET
    )
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.RECEIVED
    assert event.signature == WebhookEvent.Signature.VALID
    assert event.action == "parcel_status_changed"
    assert Parcel.objects.count() == 0  # processing happens in the worker


def test_forged_signature_is_rejected_stored_and_never_processed(client, integration):
    response = post_webhook(
        client, integration, status_event(1, 11, "Delivered", 1000), secret="not-the-secret"
    )
    assert response.status_code == 403
    event = WebhookEvent.objects.get()
    assert (event.state, event.signature) == ("rejected", "invalid")
    webhook_inbox_drain()
    assert Parcel.objects.count() == 0


def test_signature_over_reserialised_json_does_not_pass(client, integration):
    payload = status_event(1, 11, "Delivered", 1000)
    compact = b'{"action":"parcel_status_changed"}'
    response = post_webhook(
        client, integration, body=sendcloud_body(payload), signature=sign(compact, SECRET)
    )
    assert response.status_code == 403


def test_unsigned_request_is_rejected(client, integration):
    response = post_webhook(client, integration, status_event(1, 11, "Delivered", 1000))
    assert response.status_code == 401
    assert WebhookEvent.objects.get().signature == WebhookEvent.Signature.MISSING


def test_unknown_token_is_stored_for_inspection(client, integration):
    response = post_webhook(
        client, integration, {"action": "test_webhook"}, secret=SECRET, token="unknown-token"
    )
    assert response.status_code == 404
    event = WebhookEvent.objects.get()
    assert event.integration is None and event.state == "rejected"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"no_action": 1}', b"\xff\xfe"])
def test_malformed_bodies_get_400_not_500(client, integration, body):
    response = post_webhook(client, integration, body=body, secret=SECRET)
    assert response.status_code == 400
    assert WebhookEvent.objects.get().state == "rejected"


@override_settings(SENDCLOUD_WEBHOOK_MAX_BYTES=100)
def test_oversized_body_gets_413(client, integration):
    response = post_webhook(
        client, integration, {"action": "test_webhook", "x": "y" * 200}, secret=SECRET
    )
    assert response.status_code == 413
    assert WebhookEvent.objects.get().state == "rejected"


def test_same_event_three_times_changes_nothing_the_second_and_third_time(client, integration):
    payload = status_event(7, 11, "Delivered", 5000)
    for _ in range(3):
        assert post_webhook(client, integration, payload, secret=SECRET).status_code == 200
    webhook_inbox_drain()
    states = list(WebhookEvent.objects.order_by("id").values_list("state", flat=True))
    assert states == ["processed", "duplicate", "duplicate"]
    parcel = Parcel.objects.get()
    assert (parcel.sendcloud_id, parcel.status_id, parcel.status_message) == (7, 11, "Delivered")


def test_older_status_never_overwrites_a_newer_one(client, integration):
    post_webhook(client, integration, status_event(7, 11, "Delivered", 9000), secret=SECRET)
    post_webhook(
        client, integration, status_event(7, 3, "En route to sorting center", 4000), secret=SECRET
    )
    webhook_inbox_drain()
    parcel = Parcel.objects.get()
    assert (parcel.status_id, parcel.status_message) == (11, "Delivered")
    older = WebhookEvent.objects.order_by("id").last()
    assert older.state == "processed" and "Older" in older.reason


def test_newer_status_arriving_later_is_applied(client, integration):
    post_webhook(client, integration, status_event(7, 3, "En route", 4000), secret=SECRET)
    webhook_inbox_drain()
    post_webhook(client, integration, status_event(7, 11, "Delivered", 9000), secret=SECRET)
    webhook_inbox_drain()
    assert Parcel.objects.get().status_id == 11


def test_unknown_action_is_stored_and_shown_not_an_error(client, integration):
    post_webhook(client, integration, {"action": "shiny_new_event", "timestamp": 1}, secret=SECRET)
    webhook_inbox_drain()
    event = WebhookEvent.objects.get()
    assert event.state == WebhookEvent.State.IGNORED


def test_integration_updated_applies_and_older_update_is_skipped(client, integration):
    newer = {
        "action": "integration_updated",
        "timestamp": 4_000_000_000_000,
        "integration": {
            "id": 4711,
            "shop_name": "Neuer Name",
            "webhook_active": True,
            "service_point_enabled": True,
            "service_point_carriers": ["dhl"],
        },
    }
    older = {
        "action": "integration_updated",
        "timestamp": 3_000_000_000_000,
        "integration": {"id": 4711, "shop_name": "Alter Name"},
    }
    post_webhook(client, integration, newer, secret=SECRET)
    post_webhook(client, integration, older, secret=SECRET)
    webhook_inbox_drain()
    integration.refresh_from_db()
    assert integration.shop_name == "Neuer Name"
    assert integration.service_point_carriers == ["dhl"]


def test_integration_deleted_marks_it_deleted(client, integration):
    post_webhook(
        client,
        integration,
        {"action": "integration_deleted", "timestamp": 1, "integration": {"id": 4711}},
        secret=SECRET,
    )
    webhook_inbox_drain()
    integration.refresh_from_db()
    assert (integration.state, integration.is_active) == ("deleted", False)


def test_credentials_for_an_already_connected_integration_are_rejected(client, integration):
    payload = {
        "action": "integration_credentials",
        "public_key": "p" * 36,
        "secret_key": "f" * 32,
        "integration_id": 9,
    }
    response = post_webhook(client, integration, payload, secret="f" * 32)
    assert response.status_code == 409
    event = WebhookEvent.objects.get()
    assert event.state == "rejected" and event.body_encrypted
    assert b"ffffffff" not in bytes(event.raw_body)
    integration.refresh_from_db()
    assert integration.secret_key == SECRET


def test_credentials_signed_with_another_key_are_rejected(client, company):
    pending = Integration.objects.create(company=company, shop_name="Neu")
    payload = {
        "action": "integration_credentials",
        "public_key": "p" * 36,
        "secret_key": "f" * 32,
        "integration_id": 9,
    }
    response = post_webhook(client, pending, payload, secret="e" * 32)
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.state == Integration.State.PENDING and not pending.has_keys


def test_events_of_another_company_are_not_listed(clerk_client, integration):
    other = Integration.objects.create(company=CompanyFactory(), shop_name="Fremd")
    WebhookEvent.objects.create(
        integration=other,
        company_id_hint=other.company_id,
        raw_body=b"{}",
        body_sha256="0",
        action="secret_action",
        signature="valid",
    )
    response = clerk_client.get(reverse("sendcloud:report-webhooks"))
    assert response.status_code == 200
    assert "secret_action" not in response.content.decode()


def test_event_arriving_before_the_keys_is_verified_once_they_are_known(client, company):
    pending = Integration.objects.create(company=company, shop_name="Neu")
    connected = {
        "action": "integration_connected",
        "timestamp": 5,
        "integration": {"id": 9, "shop_name": "Neu bei Sendcloud"},
    }
    forged = {
        "action": "integration_connected",
        "timestamp": 6,
        "integration": {"id": 9, "shop_name": "Gefälscht"},
    }
    assert post_webhook(client, pending, connected, secret=SECRET).status_code == 202
    assert post_webhook(client, pending, forged, secret="e" * 32).status_code == 202
    pending.public_key, pending.secret_key = "p" * 36, SECRET
    pending.state = Integration.State.CONNECTED
    pending.save()
    webhook_inbox_drain()
    first, second = WebhookEvent.objects.order_by("id")
    assert (first.state, first.signature) == ("processed", "valid")
    assert (second.state, second.signature) == ("rejected", "invalid")
    pending.refresh_from_db()
    assert pending.shop_name == "Neu bei Sendcloud"


def test_deferred_event_is_rejected_when_the_keys_never_come(client, company):
    pending = Integration.objects.create(company=company, shop_name="Neu")
    post_webhook(
        client,
        pending,
        {"action": "integration_connected", "timestamp": 5, "integration": {"id": 9}},
        secret=SECRET,
    )
    webhook_inbox_drain()
    assert WebhookEvent.objects.get().state == "rejected"


def test_return_delivered_is_matched_to_the_return_by_its_incoming_parcel(client, integration):
    from sendcloud.models import Return

    Return.objects.create(integration=integration, sendcloud_id=55, incoming_parcel_id=777)
    payload = {
        "action": "return_delivered",
        "timestamp": 1000,
        "refund": {
            "status": "refunded",
            "total_refund": "19.90",
            "incoming_parcel": 777,
            "outgoing_parcel": 12,
        },
    }
    post_webhook(client, integration, payload, secret=SECRET)
    webhook_inbox_drain()
    returned = Return.objects.get(sendcloud_id=55)
    assert (returned.status, str(returned.refund_total)) == ("delivered", "19.90")
    assert WebhookEvent.objects.get().object_ref == "return 55"
