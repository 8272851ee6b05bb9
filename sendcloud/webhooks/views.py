"""Sendcloud's webhook target: store first, answer fast, process in the worker.

POSTs normally arrive through `webhook_wsgi`, which `config.wsgi` calls before Django's request
machinery: a webhook needs no session, login, messages, CSRF or locale, only one signature check
and one insert. The Django view below answers the setup check (GET) and any POST that reaches
Django another way (the test client, `runserver`); both call the same `webhook_receive`.
"""

import json
import logging
import re

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sendcloud import jobs
from sendcloud.models import Integration

from .intake import webhook_receive

logger = logging.getLogger(__name__)

# Must match `sendcloud:webhook` in sendcloud/urls.py under config/urls.py (a test checks it).
WEBHOOK_PATH = re.compile(r"^/sendcloud/webhook/(?P<token>[^/]+)/$")
# The WSGI names of the headers intake keeps or reads, under the names it looks them up by.
WSGI_HEADERS = {
    "CONTENT_TYPE": "Content-Type",
    "CONTENT_LENGTH": "Content-Length",
    "HTTP_USER_AGENT": "User-Agent",
    "HTTP_SENDCLOUD_SIGNATURE": "Sendcloud-Signature",
}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook_endpoint(request, token):
    if request.method == "GET":
        # Setup GETs this from our own server to see that PUBLIC_BASE_URL leads here; that is
        # no proof that Sendcloud can reach it. It tells only whether the token in the URL
        # (which the caller already holds) belongs to an integration, and changes nothing.
        known = Integration.objects.filter(webhook_token=token).exists()
        return JsonResponse({"ok": known}, status=200 if known else 404)
    status, body = _receive(
        token, request.META.get("CONTENT_LENGTH"), request.read, request.headers, request.META
    )
    return JsonResponse(body, status=status)


def _receive(token, content_length, read, headers, meta) -> tuple[int, dict]:
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    limit = settings.SENDCLOUD_WEBHOOK_MAX_BYTES
    raw = b"" if length > limit or length <= 0 else read(min(length, limit + 1))
    intake = webhook_receive(
        token=token,
        raw_body=raw,
        headers=headers,
        remote_addr=meta.get("REMOTE_ADDR"),
        content_length=length,
    )
    accepted = intake.status_code in (200, 202)
    if accepted:
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
    return intake.status_code, {"received": intake.event.pk, "ok": accepted}


def webhook_wsgi_match(environ) -> str | None:
    """The URL token when this WSGI request is a webhook POST for `webhook_wsgi`, else None."""
    if environ.get("REQUEST_METHOD") != "POST":
        return None
    match = WEBHOOK_PATH.match(environ.get("PATH_INFO", ""))
    return match["token"] if match else None


def webhook_wsgi(environ, start_response, token: str):
    """A webhook POST as a bare WSGI call: the same intake as the view, without middleware."""
    # What Django's handler does around every request: reset the query log, drop broken or
    # expired database connections.
    request_started.send(sender=webhook_wsgi, environ=environ)
    try:
        headers = {name: environ[key] for key, name in WSGI_HEADERS.items() if environ.get(key)}
        status, body = _receive(
            token, environ.get("CONTENT_LENGTH"), environ["wsgi.input"].read, headers, environ
        )
    except Exception:
        logger.exception("webhook intake failed")
        status, body = 500, {"ok": False}
    finally:
        request_finished.send(sender=webhook_wsgi)
    payload = json.dumps(body).encode()
    reason = {200: "OK", 202: "Accepted", 500: "Internal Server Error"}.get(status, "Refused")
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
