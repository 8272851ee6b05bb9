"""The shared log of an account's requests: in Redis (production) or an SQLite file (embedded).

A request is entered when it is let go and counts in every window until it is answered; then
it is stamped with the time of its answer. Sendcloud counts it when it arrives, which lies
somewhere in between, so the log never holds fewer requests in a window than Sendcloud does,
however long a request travels or waits in a busy server. (Stamped when let go, as a plain
sliding log does, a request delayed by more than the margin leaves our window before it has
entered Sendcloud's: four workers on one account then drew 429s.) A request whose process dies
before the answer counts until `hold` seconds after it was let go.

Both logs take the time in one place (the Redis server's clock; the machine's for the SQLite
file), so processes with skewed clocks cannot misplace each other's entries.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence

from redis import Redis

Windows = Sequence[tuple[float, int]]  # (seconds, at most this many requests)
POLL_SECONDS = 0.05  # how often a request blocked by unanswered ones looks again

_RESERVE = """
local key, member, hold, poll = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local longest, wait = 0, 0
for i = 4, #ARGV, 2 do
  local window, limit = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if window > longest then longest = window end
  if redis.call('ZCOUNT', key, '(' .. (now - window), '+inf') >= limit then
    local entry = redis.call('ZREVRANGE', key, limit - 1, limit - 1, 'WITHSCORES')
    local at = tonumber(entry[2])
    local free = poll
    if at <= now then free = at + window - now end
    if free > wait then wait = free end
  end
end
if wait > 0 then return tostring(wait) end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest)
redis.call('ZADD', key, now + hold, member)
redis.call('EXPIRE', key, math.ceil(longest + hold) + 1)
return '0'
"""

_ANSWERED = """
local clock = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', tonumber(clock[1]) + tonumber(clock[2]) / 1000000, ARGV[1])
return 0
"""


class RedisSendLog:
    """The log as one sorted set per account and kind, changed only by atomic scripts."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url)
        self._reserve = self._redis.register_script(_RESERVE)
        self._answered = self._redis.register_script(_ANSWERED)

    def reserve(self, key: str, windows: Windows, member: str, hold: float) -> float:
        """Enter `member` and return 0, or return the seconds to wait before asking again."""
        args = [member, hold, POLL_SECONDS]
        for seconds, limit in windows:
            args += [seconds, limit]
        return float(self._reserve(keys=[key], args=args))

    def answered(self, key: str, member: str) -> None:
        self._answered(keys=[key], args=[member])


class SQLiteSendLog:
    """The same log in a table of an SQLite file; `BEGIN IMMEDIATE` serialises the processes."""

    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock
        self._local = threading.local()
        conn = self._conn()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS sendcloud_send_log"
            " (key TEXT NOT NULL, member TEXT NOT NULL, at REAL NOT NULL)"
        )
        conn.execute(
            "CREATE INDEX IF NOT EXISTS sendcloud_send_log_key ON sendcloud_send_log (key, at)"
        )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._path, timeout=30, isolation_level=None)
            self._local.conn = conn
            conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def reserve(self, key: str, windows: Windows, member: str, hold: float) -> float:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            now = self._clock()
            wait = 0.0
            for seconds, limit in windows:
                (row,) = conn.execute(
                    "SELECT COUNT(*) FROM sendcloud_send_log WHERE key = ? AND at > ?",
                    (key, now - seconds),
                ).fetchone()
                if row >= limit:
                    (at,) = conn.execute(
                        "SELECT at FROM sendcloud_send_log WHERE key = ? ORDER BY at DESC"
                        " LIMIT 1 OFFSET ?",
                        (key, limit - 1),
                    ).fetchone()
                    wait = max(wait, POLL_SECONDS if at > now else at + seconds - now)
            if wait <= 0:
                longest = max(seconds for seconds, _limit in windows)
                conn.execute(
                    "DELETE FROM sendcloud_send_log WHERE key = ? AND at <= ?",
                    (key, now - longest),
                )
                conn.execute(
                    "INSERT INTO sendcloud_send_log (key, member, at) VALUES (?, ?, ?)",
                    (key, member, now + hold),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return wait

    def answered(self, key: str, member: str) -> None:
        self._conn().execute(
            "UPDATE sendcloud_send_log SET at = ? WHERE key = ? AND member = ?",
            (self._clock(), key, member),
        )
