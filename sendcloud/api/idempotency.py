"""`Idempotency-Key` on the REST API's writes: the first answer under a key is stored and the
same request with the same key gets it again; the same key with another request is refused.

Answers are kept API_IDEMPOTENCY_DAYS (default 7): the nightly purge deletes older ones
(sendcloud.services.retention), and an answer past that age is never replayed — the request
under its key runs anew."""

import hashlib
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from backoffice.companies.models import IdempotentResponse
from sendcloud.services.retention import idempotency_expired_before

from .auth import bearer_secret, token_user
from .errors import error_response

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _replay(stored: IdempotentResponse) -> HttpResponse:
    response = HttpResponse(
        bytes(stored.body), status=stored.status, content_type=stored.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if request.method in SAFE_METHODS or not key:
            return view(request, *args, **kwargs)
        if len(key) > 200:
            return error_response(
                422,
                "invalid",
                _("The Idempotency-Key is too long (at most 200 characters)."),
                fields={"Idempotency-Key": [_("At most 200 characters.")]},
            )
        user = token_user(bearer_secret(request))
        if user is None:
            return view(request, *args, **kwargs)  # answers 401 in the one error body
        digest = hashlib.sha256(request.body).hexdigest()
        IdempotentResponse.objects.filter(
            user=user, key=key, created_at__lt=idempotency_expired_before()
        ).delete()  # expired: the request runs anew
        stored = IdempotentResponse.objects.filter(user=user, key=key).first()
        if stored is not None:
            if (stored.method, stored.path, stored.request_hash) == (
                request.method,
                request.path,
                digest,
            ):
                return _replay(stored)
            return error_response(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was used for another request; use a new key."),
                fields={"Idempotency-Key": [_("Already used for another request.")]},
            )
        response = view(request, *args, **kwargs)
        if response.status_code < 500 and not getattr(response, "streaming", False):
            try:
                with transaction.atomic():
                    IdempotentResponse.objects.create(
                        user=user,
                        key=key,
                        method=request.method,
                        path=request.path,
                        request_hash=digest,
                        status=response.status_code,
                        body=response.content,
                        content_type=response.get("Content-Type", "application/json"),
                    )
            except IntegrityError:
                pass  # a concurrent request with the same key stored its answer first
        return response

    return wrapped
