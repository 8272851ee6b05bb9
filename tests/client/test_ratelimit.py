"""Token buckets keep a long job under Sendcloud's per-account limits, with a fake clock."""

from __future__ import annotations

import httpx

from sendcloud.client import AccountRateLimiter, RateLimits, SendcloudClient, shared_limiter
from tests.client.helpers import PUBLIC_KEY, SECRET_KEY, Router


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def sent_per_window(
    clock: FakeClock, limiter: AccountRateLimiter, method: str, n: int
) -> list[float]:
    stamps = []
    for _ in range(n):
        limiter.acquire(method)
        stamps.append(clock.now)
    return stamps


def max_in_window(stamps: list[float], window: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + window) for start in stamps)


def test_writes_stay_under_100_per_minute_and_15_per_second() -> None:
    clock = FakeClock()
    limiter = AccountRateLimiter(clock=clock, sleep=clock.sleep)
    stamps = sent_per_window(clock, limiter, "POST", 300)
    assert max_in_window(stamps, 60.0) <= 100
    assert max_in_window(stamps, 1.0) <= 15
    assert clock.now > 120  # 300 writes need more than two minutes


def test_reads_stay_under_1000_per_minute_and_do_not_consume_write_budget() -> None:
    clock = FakeClock()
    limiter = AccountRateLimiter(clock=clock, sleep=clock.sleep)
    stamps = sent_per_window(clock, limiter, "GET", 2500)
    assert max_in_window(stamps, 60.0) <= 1000
    before = clock.now
    limiter.acquire("PATCH")
    assert clock.now == before  # the write bucket is still full


def test_a_burst_below_the_limit_does_not_wait() -> None:
    clock = FakeClock()
    limiter = AccountRateLimiter(RateLimits(), clock=clock, sleep=clock.sleep)
    sent_per_window(clock, limiter, "POST", 13)
    assert clock.slept == []


def test_clients_with_the_same_key_share_one_limiter() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={}))
    one = SendcloudClient(PUBLIC_KEY, SECRET_KEY, transport=transport)
    two = SendcloudClient(PUBLIC_KEY, SECRET_KEY, transport=transport)
    other = SendcloudClient("another-public-key", SECRET_KEY, transport=transport)
    assert one.transport.rate_limiter is two.transport.rate_limiter is shared_limiter(PUBLIC_KEY)
    assert other.transport.rate_limiter is not one.transport.rate_limiter


def test_rate_limit_can_be_disabled_or_injected(router: Router) -> None:
    clock = FakeClock()
    limiter = AccountRateLimiter(clock=clock, sleep=clock.sleep)
    router.json("GET", "/api/v2/user", {"user": {}})
    injected = SendcloudClient(
        PUBLIC_KEY, SECRET_KEY, transport=router.transport(), rate_limit=limiter
    )
    disabled = SendcloudClient(
        PUBLIC_KEY, SECRET_KEY, transport=router.transport(), rate_limit=False
    )
    assert injected.transport.rate_limiter is limiter and disabled.transport.rate_limiter is None
    for _ in range(30):
        injected.user()
    assert clock.slept  # the 21st read within the same instant had to wait
