"""The per-account budget holds across processes (SQLite backend of the shared limiter)."""

import multiprocessing
import time

import pytest

from sendcloud.client import RateLimits, SharedRateLimiter, shared_limiter

# Small windows keep the test short; the counting is the same as with 60 s / 1 s.
LIMITS = RateLimits(
    reads_per_minute=100, writes_per_minute=12, writes_per_second=6, minute=1.5, second=0.5
)
SENDS_PER_WORKER = 12


def _worker(storage: str, queue) -> None:
    # The production margin: a send is stamped here after acquire() returns, and a busy
    # machine may pause the process in between, just as the network delays a real request.
    limiter = (
        SharedRateLimiter("acct-key", storage, LIMITS)
        if storage != "memory"
        else shared_limiter("acct-key", LIMITS)
    )
    stamps = []
    for _ in range(SENDS_PER_WORKER):
        limiter.acquire("POST")
        stamps.append(time.time())
    queue.put(stamps)


def _two_workers(storage: str) -> list[float]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_worker, args=(storage, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    stamps = sorted(queue.get(timeout=30) + queue.get(timeout=30))
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
