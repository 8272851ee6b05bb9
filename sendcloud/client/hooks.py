"""The record handed to `on_call` for every HTTP attempt (the ApiCall row is built from it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CallRecord:
    """One HTTP attempt. Everything here is already redacted and safe to store."""

    method: str
    path: str
    query: dict[str, Any]
    status: int | None
    duration_ms: float
    attempt: int
    request_body: Any = None
    response_excerpt: str | None = None
    error: str | None = None
    will_retry: bool = False
    # Seconds this attempt waited for the rate limiter before it went out.
    limiter_wait_seconds: float = 0.0
