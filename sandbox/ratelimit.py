"""Sendcloud's published limits, per account (reference v2 §4): 1000 GET/min; 100 unsafe/min
with at most 15 per second. Sliding windows on the sandbox clock, so tests can advance it."""

import threading
from collections import deque

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RateLimiter:
    def __init__(self, now, enabled=True, safe_per_minute=1000, unsafe_per_minute=100,
                 unsafe_per_second=15):  # fmt: skip
        self.now = now
        self.enabled = enabled
        self.safe_per_minute = safe_per_minute
        self.unsafe_per_minute = unsafe_per_minute
        self.unsafe_per_second = unsafe_per_second
        self._windows = {}
        self._lock = threading.Lock()

    def reset(self):
        with self._lock:
            self._windows.clear()

    def allow(self, account_id: int, method: str) -> bool:
        """Record the request; False when over a limit (rejected requests don't count)."""
        if not self.enabled:
            return True
        safe = method.upper() in SAFE_METHODS
        now = self.now()
        with self._lock:
            window = self._windows.setdefault((account_id, safe), deque())
            while window and window[0] <= now - 60:
                window.popleft()
            if safe:
                if len(window) >= self.safe_per_minute:
                    return False
            else:
                if len(window) >= self.unsafe_per_minute:
                    return False
                recent = 0
                for stamp in reversed(window):
                    if stamp <= now - 1:
                        break
                    recent += 1
                if recent >= self.unsafe_per_second:
                    return False
            window.append(now)
            return True

    def state(self) -> dict:
        return {
            "enabled": self.enabled,
            "safe_per_minute": self.safe_per_minute,
            "unsafe_per_minute": self.unsafe_per_minute,
            "unsafe_per_second": self.unsafe_per_second,
        }
