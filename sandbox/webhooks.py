"""Outgoing webhooks: signed bodies in an outbox table, delivered and retried on Sendcloud's
schedule (reference v2 §7.1: 10 retries, first after 5 minutes, exponential, at most 1 hour
apart), measured on the sandbox clock so tests can compress the hours."""

import hashlib
import hmac
import json
import logging
import random
import threading

log = logging.getLogger("sandbox.webhooks")

MAX_RETRIES = 10
FIRST_RETRY = 5 * 60
MAX_GAP = 60 * 60
TIMEOUT = 10.0


def retry_delay(retry_number: int) -> float:
    """Seconds before retry 1..10: 5, 10, 20, 40 minutes, then hourly."""
    return min(FIRST_RETRY * 2 ** (retry_number - 1), MAX_GAP)


def encode_body(payload: dict) -> bytes:
    """Sendcloud serialises with Python's ``json.dumps`` defaults (", " and ": ", ASCII)."""
    return json.dumps(payload).encode("ascii")


def sign(body: bytes, key: str) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def http_sender(url: str, body: bytes, headers: dict) -> int:
    """Default transport: a real POST. Returns the status code; raises on network errors."""
    import httpx

    response = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT)
    return response.status_code


class Outbox:
    def __init__(self, store, clock, sender=http_sender, seed=None):
        self.store = store
        self.clock = clock
        self.sender = sender
        self._rng = random.Random(seed)
        self._run_lock = threading.Lock()
        self._thread = None
        self._stop = threading.Event()

    def enqueue(self, action: str, payload: dict, url: str, key: str, integration_id=None):
        body = encode_body(payload)
        now = self.clock.now()
        with self.store.write() as conn:
            cursor = conn.execute(
                "INSERT INTO outbox (integration_id, action, url, body, signature, status,"
                " created_at, next_attempt_at, attempts) VALUES (?,?,?,?,?,?,?,?,?)",
                (integration_id, action, url, body, sign(body, key), "pending", now, now, "[]"),
            )
        return cursor.lastrowid

    def deliver_one(self, delivery_id: int) -> dict:
        row = self.store.one(f"SELECT {self._COLUMNS} FROM outbox WHERE id = ?", (delivery_id,))
        return self._attempt(row)

    _COLUMNS = (
        "id, integration_id, action, url, body, signature, status, created_at,"
        " next_attempt_at, attempts"
    )

    def run_due(self) -> list[dict]:
        """Try every pending delivery whose time has come; the order is shuffled on purpose."""
        with self._run_lock:
            now = self.clock.now()
            rows = self.store.query(
                f"SELECT {self._COLUMNS} FROM outbox WHERE status = 'pending'"
                " AND next_attempt_at <= ? ORDER BY id",
                (now,),
            )
            self._rng.shuffle(rows)
            return [self._attempt(row) for row in rows]

    def _attempt(self, row) -> dict:
        delivery_id, url, body, signature = row[0], row[3], row[4], row[5]
        attempts = json.loads(row[9])
        headers = {
            "Content-Type": "application/json",
            "Sendcloud-Signature": signature,
            "User-Agent": "Sendcloud-Sandbox-Webhooks/1.0",
        }
        started = self.clock.now()
        try:
            status_code = self.sender(url, bytes(body), headers)
            error = None if 200 <= status_code < 300 else f"HTTP {status_code}"
        except Exception as exc:  # any transport failure counts as a failed try
            status_code, error = None, f"{type(exc).__name__}: {exc}"
        attempts.append({"at": started, "status_code": status_code, "error": error})
        if error is None:
            status, next_at = "delivered", started
        elif len(attempts) > MAX_RETRIES:
            status, next_at = "failed", started
        else:
            status, next_at = "pending", started + retry_delay(len(attempts))
        with self.store.write() as conn:
            conn.execute(
                "UPDATE outbox SET status = ?, next_attempt_at = ?, attempts = ? WHERE id = ?",
                (status, next_at, json.dumps(attempts), delivery_id),
            )
        if error:
            log.info("webhook %s to %s failed: %s", delivery_id, url, error)
        return {"id": delivery_id, "status": status, "error": error, "status_code": status_code}

    def deliveries(self, status=None, limit=100, action=None) -> list[dict]:
        where, params = [], []
        if status:
            where.append("status = ?")
            params.append(status)
        if action:
            where.append("action = ?")
            params.append(action)
        sql = f"SELECT {self._COLUMNS} FROM outbox"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.store.query(sql + " ORDER BY id DESC LIMIT ?", (*params, int(limit)))
        return [
            {
                "id": r[0],
                "integration_id": r[1],
                "action": r[2],
                "url": r[3],
                "body": bytes(r[4]).decode("ascii"),
                "signature": r[5],
                "status": r[6],
                "created_at": r[7],
                "next_attempt_at": r[8],
                "attempts": json.loads(r[9]),
            }  # fmt: skip
            for r in rows
        ]

    # -- background delivery (serve process only) -------------------------------------------

    def start(self, interval=0.5):
        if self._thread:
            return
        self._stop.clear()

        def loop():
            while not self._stop.wait(interval):
                try:
                    self.run_due()
                except Exception:
                    log.exception("webhook delivery loop")

        self._thread = threading.Thread(target=loop, name="sandbox-webhooks", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=TIMEOUT + 2)
            self._thread = None
