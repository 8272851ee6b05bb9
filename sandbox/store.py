"""SQLite storage of the sandbox: one file, WAL mode, one connection per thread.

Objects are kept as JSON documents; the columns beside them exist only to filter and sort.
"""

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, password TEXT NOT NULL,
    created_at REAL NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS integrations (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, public_key TEXT UNIQUE NOT NULL,
    secret_key TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL,
    updated_at REAL NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS integrations_account ON integrations (account_id, id);
CREATE TABLE IF NOT EXISTS sender_addresses (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sender_addresses_account ON sender_addresses (account_id, id);
CREATE TABLE IF NOT EXISTS brands (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS brands_account ON brands (account_id, id);
CREATE TABLE IF NOT EXISTS shipments (
    seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, account_id INTEGER NOT NULL,
    integration_id INTEGER NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
    announced_at REAL, order_number TEXT, external_reference_id TEXT, data TEXT NOT NULL,
    v3 TEXT);
CREATE INDEX IF NOT EXISTS shipments_account ON shipments (account_id, seq);
CREATE INDEX IF NOT EXISTS shipments_updated ON shipments (account_id, updated_at);
CREATE TABLE IF NOT EXISTS parcels (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, integration_id INTEGER NOT NULL,
    shipment_seq INTEGER NOT NULL, status_id INTEGER NOT NULL, tracking_number TEXT NOT NULL,
    external_reference TEXT, order_number TEXT, created_at REAL NOT NULL,
    updated_at REAL NOT NULL, announced_at REAL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS parcels_integration ON parcels (integration_id, id);
CREATE INDEX IF NOT EXISTS parcels_shipment ON parcels (shipment_seq);
CREATE INDEX IF NOT EXISTS parcels_account_updated ON parcels (account_id, updated_at);
CREATE INDEX IF NOT EXISTS parcels_tracking ON parcels (tracking_number);
CREATE TABLE IF NOT EXISTS returns (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, created_at REAL NOT NULL,
    status_slug TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS returns_account ON returns (account_id, created_at, id);
CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invoices_account ON invoices (account_id, id);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, integration_id INTEGER, action TEXT NOT NULL, url TEXT NOT NULL,
    body BLOB NOT NULL, signature TEXT NOT NULL, status TEXT NOT NULL,
    created_at REAL NOT NULL, next_attempt_at REAL NOT NULL, attempts TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, integration_id INTEGER NOT NULL,
    order_id TEXT NOT NULL, order_number TEXT NOT NULL, status TEXT NOT NULL,
    order_created_at REAL, order_updated_at REAL, created_at REAL NOT NULL,
    modified_at REAL NOT NULL, busy_until REAL NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS orders_key ON orders (integration_id, order_id);
CREATE INDEX IF NOT EXISTS orders_account ON orders (account_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS shipments_external
    ON shipments (account_id, external_reference_id) WHERE external_reference_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS parcels_external ON parcels (account_id, external_reference)
    WHERE external_reference IS NOT NULL;
CREATE TABLE IF NOT EXISTS progress (
    parcel_id INTEGER PRIMARY KEY, due_at REAL NOT NULL, plan TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS progress_due ON progress (due_at);
CREATE TABLE IF NOT EXISTS print_jobs (
    id INTEGER PRIMARY KEY, received_at REAL NOT NULL, via TEXT NOT NULL, format TEXT NOT NULL,
    size INTEGER NOT NULL, job_name TEXT NOT NULL, data BLOB NOT NULL);
"""

# First ids per table, so that sandbox ids look like Sendcloud's (parcel ids ~3.8e8 in 2024).
ID_BASES = {
    "accounts": 100001,
    "integrations": 200001,
    "sender_addresses": 300001,
    "brands": 90001,
    "shipments": 1,
    "parcels": 380000001,
    "returns": 5000001,
    "invoices": 700001,
    "outbox": 1,
    "orders": 752000001,
}


class Store:
    """Thread-safe access to the sandbox's SQLite file."""

    def __init__(self, path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all = []
        self._all_lock = threading.Lock()
        self.write_lock = threading.RLock()
        with self.write_lock:
            self.conn().executescript(SCHEMA)

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def write(self):
        """One write transaction; other threads and processes wait (BEGIN IMMEDIATE)."""
        with self.write_lock:
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self):
        with self._all_lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()

    # -- helpers -----------------------------------------------------------------------------

    def query(self, sql, params=()):
        return self.conn().execute(sql, params).fetchall()

    def one(self, sql, params=()):
        return self.conn().execute(sql, params).fetchone()

    def next_ids(self, conn, table, count=1):
        """First of ``count`` fresh ids for ``table``; call inside a write transaction."""
        key = "id_" + table
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        start = int(row[0]) if row else ID_BASES[table]
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(start + count))
        )
        return start

    def get_meta(self, key, default=None):
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(row[0]) if row else default

    def set_meta(self, key, value):
        with self.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
            )
