"""The per-account budget holds across processes: the shared SQLite file and the Redis log."""

import multiprocessing
import os
import time
import uuid

import pytest
import redis

from sendcloud.client import RateLimits, SharedRateLimiter, shared_limiter

# Small windows keep the test short; the counting is the same as with 60 s / 1 s.
LIMITS = RateLimits(
    reads_per_minute=100, writes_per_minute=12, writes_per_second=6, minute=1.5, second=0.5
)
SENDS_PER_WORKER = 12


def _worker(storage: str, queue) -> None:
    # The production margin: a send is stamped here after acquire() returns and before
    # answered(); a busy machine may pause the process in between, as the network delays a
    # real request.
    limiter = (
        SharedRateLimiter("acct-key", storage, LIMITS)
        if storage != "memory"
        else shared_limiter("acct-key", LIMITS)
    )
    stamps = []
    for _ in range(SENDS_PER_WORKER):
        limiter.acquire("POST")
        stamps.append(time.time())  # where Sendcloud would count it: between send and answer
        limiter.answered()
    queue.put(stamps)


def _two_workers(storage: str) -> list[float]:
    # Spawned, not forked: a fork of the multi-threaded test process can inherit a held lock.
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_worker, args=(storage, queue), daemon=True) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    stamps = sorted(queue.get(timeout=60) + queue.get(timeout=60))
    for worker in workers:
        worker.join(timeout=10)
    return stamps


def _worst_window(stamps: list[float], seconds: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + seconds) for start in stamps)


def test_two_processes_together_stay_within_the_accounts_write_budget(tmp_path):
    stamps = _two_workers(f"sqlite:///{tmp_path / 'budget.sqlite3'}")
    assert len(stamps) == 2 * SENDS_PER_WORKER
    assert _worst_window(stamps, LIMITS.minute) <= LIMITS.writes_per_minute
    assert _worst_window(stamps, LIMITS.second) <= LIMITS.writes_per_second


def test_per_process_limiters_alone_would_exceed_it():
    """Why the shared store exists: two in-process limiters each allow the whole budget."""
    stamps = _two_workers("memory")
    assert _worst_window(stamps, LIMITS.second) > LIMITS.writes_per_second


def test_unknown_storage_is_refused():
    with pytest.raises(ValueError):
        SharedRateLimiter("k", "ftp://nowhere", LIMITS)


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_request_counts_until_its_answer_so_a_slow_one_keeps_others_back(tmp_path):
    """Sendcloud counts a request when it arrives, anywhere between send and answer: a request
    of another process may go only once the window has passed since that answer."""
    storage = f"sqlite:///{tmp_path / 'budget.sqlite3'}"
    limits = RateLimits(writes_per_second=1, writes_per_minute=100)
    clock, answers = _Clock(), []
    slow = SharedRateLimiter("acct-key", storage, limits, margin=0, clock=clock)

    def sleep(seconds: float) -> None:  # the other process waits; meanwhile the answer comes
        clock.now += seconds
        if not answers:
            slow.answered()
            answers.append(clock.now)

    other = SharedRateLimiter("acct-key", storage, limits, margin=0, clock=clock, sleep=sleep)
    slow.acquire("POST")
    clock.now += 5  # no answer yet: the request may still be on its way to Sendcloud
    other.acquire("POST")
    assert answers and clock.now >= answers[0] + limits.second


def test_an_answered_request_leaves_the_window_after_it(tmp_path):
    storage = f"sqlite:///{tmp_path / 'budget.sqlite3'}"
    limits = RateLimits(writes_per_second=1, writes_per_minute=100)
    clock, waits = _Clock(), []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.now += seconds

    first = SharedRateLimiter("acct-key", storage, limits, margin=0, clock=clock, sleep=sleep)
    second = SharedRateLimiter("acct-key", storage, limits, margin=0, clock=clock, sleep=sleep)
    first.acquire("POST")
    clock.now += 0.25
    first.answered()
    second.acquire("POST")
    assert sum(waits) == pytest.approx(limits.second)
    assert second.acquire("GET") == 0  # reads have their own budget


def _redis_url() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return None
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        return None
    return url


def test_the_redis_log_keeps_a_request_in_the_window_until_its_answer():
    """The production store: the Redis server's clock, the same counting as the SQLite file."""
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis broker configured (CELERY_BROKER_URL)")
    limits = RateLimits(writes_per_second=1, writes_per_minute=100, second=0.2, minute=60)
    key = f"test-{uuid.uuid4().hex}"
    events = []

    def sleep(seconds: float) -> None:
        if not events:
            slow.answered()
            events.append(("answered", time.monotonic()))
        time.sleep(seconds)

    slow = SharedRateLimiter(key, url, limits, margin=0)
    other = SharedRateLimiter(key, url, limits, margin=0, sleep=sleep)
    slow.acquire("POST")
    time.sleep(limits.second * 2)  # longer than the window, and still no answer
    other.acquire("POST")
    events.append(("sent", time.monotonic()))
    assert [name for name, _at in events] == ["answered", "sent"]
    assert events[1][1] - events[0][1] >= limits.second * 0.9  # the window runs from the answer
