"""Accept or reject one inbound webhook request; every request becomes a WebhookEvent row."""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext_noop

from sendcloud.client.webhooks import verify_signature
from sendcloud.crypto import secret_decrypt_remembered, secret_encrypt
from sendcloud.metrics import webhook_received
from sendcloud.models import Integration, WebhookEvent

from .sql import server_bound_cursor

CREDENTIALS = "integration_credentials"
KEPT_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "Sendcloud-Signature")
# Sendcloud's payloads nest about six levels; deeper ones are refused so that every stored
# event can be processed and shown (the inbox page renders it recursively).
MAX_DEPTH = 32


@dataclass(frozen=True)
class Intake:
    status_code: int
    event: WebhookEvent


def webhook_receive(
    *,
    token: str,
    raw_body: bytes,
    headers,
    remote_addr: str | None,
    content_length: int | None = None,
) -> Intake:
    """Store the request as an event and decide the HTTP answer; never raises on bad input."""
    integration = _integration_of(token) if token else None
    event = WebhookEvent(
        integration=integration,
        company_id_hint=integration.company_id if integration else None,
        remote_addr=remote_addr or None,
        token_hint=token[:8],
        headers={name: headers[name] for name in KEPT_HEADERS if name in headers},
        body_sha256=hashlib.sha256(raw_body).hexdigest(),
        signature=WebhookEvent.Signature.NOT_CHECKED,
    )
    status, reason = _judge(
        event, integration, raw_body, headers.get("Sendcloud-Signature", ""), content_length
    )
    if status >= 400:
        event.state = WebhookEvent.State.REJECTED
        event.reason = reason
    event.status_code = status
    if event.action == CREDENTIALS:
        # The body carries the new secret key: keep it, but only encrypted.
        event.raw_body = secret_encrypt(raw_body.decode("utf-8", "replace")).encode()
        event.body_encrypted = True
    else:
        event.raw_body = raw_body
    _insert(event)
    webhook_received(event.action, status)
    return Intake(status, event)


# This runs for every webhook, so it skips the ORM's query building (about half of the CPU a
# request took): one prepared-shape SELECT of what intake reads, one INSERT of the event. The
# statements are built once per process and database vendor.
INTAKE_FIELDS = ("id", "company_id", "state", "public_key", "secret_key_encrypted")


@dataclass(frozen=True)
class _Statements:
    select: str
    insert: str
    insert_fields: tuple
    returning: bool


_statements_by_vendor: dict[str, _Statements] = {}


def _statements(connection) -> _Statements:
    statements = _statements_by_vendor.get(connection.vendor)
    if statements is None:
        quote, integration, event = connection.ops.quote_name, Integration._meta, WebhookEvent._meta
        fields = tuple(f for f in event.concrete_fields if not f.primary_key)
        returning = connection.features.can_return_columns_from_insert
        statements = _statements_by_vendor[connection.vendor] = _Statements(
            select="SELECT {} FROM {} WHERE {} = %s LIMIT 1".format(
                ", ".join(quote(integration.get_field(name).column) for name in INTAKE_FIELDS),
                quote(integration.db_table),
                quote(integration.get_field("webhook_token").column),
            ),
            insert="INSERT INTO {} ({}) VALUES ({}){}".format(
                quote(event.db_table),
                ", ".join(quote(f.column) for f in fields),
                ", ".join(["%s"] * len(fields)),
                f" RETURNING {quote(event.pk.column)}" if returning else "",
            ),
            insert_fields=fields,
            returning=returning,
        )
    return statements


def _integration_of(token: str) -> Integration | None:
    connection = connections[DEFAULT_DB_ALIAS]
    with server_bound_cursor(connection) as cursor:
        cursor.execute(_statements(connection).select, [token])
        row = cursor.fetchone()
    return Integration.from_db(DEFAULT_DB_ALIAS, INTAKE_FIELDS, row) if row else None


def _insert(event: WebhookEvent) -> None:
    """`event.save()` for a new event, as one plain INSERT."""
    connection = connections[DEFAULT_DB_ALIAS]
    statements = _statements(connection)
    fields = statements.insert_fields
    params = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    with server_bound_cursor(connection) as cursor:
        cursor.execute(statements.insert, params)
        event.pk = cursor.fetchone()[0] if statements.returning else cursor.lastrowid
    event._state.adding = False
    event._state.db = DEFAULT_DB_ALIAS


def _judge(event, integration, raw_body, signature, content_length) -> tuple[int, str]:
    if integration is None:
        return 404, gettext_noop("No integration has this webhook URL.")
    limit = settings.SENDCLOUD_WEBHOOK_MAX_BYTES
    if (content_length or 0) > limit or len(raw_body) > limit:
        return 413, gettext_noop("The body is larger than the webhook limit.")
    try:
        # UTF-8 only (RFC 8259 §8.1): json.loads would guess UTF-16/32 from bytes and take them.
        text = raw_body.decode("utf-8")
    except UnicodeDecodeError:
        return 400, gettext_noop("The body is not UTF-8.")
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    except RecursionError:
        return 400, gettext_noop("The body is nested too deeply.")
    if not isinstance(payload, dict) or not isinstance(payload.get("action"), str):
        return 400, gettext_noop("The body is not a JSON object with an action.")
    if _too_deep(raw_body, payload):
        return 400, gettext_noop("The body is nested too deeply.")
    event.action = payload["action"][:60]
    if not signature:
        event.signature = WebhookEvent.Signature.MISSING
        return 401, gettext_noop("The Sendcloud-Signature header is missing.")
    if event.action == CREDENTIALS:
        return _judge_credentials(event, integration, raw_body, signature, payload)
    if integration.state == Integration.State.PENDING and not integration.has_keys:
        # Sendcloud sends integration_connected right behind the credentials, signed with the
        # key the worker has not stored yet. Keep it unverified (202); the worker verifies it
        # once the keys are known and rejects it if it does not match. Nothing acts on it before.
        return 202, ""
    secret = secret_decrypt_remembered(integration.secret_key_encrypted)
    if not integration.has_keys or not verify_signature(raw_body, signature, secret):
        event.signature = WebhookEvent.Signature.INVALID
        return 403, gettext_noop("The signature does not match the integration's secret key.")
    event.signature = WebhookEvent.Signature.VALID
    return 200, ""


def _judge_credentials(event, integration, raw_body, signature, payload) -> tuple[int, str]:
    # Sendcloud signs this one message with the secret key it carries (trust on first use),
    # so it is only believed for a pending setup whose unguessable URL token matches.
    secret = payload.get("secret_key")
    # Keys are ASCII (hex); anything else, e.g. a lone surrogate from a \ud800 escape, is forged.
    valid = isinstance(secret, str) and secret.isascii()
    if not valid or not verify_signature(raw_body, signature, secret):
        event.signature = WebhookEvent.Signature.INVALID
        return 403, gettext_noop("The signature does not match the key in the message.")
    event.signature = WebhookEvent.Signature.VALID_FIRST_USE
    if integration.state != Integration.State.PENDING:
        return 409, gettext_noop("This integration is not waiting for credentials.")
    return 200, ""


def _too_deep(raw_body: bytes, payload) -> bool:
    # Every list or object opens with a bracket in the raw text, so a body with no more brackets
    # than the limit cannot nest deeper: Sendcloud's payloads never need the walk.
    if raw_body.count(b"{") + raw_body.count(b"[") <= MAX_DEPTH:
        return False
    return _depth(payload) > MAX_DEPTH


def _depth(value) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest
