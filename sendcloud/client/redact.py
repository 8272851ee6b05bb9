"""Keep secrets out of call records, error messages and logs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "***"
_SENSITIVE = (
    "secret",
    "password",
    "passwd",
    "token",
    "key",
    "authorization",
    "signature",
    "credential",
)
SENSITIVE_WORDS = _SENSITIVE  # the log configuration masks by the same words
# A JSON member whose name looks sensitive, in text that may be truncated or not JSON at all.
_TEXT_MEMBER = re.compile(
    r'("(?:[^"\\]*(?:'
    + "|".join(_SENSITIVE)
    + r')[^"\\]*)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)',
    re.IGNORECASE,
)
_BASIC_HEADER = re.compile(r"(Basic|Bearer)\s+[A-Za-z0-9+/=._\-]+", re.IGNORECASE)


def is_sensitive(name: Any) -> bool:
    lowered = str(name).lower()
    return any(word in lowered for word in _SENSITIVE)


def redact(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A copy of `value` with sensitive members masked (recursively) and `secrets` scrubbed."""
    secrets = tuple(s for s in secrets if s)
    return _redact(value, secrets)


def _redact(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {
            k: (MASK if is_sensitive(k) and v not in (None, "") else _redact(v, secrets))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v, secrets) for v in value]
    if isinstance(value, str):
        return scrub_text(value, secrets)
    return value


def scrub_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask known secret values, credentials in auth headers and sensitive JSON members."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _BASIC_HEADER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _TEXT_MEMBER.sub(lambda m: f'{m.group(1)}"{MASK}"', text)


def redact_query(params: dict[str, Any] | None, secrets: Iterable[str] = ()) -> dict[str, Any]:
    if not params:
        return {}
    return redact(dict(params), secrets)


def excerpt(text: str, limit: int, secrets: Iterable[str] = ()) -> str:
    """The first `limit` characters of `text`, scrubbed; marks the cut."""
    cut = text[: limit * 2]  # scrub before cutting so a secret is never half-shown
    cut = scrub_text(cut, secrets)
    if len(cut) > limit or len(text) > limit * 2:
        return cut[:limit] + "…[truncated]"
    return cut


# A response that is a file (a label PDF, an image) is recorded by what it is, not as bytes
# decoded to text; the back office shows it as "PDF, 12 KB" (sendcloud_format.api_body).
BINARY_BODY = "[binary body: {kind}, {size} bytes]"
_TEXT_TYPES = ("text/", "application/json", "application/problem+json", "application/xml")


def binary_body(content_type: str, content: bytes) -> str | None:
    """A one-line description of a body that is not text, else None."""
    kind = (content_type or "").split(";")[0].strip().lower()
    looks_textual = kind.startswith(_TEXT_TYPES) or kind.endswith(("+json", "+xml"))
    if looks_textual and not content.startswith(b"%PDF"):
        return None
    if not kind and not content.startswith(b"%PDF"):
        try:
            content[:4096].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return None  # no type given, but text
    if content.startswith(b"%PDF"):
        kind = "application/pdf"
    return BINARY_BODY.format(kind=kind or "application/octet-stream", size=len(content))
