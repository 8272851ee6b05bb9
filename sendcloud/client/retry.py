"""Which failures are retried, and how long to wait in between."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ConnectionError, InvalidResponse, RateLimited, SendcloudError, ServerError


@dataclass
class RetryPolicy:
    """Bounded exponential back-off with jitter: each wait is 50–100 % of the doubling step.

    * Reads (GET, and POSTs that only compute, like /shipping-options) are retried on 429, 5xx,
      timeouts, connection errors and malformed 2xx bodies.
    * Writes are retried only when Sendcloud provably did not act on them: on 429 (the rate
      limiter rejects before the request is processed, v2 §4) and when the connection was never
      established (connect error/timeout, pool timeout: no byte of the request left). A write
      that timed out while reading, or got a 5xx, may have created a label; the caller must look
      up what happened (by external reference) instead of sending it again (STYLE rule 4).
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def should_retry(self, error: SendcloudError, attempt: int, *, idempotent: bool) -> bool:
        if attempt >= self.max_attempts:
            return False
        if isinstance(error, RateLimited):
            return True
        if isinstance(error, ConnectionError):
            return idempotent or getattr(error, "request_not_sent", False)
        if isinstance(error, ServerError | InvalidResponse):
            # A cut or garbled 2xx body on a read is a transport accident; asking again is safe.
            return idempotent
        return False

    def delay(self, attempt: int, error: SendcloudError | None = None) -> float:
        """Seconds before attempt `attempt + 1`; at least a Retry-After, up to 4 × max_delay."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        wait = ceiling * (0.5 + self.random() / 2)  # jitter in [50 %, 100 %] of the step
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            wait = max(wait, min(float(retry_after), self.max_delay * 4))
        return wait
