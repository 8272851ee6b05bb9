"""Everything one sandbox app holds: storage, clock, accounts, limits, faults, webhooks, orders."""

import random

from flask import current_app, request

from . import catalogue as cat
from . import partners
from .accounts import Accounts
from .clock import Clock
from .faults import Faults
from .orders_store import Orders
from .printer import FakePrinter, PrintJobs
from .ratelimit import RateLimiter
from .render_parcels import (
    PARCEL_COLUMNS,
    PARCEL_FROM,
    Parcel,
    v3_shipment_text,
    webhook_parcel,
)
from .seed import seed_account, seed_base
from .store import Store
from .timefmt import epoch_ms, iso_local
from .webhooks import Outbox


class SandboxState:
    def __init__(self, storage_path, rate_limits=True, public_base_url=None):
        self.store = Store(storage_path)
        self.clock = Clock(self.store)
        self.accounts = Accounts(self.store, self.clock)
        self.limiter = RateLimiter(self.clock.now, enabled=rate_limits)
        self.faults = Faults()
        self.outbox = Outbox(self.store, self.clock)
        self.orders = Orders(self.store, self.clock)
        self.printer_jobs = PrintJobs(self.store, self.clock)
        self.printer = FakePrinter(self.printer_jobs)  # listens once started (serve, fixture)
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self.partner_ids = partners.configured_ids()

    def close(self):
        self.printer.stop()
        self.outbox.stop()
        self.store.close()

    def base_url(self) -> str:
        """Base of absolute URLs in bodies and headers."""
        if self.public_base_url:
            return self.public_base_url
        try:
            return request.host_url.rstrip("/")
        except RuntimeError:  # outside a request (CLI, background thread)
            return self.store.get_meta("last_base_url", "http://127.0.0.1:8001")

    # -- accounts ----------------------------------------------------------------------------

    def create_account(self, email=None, password=None, company_name=None, parcels=0,
                       returns=0, invoices=0, seed=1, anchor=None,
                       registered=None) -> dict:  # fmt: skip
        """A new account with its API integration, base data and optional volume;
        ``registered`` (epoch) is its Sendcloud sign-up time (default: before the v2 cutoff)."""
        account = self.accounts.create(email=email, password=password, company_name=company_name,
                                       registered=registered)  # fmt: skip
        seed_base(self.store, self.accounts, account["id"], seed)
        account["seeded"] = seed_account(
            self, account["id"], parcels, returns, invoices, seed, anchor
        )
        return account

    def demo_account(self) -> dict | None:
        account_id = self.store.get_meta("demo_account")
        if account_id and self.accounts.get(account_id):
            return self.accounts.describe(account_id)
        return None

    def ensure_demo_account(self, parcels=2000, returns=200, invoices=52) -> tuple[dict, bool]:
        existing = self.demo_account()
        if existing:
            return existing, False
        account = self.create_account(
            email="demo@sandbox.test", parcels=parcels, returns=returns, invoices=invoices
        )
        self.store.set_meta("demo_account", account["id"])
        return account, True

    # -- parcels -----------------------------------------------------------------------------

    def parcel(self, parcel_id: int, account_id: int | None = None) -> Parcel | None:
        sql = f"SELECT {PARCEL_COLUMNS} FROM {PARCEL_FROM} WHERE p.id = ?"
        params = [parcel_id]
        if account_id is not None:
            sql += " AND p.account_id = ?"
            params.append(account_id)
        row = self.store.one(sql, params)
        return Parcel(row) if row else None

    def set_parcel_status(self, parcel_id: int, status, carrier_timestamp=None) -> Parcel:
        """Move a parcel to a status (v2 id or v3 code) and emit ``parcel_status_changed``."""
        status_id = cat.resolve_status(status)
        if status_id is None:
            raise ValueError(f"unknown parcel status {status!r}")
        parcel = self.parcel(parcel_id)
        if parcel is None:
            raise LookupError(parcel_id)
        now = self.clock.now()
        announced_at = parcel.announced_at
        tracking = parcel.tracking_number
        if status_id not in cat.UNANNOUNCED:
            announced_at = announced_at or now
            if not tracking:
                prefix = cat.TRACKING_PREFIX[parcel.shipment["carrier"]]
                tracking = prefix + str(random.Random(parcel_id).randint(10**9, 10**10 - 1))
        with self.store.write() as conn:
            conn.execute(
                "UPDATE parcels SET status_id = ?, updated_at = ?, announced_at = ?,"
                " tracking_number = ? WHERE id = ?",
                (status_id, now, announced_at, tracking, parcel_id),
            )
            conn.execute(
                "UPDATE shipments SET updated_at = ?, announced_at = COALESCE(announced_at, ?)"
                " WHERE seq = ?",
                (now, announced_at, parcel.shipment_seq),
            )
        self.render_shipment(parcel.shipment_seq)
        parcel = self.parcel(parcel_id)
        self.emit_parcel_status(parcel, carrier_timestamp or now)
        return parcel

    def render_shipment(self, seq: int):
        """Refresh the stored v3 rendering of a shipment after one of its parcels changed."""
        rows = self.store.query(
            f"SELECT {PARCEL_COLUMNS} FROM {PARCEL_FROM} WHERE p.shipment_seq = ? ORDER BY p.id",
            (seq,),
        )
        text = v3_shipment_text([Parcel(row) for row in rows])
        with self.store.write() as conn:
            conn.execute("UPDATE shipments SET v3 = ? WHERE seq = ?", (text, seq))

    # -- webhooks ----------------------------------------------------------------------------

    def _webhook_target(self, integration: dict | None):
        if integration and integration["webhook_active"] and integration["webhook_url"]:
            return integration["webhook_url"]
        return None

    def emit_parcel_status(self, parcel: Parcel, carrier_timestamp: float):
        integration = self.accounts.integration_by_id(parcel.integration_id)
        url = self._webhook_target(integration)
        if not url:
            return None
        payload = {
            "action": "parcel_status_changed",
            "parcel": webhook_parcel(self.base_url(), parcel),
            "timestamp": epoch_ms(self.clock.now()),
            "carrier_status_change_timestamp": epoch_ms(carrier_timestamp),
        }
        return self.outbox.enqueue(
            "parcel_status_changed", payload, url, integration["secret_key"], integration["id"]
        )

    def emit_integration(self, action: str, integration: dict):
        """``integration_connected|updated|deleted`` with the v2 integration object."""
        url = self._webhook_target(integration)
        if not url:
            return None
        payload = {
            "action": action,
            "timestamp": epoch_ms(self.clock.now()),
            "integration": v2_integration(integration),
        }
        return self.outbox.enqueue(
            action, payload, url, integration["secret_key"], integration["id"]
        )

    def send_credentials(self, integration: dict, url: str) -> dict:
        """``integration_credentials`` (reference v2 §6), signed with the secret it carries."""
        payload = {
            "action": "integration_credentials",
            "public_key": integration["public_key"],
            "secret_key": integration["secret_key"],
            "integration_id": integration["id"],
        }
        delivery_id = self.outbox.enqueue(
            "integration_credentials", payload, url, integration["secret_key"], integration["id"]
        )
        return self.outbox.deliver_one(delivery_id)


def v2_integration(i: dict) -> dict:
    return {
        "id": i["id"],
        "shop_name": i["shop_name"],
        "shop_url": i["shop_url"],
        "system": i["system"],
        "failing_since": i["failing_since"],
        "last_fetch": i["last_fetch"],
        "last_updated_at": iso_local(i["updated_at"]),
        "service_point_enabled": i["service_point_enabled"],
        "service_point_carriers": list(i["service_point_carriers"]),
        "webhook_active": i["webhook_active"],
        "webhook_url": i["webhook_url"],
    }


def current() -> SandboxState:
    """The state of the app handling the current request."""
    return current_app.extensions["sandbox"]
