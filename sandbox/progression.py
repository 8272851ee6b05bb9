"""Parcels created through the API move through their statuses on the sandbox clock.

Each parcel gets a plan (status, delay) when it is created: asynchronous announcement, then the
journey announced → en route → delivered (customs for non-EU, pick-up for service points), with a
small configurable chance of an exception on the way. A queued cancellation becomes "Cancelled"
after ``cancel_seconds``. Every step goes through ``SandboxState.set_parcel_status``, which sends
the signed ``parcel_status_changed`` webhook to the integration that created the parcel.

``time_scale`` multiplies every delay (0.001: a two-day journey in three minutes); the clock's
speed compresses time for everything else too.
"""

import json
import logging
import random
import threading
import time

from flask import current_app

from . import catalogue as cat
from .returns_store import returns_run_due
from .shipments_store import announcement_error, parcels_of, set_shipment_errors, set_status

log = logging.getLogger("sandbox.progression")
HOUR = 3600.0
DEFAULTS = {
    "enabled": True,
    "announce_seconds": 5.0,  # asynchronous announcement (v3 POST /shipments, ship-an-order)
    "cancel_seconds": 60.0,  # queued cancellation → Cancelled
    "time_scale": 1.0,
    "exception_rate": 0.03,
    "seed": 0,
}
EXCEPTIONS = [
    [(8, 6 * HOUR), (92, 18 * HOUR), (11, 3 * HOUR)],  # failed attempt, delivered next day
    [(62997, 6 * HOUR), (62992, 48 * HOUR)],  # address invalid, returned to sender
    [(62996, 6 * HOUR)],  # exception, left for the shop to chase
]


def journey(parcel_id: int, international: bool, service_point: bool, rate: float, seed) -> list:
    """The statuses after "Ready to send", as [v2 status id, delay in seconds] pairs."""
    steps = [(1, 1 * HOUR), (3, 4 * HOUR)]
    if international:
        steps.append((62989, 12 * HOUR))
    steps.append((91, 6 * HOUR))
    if random.Random(f"{seed}:{parcel_id}").random() < rate:
        exception = EXCEPTIONS[parcel_id % len(EXCEPTIONS)]
        return [list(s) for s in steps + exception]
    if service_point:
        steps += [(12, 8 * HOUR), (93, 24 * HOUR)]
    else:
        steps += [(92, 8 * HOUR), (11, 3 * HOUR)]
    return [list(s) for s in steps]


class Progression:
    def __init__(self, state):
        self.state = state
        self._lock = threading.Lock()
        self._last_check = 0.0
        self._thread = None
        self._stop = threading.Event()

    # -- settings ----------------------------------------------------------------------------

    def settings(self) -> dict:
        return {**DEFAULTS, **(self.state.store.get_meta("progression") or {})}

    def configure(self, changes: dict) -> dict:
        current = self.settings()
        for key, value in changes.items():
            if key not in DEFAULTS:
                raise ValueError(f"unknown setting {key!r}; one of {sorted(DEFAULTS)}")
            if key == "enabled":
                current[key] = bool(value)
            elif key == "seed":
                current[key] = value
            else:
                number = float(value)
                if number < 0 or (key == "exception_rate" and number > 1):
                    raise ValueError(f"{key} out of range")
                current[key] = number
        self.state.store.set_meta("progression", current)
        return current

    # -- plans -------------------------------------------------------------------------------

    def plan_for(self, parcel, announce_first=None) -> list:
        """The plan of a freshly created parcel; ``announce_first`` = 1000 or 1002 for an
        asynchronous announcement still to happen."""
        cfg = self.settings()
        steps = []
        if announce_first is not None:
            steps.append([announce_first, cfg["announce_seconds"]])
            if announce_first == 1002:
                return steps
        elif parcel.status_id != 1000:
            return []  # no label (999) or refused (1002): nothing happens by itself
        shipment = parcel.shipment
        product = cat.PRODUCT_BY_CODE[shipment["ship_with"]]
        path = journey(
            parcel.id, shipment["international"], product.service_point,
            cfg["exception_rate"], cfg["seed"],
        )  # fmt: skip
        return steps + [[status, delay * cfg["time_scale"]] for status, delay in path]

    def cancel_plan(self) -> list:
        return [[2000, self.settings()["cancel_seconds"]]]

    def schedule(self, parcel_id: int, plan: list, start: float | None = None):
        if not plan:
            self.forget([parcel_id])
            return
        start = self.state.clock.now() if start is None else start
        with self.state.store.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO progress (parcel_id, due_at, plan) VALUES (?, ?, ?)",
                (parcel_id, start + plan[0][1], json.dumps(plan)),
            )

    def forget(self, parcel_ids):
        with self.state.store.write() as conn:
            conn.executemany("DELETE FROM progress WHERE parcel_id = ?", [(i,) for i in parcel_ids])

    # -- running -----------------------------------------------------------------------------

    def run_due(self, limit: int = 500) -> list[dict]:
        """Apply every step whose time has come (several per parcel after a clock jump)."""
        if not self.settings()["enabled"]:
            return []
        if not self._lock.acquire(blocking=False):
            return []  # another thread is on it
        try:
            return self._run(limit) + returns_run_due(self.state)
        finally:
            self._lock.release()

    def _run(self, limit) -> list[dict]:
        state = self.state
        now = state.clock.now()
        rows = state.store.query(
            "SELECT parcel_id, due_at, plan FROM progress WHERE due_at <= ? ORDER BY due_at"
            " LIMIT ?",
            (now, limit),
        )
        done = []
        for parcel_id, due_at, plan_text in rows:
            plan = json.loads(plan_text)
            while plan and due_at <= now:
                status_id = plan.pop(0)[0]
                try:
                    parcel = set_status(state, parcel_id, status_id, due_at)
                except LookupError:  # deleted meanwhile (v2 410)
                    plan = []
                    break
                if status_id == 1002:
                    detail = parcel.shipment.get("announce_error") or "Service error."
                    set_shipment_errors(state, parcel.shipment_seq, [announcement_error(detail)])
                done.append({"parcel_id": parcel_id, "status": status_id})
                if plan:
                    due_at += plan[0][1]
            with state.store.write() as conn:
                if plan:
                    conn.execute(
                        "UPDATE progress SET due_at = ?, plan = ? WHERE parcel_id = ?",
                        (due_at, json.dumps(plan), parcel_id),
                    )
                else:
                    conn.execute("DELETE FROM progress WHERE parcel_id = ?", (parcel_id,))
        return done

    def maybe_run(self, every: float = 0.5):
        """Called before API requests: at most every ``every`` real seconds."""
        tick = time.monotonic()
        if tick - self._last_check < every:
            return
        self._last_check = tick
        try:
            self.run_due()
        except Exception:
            log.exception("status progression")

    def start(self, interval=1.0):
        """Background ticking for the serve process (statuses move without any request)."""
        if self._thread:
            return
        self._stop.clear()

        def loop():
            while not self._stop.wait(interval):
                self.maybe_run(0)

        self._thread = threading.Thread(target=loop, name="sandbox-progression", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
            self._thread = None

    def track_new_shipment(self, seq: int, announce_first=None):
        """Plans and first webhooks for the parcels of a shipment just created."""
        state = self.state
        now = state.clock.now()
        for parcel in parcels_of(state.store, seq):
            self.schedule(parcel.id, self.plan_for(parcel, announce_first), now)
            state.emit_parcel_status(parcel, now)


def progression() -> Progression:
    """The progression of the app handling the current request."""
    return current_app.extensions["progression"]
