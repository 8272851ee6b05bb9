"""Webhook signature check (reference v2 §7.3): HMAC-SHA256 over the raw body, lowercase hex."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Sendcloud-Signature"


def compute_signature(raw_body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()


def verify_signature(raw_body: bytes, header_value: str | None, secret: str) -> bool:
    """True when `header_value` signs exactly these bytes with `secret` (constant-time).

    Never pass re-serialised JSON: Sendcloud signs the bytes it sent.
    """
    if not header_value or not secret or not isinstance(raw_body, bytes | bytearray):
        return False
    expected = compute_signature(bytes(raw_body), secret)
    # Hex is case-insensitive; Sendcloud sends lowercase, tolerate an uppercase proxy rewrite.
    given = header_value.strip().lower()
    return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii", "replace"))
