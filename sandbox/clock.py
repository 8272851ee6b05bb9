"""The sandbox's clock: real time, shifted and sped up on request (tests compress hours)."""

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Virtual time = anchor + (real elapsed since anchor) × speed; only ever moves forward."""

    def __init__(self, store=None, real=time.time):
        self._real = real
        self._store = store
        self._lock = threading.Lock()
        state = store.get_meta("clock") if store else None
        if state:
            self._virtual_anchor = state["virtual"]
            self._speed = state["speed"]
            # Time the process was down counts at normal speed.
            self._real_anchor = max(self._real(), state["real"])
            self._virtual_anchor += max(0.0, self._real_anchor - state["real"])
        else:
            self._real_anchor = self._real()
            self._virtual_anchor = self._real_anchor
            self._speed = 1.0

    def now(self) -> float:
        """Current sandbox time, seconds since the epoch (UTC)."""
        with self._lock:
            return self._virtual_anchor + (self._real() - self._real_anchor) * self._speed

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    @property
    def speed(self) -> float:
        return self._speed

    def _rebase(self):
        real = self._real()
        self._virtual_anchor += (real - self._real_anchor) * self._speed
        self._real_anchor = real

    def advance(self, seconds: float):
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._rebase()
            self._virtual_anchor += seconds
        self._save()

    def set_speed(self, speed: float):
        if speed <= 0:
            raise ValueError("speed must be positive")
        with self._lock:
            self._rebase()
            self._speed = float(speed)
        self._save()

    def state(self) -> dict:
        now = self.now()
        return {
            "now": datetime.fromtimestamp(now, UTC).isoformat(),
            "epoch": now,
            "speed": self._speed,
            "offset_seconds": now - self._real(),
        }

    def _save(self):
        if self._store is not None:
            with self._lock:
                state = {
                    "virtual": self._virtual_anchor,
                    "real": self._real_anchor,
                    "speed": self._speed,
                }
            self._store.set_meta("clock", state)
