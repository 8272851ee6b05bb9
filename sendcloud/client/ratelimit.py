"""Client-side token buckets so long jobs slow down instead of collecting 429s.

Sendcloud counts per account: 1000 safe (GET) requests per minute, 100 unsafe requests
(POST/PUT/PATCH/DELETE) per minute with at most 15 per second (reference v2 §4, v3 §3.6). Its
window algorithm is not documented, so each bucket is sized to stay under the limit in *any*
sliding window: capacity + refill per window <= limit.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RateLimits:
    reads_per_minute: int = 1000
    writes_per_minute: int = 100
    writes_per_second: int = 15


DEFAULT_RATE_LIMITS = RateLimits()


class TokenBucket:
    """Tokens refill continuously; `reserve` takes one and says how long to wait for it."""

    def __init__(self, capacity: float, per_second: float, clock: Callable[[], float]) -> None:
        if capacity < 1 or per_second <= 0:
            raise ValueError("a bucket needs capacity >= 1 and a positive refill rate")
        self.capacity = float(capacity)
        self.per_second = float(per_second)
        self._clock = clock
        self._tokens = float(capacity)
        self._stamp = clock()

    def reserve(self) -> float:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.per_second)
        self._stamp = now
        self._tokens -= 1  # may go negative: that is a reservation the caller waits out
        return 0.0 if self._tokens >= 0 else -self._tokens / self.per_second


class SendLog:
    """When the last requests went out; the earliest moment the next may, so that no window of
    `seconds` holds more than `limit` (how the sandbox counts, and safe for fixed windows)."""

    MARGIN = 0.05  # the server stamps arrival, a little after our send

    def __init__(self, windows: list[tuple[float, int]]) -> None:
        self.windows = windows
        self._sent: deque[float] = deque(maxlen=max(limit for _seconds, limit in windows))

    def reserve(self, at: float) -> float:
        for seconds, limit in self.windows:
            if len(self._sent) >= limit:
                at = max(at, self._sent[-limit] + seconds + self.MARGIN)
        self._sent.append(at)
        return at


class AccountRateLimiter:
    """Buckets for one Sendcloud account; thread-safe; waits with the injected sleep."""

    def __init__(
        self,
        limits: RateLimits = DEFAULT_RATE_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = limits
        self._sleep = sleep
        self._lock = threading.Lock()
        # Reads: no documented burst; a capacity of 2 % of the minute keeps short walks snappy.
        read_burst = max(1, limits.reads_per_minute // 50)
        self._reads = TokenBucket(read_burst, (limits.reads_per_minute - read_burst) / 60, clock)
        # Writes: the published burst and rate as a bucket (right if Sendcloud uses one), and a
        # log of our own sends that keeps every 1 s and 60 s window within the limits (right if
        # it counts windows). One bucket alone had to be 13 + 87/min to be safe for both.
        self._clock = clock
        self._writes = TokenBucket(
            min(limits.writes_per_second, limits.writes_per_minute),
            limits.writes_per_minute / 60,
            clock,
        )
        self._write_log = SendLog(
            [(1.0, limits.writes_per_second), (60.0, limits.writes_per_minute)]
        )
        self.waited_seconds = 0.0

    def acquire(self, method: str) -> float:
        """Block until a request with `method` may go out; returns the seconds waited."""
        with self._lock:
            if method.upper() in SAFE_METHODS:
                wait = self._reads.reserve()
            else:
                now = self._clock()
                wait = self._write_log.reserve(now + self._writes.reserve()) - now
            self.waited_seconds += wait
        if wait > 0:
            self._sleep(wait)
        return wait


_registry: dict[str, AccountRateLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(public_key: str, limits: RateLimits = DEFAULT_RATE_LIMITS) -> AccountRateLimiter:
    """The process-wide limiter of the account behind `public_key` (one budget per account)."""
    # Keys of one account share the budget (v2 §4); we only know the key, so key by it: a second
    # key pair of the same account gets its own bucket, which the server-side 429 retry covers.
    with _registry_lock:
        limiter = _registry.get(public_key)
        if limiter is None:
            limiter = _registry[public_key] = AccountRateLimiter(limits)
        return limiter
