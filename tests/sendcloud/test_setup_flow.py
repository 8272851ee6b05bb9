"""Setup against the sandbox over real HTTP: connect page, signed credentials, keys, settings."""

import time

import httpx
import pytest
from django.test import override_settings
from django.urls import reverse

from sendcloud.errors import ApplicationError
from sendcloud.models import ApiCall, Integration, WebhookEvent
from sendcloud.services.connect import integration_keys_save
from sendcloud.webhooks.processing import webhook_event_payload, webhook_inbox_drain
from tests.sendcloud.webhook_helpers import post_webhook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linked_urls(settings, sandbox_server, live_server):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    return sandbox_server


def wait_for(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_connect_page_flow_links_the_account(clerk_client, linked_urls, sandbox_account):
    response = clerk_client.post(reverse("sendcloud:setup"), {"shop_name": "Muster Shop"})
    assert response.status_code == 302
    connect_url = response["Location"]
    assert connect_url.startswith(f"{linked_urls}/shops/api/connect/?url_webshop=")
    integration = Integration.objects.get()
    assert integration.state == Integration.State.PENDING

    login = {"email": sandbox_account["email"], "password": sandbox_account["password"]}
    answer = httpx.post(connect_url, data=login, follow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["location"].endswith(reverse("sendcloud:integration"))
    assert wait_for(lambda: WebhookEvent.objects.filter(action="integration_credentials").exists())
    webhook_inbox_drain()

    integration.refresh_from_db()
    assert integration.state == Integration.State.CONNECTED, integration.last_error
    assert integration.sendcloud_id and integration.has_keys
    assert integration.details_fetched_at is not None
    assert integration.account_username
    event = WebhookEvent.objects.get(action="integration_credentials")
    assert event.signature == WebhookEvent.Signature.VALID_FIRST_USE and event.body_encrypted
    # The secret key is stored encrypted and appears in no log row and no page.
    secret = integration.secret_key
    assert secret and secret not in integration.secret_key_encrypted
    assert not ApiCall.objects.filter(request_excerpt__contains=secret).exists()
    assert not ApiCall.objects.filter(response_excerpt__contains=secret).exists()
    for url in (
        reverse("sendcloud:integration"),
        reverse("sendcloud:report-webhooks"),
        reverse("sendcloud:webhook-event", args=[event.pk]),
        reverse("sendcloud:report-api-calls"),
    ):
        assert secret not in clerk_client.get(url).content.decode()


def test_the_same_credentials_message_again_is_refused(clerk_client, linked_urls, sandbox_account):
    response = clerk_client.post(reverse("sendcloud:setup"), {"shop_name": "Muster Shop"})
    login = {"email": sandbox_account["email"], "password": sandbox_account["password"]}
    httpx.post(response["Location"], data=login, timeout=10)
    assert wait_for(lambda: WebhookEvent.objects.exists())
    webhook_inbox_drain()
    integration = Integration.objects.get()
    assert integration.state == Integration.State.CONNECTED
    payload = webhook_event_payload(WebhookEvent.objects.get())
    replayed = post_webhook(clerk_client, integration, payload, secret=payload["secret_key"])
    assert replayed.status_code == 409
    assert WebhookEvent.objects.order_by("id").last().state == WebhookEvent.State.REJECTED


@override_settings(PUBLIC_BASE_URL="http://127.0.0.1:9")
def test_setup_refuses_when_the_webhook_url_is_unreachable(clerk_client, settings, sandbox_server):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    response = clerk_client.post(
        reverse("sendcloud:setup"), {"shop_name": "Muster Shop"}, follow=True
    )
    assert "PUBLIC_BASE_URL" in response.content.decode()
    assert Integration.objects.get().state == Integration.State.PENDING


def test_typed_keys_are_verified_then_saved_and_the_webhook_set(
    company, linked_urls, sandbox_account, sandbox_client
):
    integration = integration_keys_save(
        company,
        public_key=sandbox_account["public_key"],
        secret_key=sandbox_account["secret_key"],
        shop_name="Getippt",
    )
    assert integration.state == Integration.State.CONNECTED
    assert integration.sendcloud_id == sandbox_account["integration_id"]
    assert integration.webhook_active is True
    assert integration.webhook_url.endswith(f"/sendcloud/webhook/{integration.webhook_token}/")
    remote = sandbox_client.get(f"/api/v3/integrations/{integration.sendcloud_id}").json()
    assert remote["data"]["webhook_url"] == integration.webhook_url


def test_typed_keys_keep_the_shop_name_typed_here_and_at_sendcloud(
    clerk_client, linked_urls, sandbox_account, sandbox_client
):
    response = clerk_client.post(
        reverse("sendcloud:keys"),
        {
            "shop_name": "Mein Laden Nord",
            "public_key": sandbox_account["public_key"],
            "secret_key": sandbox_account["secret_key"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    integration = Integration.objects.get()
    assert integration.shop_name == "Mein Laden Nord"
    remote = sandbox_client.get(f"/api/v3/integrations/{integration.sendcloud_id}").json()
    assert remote["data"]["shop_name"] == "Mein Laden Nord"
    page = clerk_client.get(reverse("sendcloud:integration")).content.decode()
    assert "Mein Laden Nord" in page


def test_wrong_typed_keys_are_refused_and_nothing_is_stored(company, linked_urls, sandbox_account):
    with pytest.raises(ApplicationError, match="abgelehnt"):
        integration_keys_save(
            company,
            public_key=sandbox_account["public_key"],
            secret_key="wrong-secret-key-000000000000000",
            shop_name="X",
        )
    assert not Integration.objects.exists()


def test_typed_keys_form_never_echoes_the_secret(clerk_client, linked_urls, sandbox_account):
    response = clerk_client.post(
        reverse("sendcloud:keys"),
        {
            "shop_name": "X",
            "public_key": sandbox_account["public_key"],
            "secret_key": "wrong-secret-key-000000000000000",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "abgelehnt" in page
    assert "wrong-secret-key" not in page


def test_settings_are_saved_at_sendcloud_and_shown(
    clerk_client, company, linked_urls, sandbox_account, sandbox_client
):
    integration = integration_keys_save(
        company,
        public_key=sandbox_account["public_key"],
        secret_key=sandbox_account["secret_key"],
        shop_name="Getippt",
    )
    response = clerk_client.post(
        reverse("sendcloud:settings", args=[integration.pk]),
        {
            "shop_name": "Neuer Name",
            "shop_url": "https://shop.example.com",
            "webhook_active": "on",
            "service_point_enabled": "on",
            "service_point_carriers": "dhl, dpd",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    remote = sandbox_client.get(f"/api/v3/integrations/{integration.sendcloud_id}").json()["data"]
    assert remote["shop_name"] == "Neuer Name"
    assert remote["service_point_carriers"] == ["dhl", "dpd"]
    integration.refresh_from_db()
    assert integration.service_point_carriers == ["dhl", "dpd"]


def test_disconnect_forgets_the_keys(clerk_client, company, linked_urls, sandbox_account):
    integration = integration_keys_save(
        company,
        public_key=sandbox_account["public_key"],
        secret_key=sandbox_account["secret_key"],
        shop_name="Getippt",
    )
    response = clerk_client.post(
        reverse("sendcloud:disconnect", args=[integration.pk]), follow=True
    )
    assert "Sendcloud-Panel" in response.content.decode()
    integration.refresh_from_db()
    assert integration.state == Integration.State.DISCONNECTED and not integration.has_keys


def test_a_failed_event_is_replayed_from_the_inbox_once_the_cause_is_gone(
    clerk_client, linked_urls, sandbox_account, settings
):
    response = clerk_client.post(reverse("sendcloud:setup"), {"shop_name": "Muster Shop"})
    login = {"email": sandbox_account["email"], "password": sandbox_account["password"]}
    httpx.post(response["Location"], data=login, timeout=10)
    assert wait_for(lambda: WebhookEvent.objects.filter(action="integration_credentials").exists())
    settings.SENDCLOUD_BASE_URL = "http://127.0.0.1:9"  # Sendcloud unreachable for the worker
    webhook_inbox_drain()
    event = WebhookEvent.objects.get(action="integration_credentials")
    assert event.state == WebhookEvent.State.FAILED
    assert Integration.objects.get().state == Integration.State.PENDING
    page = clerk_client.get(reverse("sendcloud:webhook-event", args=[event.pk])).content.decode()
    assert "Erneut verarbeiten" in page

    settings.SENDCLOUD_BASE_URL = linked_urls
    replay = clerk_client.post(reverse("sendcloud:webhook-replay", args=[event.pk]), follow=True)
    assert "erneut verarbeitet" in replay.content.decode()
    event.refresh_from_db()
    assert event.state == WebhookEvent.State.PROCESSED and event.attempts == 2
    assert Integration.objects.get().state == Integration.State.CONNECTED
