"""What keeps the webhook intake cheap per request, and that the shortcuts change no answer."""

import importlib
from unittest import mock

import pytest
from django.db import connection
from psycopg import ClientCursor

from sendcloud import crypto
from sendcloud.models import WebhookEvent
from sendcloud.webhooks import intake
from sendcloud.webhooks.sql import server_bound_cursor
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import post_webhook, status_event

pytestmark = pytest.mark.django_db


def send(client, integration, parcel: int, secret: str = SECRET) -> int:
    """POST a signed status event for this parcel; the HTTP status of the answer."""
    payload = status_event(parcel, 11, "En route", 1000 + parcel)
    return post_webhook(client, integration, payload, secret=secret).status_code


@pytest.fixture(autouse=True)
def forget_decrypted_secrets():
    crypto._decrypt_remembered.cache_clear()
    yield
    crypto._decrypt_remembered.cache_clear()


def test_the_secret_key_is_decrypted_once_per_process_not_per_webhook(client, integration):
    with mock.patch.object(crypto, "secret_decrypt", wraps=crypto.secret_decrypt) as decrypt:
        for parcel in (1, 2, 3):
            assert send(client, integration, parcel, SECRET) == 200

    assert decrypt.call_count == 1


def test_a_new_secret_key_is_obeyed_at_once_and_the_old_one_refused(client, integration):
    assert send(client, integration, 1, SECRET) == 200

    integration.secret_key = "a-brand-new-secret"
    integration.save()

    assert send(client, integration, 2, SECRET) == 403
    assert send(client, integration, 3, "a-brand-new-secret") == 200


def test_a_changed_encryption_key_is_not_answered_from_memory(client, integration, settings):
    assert send(client, integration, 1, SECRET) == 200

    settings.SECRETS_ENCRYPTION_KEY = "another-encryption-key"  # the stored key no longer opens

    assert send(client, integration, 2, SECRET) == 403


def test_a_body_with_few_brackets_is_not_walked_for_its_depth(client, integration):
    with mock.patch.object(intake, "_depth", side_effect=AssertionError("walked")):
        assert send(client, integration, 1, SECRET) == 200


def test_brackets_inside_strings_only_cost_the_walk(client, integration):
    payload = status_event(1, 11, "[" * 40 + "{" * 40, 1)

    answer = post_webhook(client, integration, payload, secret=SECRET)

    assert answer.status_code == 200
    assert WebhookEvent.objects.get().signature == WebhookEvent.Signature.VALID


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side binding is PostgreSQL's")
def test_on_postgresql_the_server_binds_the_intake_parameters():
    with server_bound_cursor(connection) as cursor:
        assert not isinstance(cursor.cursor, ClientCursor)
        cursor.execute("SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)


def test_a_web_worker_registers_the_celery_tasks_while_it_boots():
    import config.wsgi

    with mock.patch("sendcloud.jobs.tasks_register") as register:
        importlib.reload(config.wsgi)

    register.assert_called_once_with()
