"""Webhook POSTs through the bare WSGI path of `config.wsgi`: same answers, no middleware."""

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from config.wsgi import application
from sendcloud.models import WebhookEvent
from sendcloud.webhooks.views import webhook_wsgi_match
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import sendcloud_body, sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request must not close the test's open transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(method, path, body=b"", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        "wsgi.input": io.BytesIO(body),
        "REMOTE_ADDR": "203.0.113.9",
        "SERVER_NAME": "127.0.0.1",
        **extra,
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


def url(integration):
    return reverse("sendcloud:webhook", args=[integration.webhook_token])


def test_the_fast_path_covers_exactly_the_webhook_url(integration):
    assert webhook_wsgi_match({"REQUEST_METHOD": "POST", "PATH_INFO": url(integration)}) == (
        integration.webhook_token
    )
    assert webhook_wsgi_match({"REQUEST_METHOD": "GET", "PATH_INFO": url(integration)}) is None
    path = url(integration)
    assert webhook_wsgi_match({"REQUEST_METHOD": "POST", "PATH_INFO": path[:-1]}) is None
    assert webhook_wsgi_match({"REQUEST_METHOD": "POST", "PATH_INFO": "/sendcloud/x/"}) is None


def test_a_signed_webhook_is_stored_with_one_lookup_and_one_insert(
    integration, django_assert_max_num_queries
):
    body = sendcloud_body({"action": "parcel_status_changed", "timestamp": 1})

    with django_assert_max_num_queries(2):
        answer = call(
            "POST",
            url(integration),
            body,
            HTTP_SENDCLOUD_SIGNATURE=sign(body, SECRET),
            HTTP_USER_AGENT="Sendcloud/1",
        )

    event = WebhookEvent.objects.get()
    assert answer["status"] == 200
    assert json.loads(answer["body"]) == {"received": event.pk, "ok": True}
    assert "Set-Cookie" not in answer["headers"] and "Vary" not in answer["headers"]
    assert event.signature == WebhookEvent.Signature.VALID
    assert event.state == WebhookEvent.State.RECEIVED
    assert bytes(event.raw_body) == body
    assert event.remote_addr == "203.0.113.9"
    assert event.headers["User-Agent"] == "Sendcloud/1"
    assert event.headers["Sendcloud-Signature"] == sign(body, SECRET)


def test_a_wrong_signature_is_refused_and_stored(integration):
    body = sendcloud_body({"action": "parcel_status_changed", "timestamp": 1})

    answer = call("POST", url(integration), body, HTTP_SENDCLOUD_SIGNATURE=sign(body, "other"))

    event = WebhookEvent.objects.get()
    assert answer["status"] == 403 and json.loads(answer["body"])["ok"] is False
    assert event.state == WebhookEvent.State.REJECTED
    assert event.signature == WebhookEvent.Signature.INVALID


def test_a_body_over_the_limit_is_refused_unread(integration, settings):
    settings.SENDCLOUD_WEBHOOK_MAX_BYTES = 10
    body = sendcloud_body({"action": "parcel_status_changed", "timestamp": 1})

    answer = call("POST", url(integration), body, HTTP_SENDCLOUD_SIGNATURE=sign(body, SECRET))

    assert answer["status"] == 413
    assert bytes(WebhookEvent.objects.get().raw_body) == b""


def test_an_unknown_token_is_404_and_stored(db):
    answer = call("POST", "/sendcloud/webhook/nope/", b"{}", HTTP_SENDCLOUD_SIGNATURE="x")

    assert answer["status"] == 404
    assert WebhookEvent.objects.get().token_hint == "nope"


def test_the_setup_check_and_pages_still_go_through_django(integration):
    assert call("GET", url(integration))["status"] == 200
    page = call("GET", "/sendcloud/webhooks/")
    assert page["status"] == 302  # the login middleware and views answer as before
