"""The one exception family of the client and the one function that maps responses onto it."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .redact import excerpt, scrub_text

__all__ = [
    "AnnouncementFailed",
    "AuthenticationError",
    "Conflict",
    "ConnectionError",
    "FieldError",
    "Gone",
    "InvalidResponse",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "SendcloudError",
    "ServerError",
    "ShipmentExists",
    "Timeout",
    "UnexpectedStatus",
    "ValidationError",
    "error_from_response",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one input: `field` is a dotted path, `pointer` the JSON pointer if given."""

    message: str
    field: str | None = None
    pointer: str | None = None
    code: str | None = None


class SendcloudError(Exception):
    """Base of every error raised by the client. Messages never carry credentials."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        field_errors: Iterable[FieldError] = (),
        method: str | None = None,
        path: str | None = None,
        body_excerpt: str | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.code = code
        self.field_errors = tuple(field_errors)
        self.method = method
        self.path = path
        self.body_excerpt = body_excerpt
        super().__init__(message)

    def __str__(self) -> str:
        where = " ".join(p for p in (self.method, self.path) if p)
        status = f"HTTP {self.status_code}" if self.status_code else ""
        prefix = " ".join(p for p in (status, where) if p)
        return f"{prefix}: {self.message}" if prefix else self.message


class AuthenticationError(SendcloudError):
    """401: wrong keys, or OAuth2 enforced for the integration."""


class PermissionDenied(SendcloudError):
    """403: the integration may not use this feature (e.g. service points)."""


class NotFound(SendcloudError):
    """404 (also an invalid pagination cursor)."""


class Gone(NotFound):
    """410: the object was deleted (v2 cancel of a never-announced parcel)."""


class ValidationError(SendcloudError):
    """400/422 with the field errors Sendcloud reported."""


class StillProcessing(ValidationError):
    """400 "We are still processing a previous request" (v3 orders, reference §4): an earlier
    write to the same object is being saved asynchronously; worth retrying after a moment."""


class Conflict(SendcloudError):
    """409: duplicate external reference, or a state that forbids the change."""


class RateLimited(SendcloudError):
    """429. `retry_after` is set only if Sendcloud ever sends a Retry-After header."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(SendcloudError):
    """5xx."""


class AnnouncementFailed(SendcloudError):
    """A create that Sendcloud answered with 2xx although the carrier refused the parcel
    (v3 §6.4: 201 with ANNOUNCEMENT_FAILED; v2: status 1002 or carrier `errors`). `message` is
    the carrier's; `shipment` the parsed object (its parcels may need no cancel: not announced).
    """

    def __init__(self, message: str, *, shipment: Any = None, **kwargs: Any) -> None:
        self.shipment = shipment
        super().__init__(message, **kwargs)


class ShipmentExists(Conflict):
    """409 on a create: the `external_reference_id` was used before. `shipment` is the existing
    object when Sendcloud sent it back (v3 §3.5), so a lost answer can be adopted, not re-bought."""

    def __init__(self, message: str, *, shipment: Any = None, **kwargs: Any) -> None:
        self.shipment = shipment
        super().__init__(message, **kwargs)


class UnexpectedStatus(SendcloudError):
    """Any other non-2xx status, including redirects (never followed silently)."""


class ConnectionError(SendcloudError):  # noqa: A001 - the family name the project agreed on
    """The request did not get a response: DNS, refused connection, reset, protocol error."""


class Timeout(ConnectionError):
    """A connect, read, write or pool timeout."""


class InvalidResponse(SendcloudError):
    """A 2xx whose body is not what the endpoint promises (not JSON, wrong envelope)."""


_BY_STATUS: dict[int, type[SendcloudError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    410: Gone,
    422: ValidationError,
    429: RateLimited,
}
# v2 validation messages read `field: "reason"` (quote style varies, reference v2 §3.1).
_FIELD_PREFIX = re.compile(r"^\s*([A-Za-z_][\w.\[\]]*)\s*:\s*(.+)$", re.DOTALL)
_EXCERPT_LIMIT = 500


def exception_class_for(status: int) -> type[SendcloudError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 500 <= status < 600:
        return ServerError
    return UnexpectedStatus


def error_from_response(
    status: int,
    body: bytes | str | None,
    *,
    headers: Mapping[str, str] | None = None,
    method: str | None = None,
    path: str | None = None,
    secrets: Iterable[str] = (),
) -> SendcloudError:
    """Turn any non-2xx response into the matching exception, whatever the error body shape."""
    secrets = tuple(s for s in secrets if s)
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    payload = _loads(text)
    message, code, field_errors = _describe(payload)
    if not message:
        message = _default_message(status, text, headers)
    message = scrub_text(message, secrets)
    field_errors = tuple(
        FieldError(scrub_text(e.message, secrets), e.field, e.pointer, e.code) for e in field_errors
    )
    kwargs: dict[str, Any] = {
        "status_code": status,
        "code": code,
        "field_errors": field_errors,
        "method": method,
        "path": path,
        "body_excerpt": excerpt(text, _EXCERPT_LIMIT, secrets) if text else None,
    }
    cls = exception_class_for(status)
    if cls is RateLimited:
        return RateLimited(message, retry_after=retry_after_seconds(headers), **kwargs)
    if 300 <= status < 400 and headers and headers.get("location"):
        # Name the target path only: a redirect URL could carry a token in its query.
        target = headers["location"].split("?", 1)[0]
        kwargs["body_excerpt"] = None
        return UnexpectedStatus(f"redirect to {scrub_text(target, secrets)} not followed", **kwargs)
    if cls is ValidationError and "still processing" in message.lower():
        # The only sign is the text (no code of its own, reference v3 §4); matched here only.
        cls = StillProcessing
    return cls(message, **kwargs)


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a numeric Retry-After header; none has been observed, but honour one."""
    if not headers:
        return None
    value = headers.get("retry-after")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None


def _loads(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None  # HTML error pages, S3 XML, truncated JSON: treated as no description


def _default_message(status: int, text: str, headers: Mapping[str, str] | None) -> str:
    if not text.strip():
        return f"empty response body (status {status})"
    kind = (headers or {}).get("content-type", "unknown content type").split(";")[0]
    return f"response body is not a Sendcloud error document ({kind})"


def _describe(payload: Any) -> tuple[str, str | None, tuple[FieldError, ...]]:
    if isinstance(payload, list):  # some proxies answer a bare list of messages
        payload = {"errors": payload}
    if not isinstance(payload, dict):
        return "", None, ()
    if isinstance(payload.get("errors"), list):
        return _describe_errors_list(payload["errors"])
    error = payload.get("error")
    if isinstance(error, dict):
        return _describe_v2(error)
    if isinstance(error, str):  # Hydra (OAuth2 token server)
        message = payload.get("error_description") or payload.get("error_hint") or error
        return str(message), error, ()
    if "detail" in payload:
        return _describe_fastapi(payload["detail"])
    if isinstance(
        payload.get("message"), str
    ):  # v2 cancel `{"status", "message"}`, v3 return cancel
        status = payload.get("status")
        return payload["message"], status if isinstance(status, str) else None, ()
    return "", None, ()


def _describe_v2(error: dict) -> tuple[str, str | None, tuple[FieldError, ...]]:
    message = str(error.get("message") or "")
    raw_code = error.get("code")
    code = raw_code if isinstance(raw_code, str) else None  # an int code only repeats the status
    return message, code, tuple(_v2_field_errors(message))


def _v2_field_errors(message: str) -> list[FieldError]:
    stripped = message.strip()
    if stripped.startswith("{"):
        # The v2 integrations endpoint sends a Python dict repr as its message.
        try:
            parsed = ast.literal_eval(stripped)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            parsed = None
        if isinstance(parsed, dict):
            errors: list[FieldError] = []
            for key, value in parsed.items():
                for item in value if isinstance(value, list) else [value]:
                    errors.extend(_v2_field_errors(str(item)) or [FieldError(str(item), str(key))])
            return errors
    match = _FIELD_PREFIX.match(stripped)
    if not match or " " in match.group(1):
        return []
    reason = match.group(2).strip().strip("\"'")
    return [FieldError(reason, match.group(1))]


def _describe_errors_list(items: list) -> tuple[str, str | None, tuple[FieldError, ...]]:
    field_errors: list[FieldError] = []
    messages: list[str] = []
    codes: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            if item is not None:
                messages.append(str(item))
            continue
        text = str(item.get("detail") or item.get("message") or item.get("title") or "").strip()
        code = item.get("code")
        code_text = str(code) if code is not None and not isinstance(code, bool) else None
        source = item.get("source") if isinstance(item.get("source"), dict) else {}
        pointer = source.get("pointer") if isinstance(source.get("pointer"), str) else None
        field = item.get("field") if isinstance(item.get("field"), str) else None
        field = (
            field or _field_from_pointer(pointer) or source.get("parameter") or source.get("header")
        )
        field_errors.append(FieldError(text or "unspecified error", field, pointer, code_text))
        if text:
            messages.append(f"{field}: {text}" if field else text)
        if code_text:
            codes.append(code_text)
    return "; ".join(messages), (codes[0] if codes else None), tuple(field_errors)


def _field_from_pointer(pointer: str | None) -> str | None:
    """`/data/attributes/[0]/to_address/name` → `[0].to_address.name`; `/data` → None."""
    if not pointer:
        return None
    parts = [p for p in pointer.split("/") if p]
    if parts[:1] == ["data"]:
        parts = parts[1:]
    if parts[:1] == ["attributes"]:
        parts = parts[1:]
    return ".".join(parts) or None


def _describe_fastapi(detail: Any) -> tuple[str, str | None, tuple[FieldError, ...]]:
    if isinstance(detail, str):
        return detail, None, ()
    if not isinstance(detail, list):
        return "", None, ()
    errors = []
    for item in detail:
        if not isinstance(item, dict):
            continue
        loc = [str(p) for p in item.get("loc") or [] if p not in ("body", "query", "path")]
        errors.append(
            FieldError(str(item.get("msg") or ""), ".".join(loc) or None, None, item.get("type"))
        )
    message = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors)
    return message, None, tuple(errors)
