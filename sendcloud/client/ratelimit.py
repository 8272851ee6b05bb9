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
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyrate_limiter import Limiter, Rate
from pyrate_limiter.buckets import RedisBucket, SQLiteBucket
from redis import Redis

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


class SharedRateLimiter:
    """The account's budget kept where every process sees it: pyrate-limiter's sliding-log
    buckets in Redis (production) or in an SQLite file guarded by a file lock (embedded default).

    pyrate-limiter because it has both backends behind one API and counts a *sliding* log, as
    the sandbox (and, safely, any fixed-window server) does; `limits` has Redis but no file or
    SQLite storage that several processes share. Each window is widened by `margin` seconds:
    the server stamps a request when it arrives, a little after we let it go.
    """

    def __init__(
        self, public_key: str, storage: str, limits: RateLimits = DEFAULT_RATE_LIMITS, *,
        margin: float = 0.25,
    ) -> None:  # fmt: skip
        self.limits = limits
        self.storage = storage
        key = hashlib.sha256(public_key.encode()).hexdigest()[:16]

        def ms(seconds: float) -> int:
            return int((seconds + margin) * 1000)

        reads = [Rate(limits.reads_per_minute, ms(limits.minute))]
        writes = [
            Rate(limits.writes_per_second, ms(limits.second)),
            Rate(limits.writes_per_minute, ms(limits.minute)),
        ]
        self._reads = Limiter(_bucket(storage, f"sendcloud_{key}_reads", reads), buffer_ms=10)
        self._writes = Limiter(_bucket(storage, f"sendcloud_{key}_writes", writes), buffer_ms=10)
        self.waited_seconds = 0.0

    def acquire(self, method: str) -> float:
        """Block until a request with `method` may go out; returns the seconds waited."""
        limiter = self._reads if method.upper() in SAFE_METHODS else self._writes
        started = time.monotonic()
        limiter.try_acquire("sendcloud", blocking=True)
        waited = time.monotonic() - started
        self.waited_seconds += waited
        return waited


def _bucket(storage: str, name: str, rates: list[Rate]):
    parts = urlsplit(storage)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("//") else parts.path
        return SQLiteBucket.init_from_file(rates, table=name, db_path=path, use_file_lock=True)
    if parts.scheme in ("redis", "rediss", "unix"):
        return RedisBucket.init(rates, Redis.from_url(storage), bucket_key=name)
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
