"""Client-side token buckets so long jobs slow down instead of collecting 429s.

Sendcloud counts per account: 1000 safe (GET) requests per minute, 100 unsafe requests
(POST/PUT/PATCH/DELETE) per minute with at most 15 per second (reference v2 §4, v3 §3.6). Its
window algorithm is not documented, so each bucket is sized to stay under the limit in *any*
sliding window: capacity + refill per window <= limit.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .sendlog import RedisSendLog, SQLiteSendLog

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RateLimits:
    reads_per_minute: int = 1000
    writes_per_minute: int = 100
    writes_per_second: int = 15
    # Window lengths in seconds; only tests and benchmarks shrink them.
    minute: float = 60.0
    second: float = 1.0


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
        minute, second = limits.minute, limits.second
        self._reads = TokenBucket(
            read_burst, (limits.reads_per_minute - read_burst) / minute, clock
        )
        # Writes: the published burst and rate as a bucket (right if Sendcloud uses one), and a
        # log of our own sends that keeps every 1 s and 60 s window within the limits (right if
        # it counts windows). One bucket alone had to be 13 + 87/min to be safe for both.
        self._clock = clock
        self._writes = TokenBucket(
            min(limits.writes_per_second, limits.writes_per_minute),
            limits.writes_per_minute / minute,
            clock,
        )
        self._write_log = SendLog(
            [(second, limits.writes_per_second), (minute, limits.writes_per_minute)]
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

    def answered(self) -> None:
        """Nothing to do: one process's requests are spaced from the moment they go out."""


class SharedRateLimiter:
    """The account's budget kept where every process sees it: a log of its requests in Redis
    (production) or in an SQLite file (embedded default), see `sendlog`. A request counts from
    the moment it is let go until `answered` stamps it with the time of its answer, so a slow
    request never lets another process's request into Sendcloud's window. Each window is
    widened by `margin` seconds for clocks that tick apart (ours and Sendcloud's).

    The transport calls `acquire` before and `answered` after each request, in one thread.
    """

    def __init__(
        self, public_key: str, storage: str, limits: RateLimits = DEFAULT_RATE_LIMITS, *,
        margin: float = 0.05, hold: float = 60.0, clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:  # fmt: skip
        self.limits = limits
        self.storage = storage
        self.hold = hold
        self._log = _send_log(storage, clock)
        self._sleep = sleep
        key = hashlib.sha256(public_key.encode()).hexdigest()[:16]
        # New key names: the earlier limiter kept other entries (milliseconds, stamped when let go).
        self._keys = {True: f"sendcloud-log:{key}:reads", False: f"sendcloud-log:{key}:writes"}
        self._windows = {
            True: [(limits.minute + margin, limits.reads_per_minute)],
            False: [
                (limits.second + margin, limits.writes_per_second),
                (limits.minute + margin, limits.writes_per_minute),
            ],
        }
        self._pending = threading.local()
        self.waited_seconds = 0.0

    def acquire(self, method: str) -> float:
        """Block until a request with `method` may go out; returns the seconds waited."""
        safe = method.upper() in SAFE_METHODS
        member = uuid.uuid4().hex
        waited = 0.0
        while True:
            wait = self._log.reserve(self._keys[safe], self._windows[safe], member, self.hold)
            if wait <= 0:
                break
            self._sleep(wait)
            waited += wait
        self._pending.entry = (self._keys[safe], member)
        self.waited_seconds += waited
        return waited

    def answered(self) -> None:
        """This thread's last request has its answer (or failed): stamp it now."""
        entry = getattr(self._pending, "entry", None)
        if entry is not None:
            self._pending.entry = None
            self._log.answered(*entry)


def _send_log(storage: str, clock: Callable[[], float] | None):
    parts = urlsplit(storage)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("//") else parts.path
        return SQLiteSendLog(path, clock or time.time)
    if parts.scheme in ("redis", "rediss", "unix"):
        if clock is not None:
            raise ValueError("the Redis log takes the time from the Redis server")
        return RedisSendLog(storage)
    raise ValueError(f"unsupported rate-limit storage {parts.scheme!r}: use sqlite:/// or redis://")


_registry: dict[tuple[str, str], AccountRateLimiter | SharedRateLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(
    public_key: str, limits: RateLimits = DEFAULT_RATE_LIMITS, *, storage: str | None = None
) -> AccountRateLimiter | SharedRateLimiter:
    """The limiter of the account behind `public_key` (one budget per account): in this process
    only (`storage` None or "memory"), or shared by every process through `storage`."""
    # Keys of one account share the budget (v2 §4); we only know the key, so key by it: a second
    # key pair of the same account gets its own bucket, which the server-side 429 retry covers.
    storage = storage or "memory"
    with _registry_lock:
        limiter = _registry.get((public_key, storage))
        if limiter is None:
            if storage == "memory":
                limiter = AccountRateLimiter(limits)
            else:
                limiter = SharedRateLimiter(public_key, storage, limits)
            _registry[(public_key, storage)] = limiter
        return limiter
