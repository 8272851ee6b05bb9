"""Accounts and their integrations (each integration owns one public/secret key pair)."""

import hmac
import json
import secrets
import threading
import uuid
from datetime import UTC, datetime

from .timefmt import iso_z

DEFAULT_INTEGRATION = {
    "shop_name": "Sendcloud API",
    "shop_url": "",
    "system": "api",
    "failing_since": None,
    "last_fetch": None,
    "service_point_enabled": False,
    "service_point_carriers": [],
    "webhook_active": False,
    "webhook_url": None,
    "feedback_type": "none",
}
UPDATABLE = (
    "shop_name",
    "shop_url",
    "service_point_enabled",
    "service_point_carriers",
    "webhook_active",
    "webhook_url",
    "feedback_type",
)


# When sandbox accounts were "registered" at Sendcloud unless told otherwise: before the v2
# parcel-creation cutoff of 2026-04-13 (reference v2 §1), so both label generations work for
# tests and the demo. Accounts created "after the cutoff" (control API, CLI) see v2 closed.
DEFAULT_REGISTERED = datetime(2025, 3, 3, 9, 41, 27, tzinfo=UTC).timestamp()


def new_keys() -> tuple[str, str]:
    """A key pair in Sendcloud's observed format: UUID public key, 32-hex secret key."""
    return str(uuid.uuid4()), secrets.token_hex(16)


class Accounts:
    def __init__(self, store, clock):
        self.store = store
        self.clock = clock
        self._auth_cache = {}
        self._cache_lock = threading.Lock()

    # -- accounts ----------------------------------------------------------------------------

    def create(self, email=None, password=None, company_name=None, username=None,
               registered=None) -> dict:  # fmt: skip
        """A new account; ``registered`` (epoch) is its Sendcloud sign-up time."""
        now = self.clock.now()
        with self.store.write() as conn:
            account_id = self.store.next_ids(conn, "accounts")
            email = email or f"demo{account_id}@sandbox.test"
            password = password or secrets.token_urlsafe(9)
            data = {
                "username": username or email.split("@")[0],
                "company_name": company_name or "Muster Handel GmbH",
                "telephone": "+49 30 1234567",
                "address": "Friedrichstraße 123",
                "postal_code": "10117",
                "city": "Berlin",
                "email": email,
                "registered": DEFAULT_REGISTERED if registered is None else float(registered),
            }
            conn.execute(
                "INSERT INTO accounts (id, email, password, created_at, data) VALUES (?,?,?,?,?)",
                (account_id, email, password, now, json.dumps(data)),
            )
        integration = self.create_integration(account_id, {})
        return self.describe(account_id, integration)

    def describe(self, account_id: int, integration: dict | None = None) -> dict:
        account = self.get(account_id)
        if integration is None:
            integration = self.integrations(account_id)[0]
        return {
            "id": account_id,
            "user_id": account_id,
            "email": account["email"],
            "password": account["password"],
            "username": account["data"]["username"],
            "company_name": account["data"]["company_name"],
            "public_key": integration["public_key"],
            "secret_key": integration["secret_key"],
            "integration_id": integration["id"],
            "registered": iso_z(self.registered(account), micro=False),
        }

    def registered(self, account: dict) -> float:
        """Sign-up time (epoch); accounts stored before it was kept count as the default."""
        return account["data"].get("registered", DEFAULT_REGISTERED)

    def set_registered(self, account_id: int, registered: float):
        account = self.get(account_id)
        data = dict(account["data"], registered=float(registered))
        with self.store.write() as conn:
            conn.execute(
                "UPDATE accounts SET data = ? WHERE id = ?", (json.dumps(data), account_id)
            )

    def get(self, account_id: int) -> dict | None:
        row = self.store.one(
            "SELECT id, email, password, created_at, data FROM accounts WHERE id = ?",
            (account_id,),
        )
        if row is None:
            return None
        return {
            "id": row[0],
            "email": row[1],
            "password": row[2],
            "created_at": row[3],
            "data": json.loads(row[4]),
        }

    def all(self) -> list[dict]:
        rows = self.store.query("SELECT id FROM accounts ORDER BY id")
        return [self.describe(r[0]) for r in rows if self.integrations(r[0])]

    def login(self, email: str, password: str) -> int | None:
        row = self.store.one("SELECT id, password FROM accounts WHERE email = ?", (email,))
        if row and hmac.compare_digest(row[1].encode(), (password or "").encode()):
            return row[0]
        return None

    # -- integrations ------------------------------------------------------------------------

    def create_integration(self, account_id: int, fields: dict) -> dict:
        now = self.clock.now()
        data = dict(DEFAULT_INTEGRATION)
        data.update({k: v for k, v in fields.items() if k in DEFAULT_INTEGRATION})
        public_key, secret_key = new_keys()
        with self.store.write() as conn:
            integration_id = self.store.next_ids(conn, "integrations")
            conn.execute(
                "INSERT INTO integrations (id, account_id, public_key, secret_key, created_at,"
                " updated_at, data) VALUES (?,?,?,?,?,?,?)",
                (integration_id, account_id, public_key, secret_key, now, now, json.dumps(data)),
            )
        return self.integration(account_id, integration_id)

    def _row_to_integration(self, row) -> dict:
        data = json.loads(row[7])
        return {
            "id": row[0],
            "account_id": row[1],
            "public_key": row[2],
            "secret_key": row[3],
            "created_at": row[5],
            "updated_at": row[6],
            **data,
        }

    _COLUMNS = "id, account_id, public_key, secret_key, deleted, created_at, updated_at, data"

    def integrations(self, account_id: int) -> list[dict]:
        rows = self.store.query(
            f"SELECT {self._COLUMNS} FROM integrations WHERE account_id = ? AND deleted = 0"
            " ORDER BY id",
            (account_id,),
        )
        return [self._row_to_integration(r) for r in rows]

    def integration(self, account_id: int, integration_id: int) -> dict | None:
        row = self.store.one(
            f"SELECT {self._COLUMNS} FROM integrations WHERE id = ? AND account_id = ?"
            " AND deleted = 0",
            (integration_id, account_id),
        )
        return self._row_to_integration(row) if row else None

    def integration_by_id(self, integration_id: int) -> dict | None:
        row = self.store.one(
            f"SELECT {self._COLUMNS} FROM integrations WHERE id = ? AND deleted = 0",
            (integration_id,),
        )
        return self._row_to_integration(row) if row else None

    def update_integration(self, integration: dict, changes: dict) -> dict:
        data = {k: integration[k] for k in DEFAULT_INTEGRATION}
        data.update({k: v for k, v in changes.items() if k in UPDATABLE})
        with self.store.write() as conn:
            conn.execute(
                "UPDATE integrations SET data = ?, updated_at = ? WHERE id = ?",
                (json.dumps(data), self.clock.now(), integration["id"]),
            )
        return self.integration(integration["account_id"], integration["id"])

    def delete_integration(self, integration: dict):
        with self.store.write() as conn:
            conn.execute("UPDATE integrations SET deleted = 1 WHERE id = ?", (integration["id"],))
        with self._cache_lock:
            self._auth_cache.pop(integration["public_key"], None)

    def authenticate(self, public_key: str, secret_key: str) -> tuple[int, int] | None:
        """(account id, integration id) for a valid key pair, else None."""
        with self._cache_lock:
            hit = self._auth_cache.get(public_key)
        if hit is None:
            row = self.store.one(
                "SELECT secret_key, id, account_id FROM integrations"
                " WHERE public_key = ? AND deleted = 0",
                (public_key,),
            )
            if row is None:
                return None
            hit = tuple(row)
            with self._cache_lock:
                self._auth_cache[public_key] = hit
        if not hmac.compare_digest(hit[0].encode(), (secret_key or "").encode()):
            return None
        return hit[2], hit[1]
