"""Setup for the scale benchmark: sandbox accounts seeded once, one back-office database built
once and cloned for every round (PostgreSQL `CREATE DATABASE … TEMPLATE`).

Seeding 200 accounts × 2,000 parcels and 200 companies × 100 delivery orders takes minutes; a
clone takes seconds. A round only reads parcels from the sandbox, so the same accounts serve
every round; orders are what a round writes there, so each round gives its delivery orders (and
their external ids) a prefix of its own and counts only those at the sandbox.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_SCALE_DB", "verwaltung_bench")  # another name: a second run
TEMPLATE_DB = f"{DB_NAME}_seed"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BERLIN = {"street": "Lagerstraße", "house_number": "1", "postal_code": "10115", "city": "Berlin"}


def _admin(*statements: str) -> None:
    from django.db import connections

    connections.close_all()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def accounts_seed(control: httpx.Client, count: int, parcels: int, first_seed: int = 1) -> list:
    """`count` sandbox accounts with `parcels` parcels each (deterministic seeds)."""
    accounts = []
    for n in range(count):
        seed = {"parcels": parcels, "returns": 0, "invoices": 0, "seed": first_seed + n}
        accounts.append(control.post("/accounts", json=seed).raise_for_status().json())
    return accounts


def fresh_database() -> None:
    from django.core.management import call_command

    _admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
    call_command("migrate", verbosity=0)


def drop_databases() -> None:
    _admin(
        f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)",
        f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)",
    )


def companies_setup(accounts: list, orders: int) -> None:
    """One company per account: connected integration (through the keys form's service, which
    calls the sandbox), warehouse, `orders` READY delivery orders in the outbox."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from django.db import transaction
    from django.utils import timezone
    from order_push_benchmark import connect_shop, create_orders

    from backoffice.companies.models import Company
    from backoffice.inventory.models import Warehouse
    from backoffice.sales.models import DeliveryOrder
    from sendcloud.models import Integration, OrderOutbox, OrderPush

    for n, account in enumerate(accounts):
        company = Company.objects.create(name=f"Bench {n} GmbH")
        warehouse = Warehouse.objects.create(company=company, name="Lager", **BERLIN, country="DE")
        connect_shop(company, warehouse, account, n)
        with transaction.atomic():
            create_orders(company, warehouse, orders)  # empties the whole outbox
    # What order_outbox_enqueue writes for a READY order, in bulk: one at a time it took
    # 400 s for 20,000 orders (tests/sendcloud/test_order_push.py covers the one-by-one path).
    deliveries = list(DeliveryOrder.objects.select_related("company"))
    integrations = {i.company_id: i for i in Integration.objects.all()}
    now = timezone.now()
    OrderOutbox.objects.bulk_create(
        (OrderOutbox(delivery_order=d, integration=integrations[d.company_id],
                     kind=OrderOutbox.Kind.UPSERT, available_at=now) for d in deliveries),
        batch_size=2000,
    )  # fmt: skip
    OrderPush.objects.bulk_create(
        (OrderPush(delivery_order=d, integration=integrations[d.company_id], external_id=d.number)
         for d in deliveries),
        batch_size=2000,
    )  # fmt: skip
    assert OrderOutbox.objects.count() == len(accounts) * orders


def template_build(accounts: list, orders: int) -> float:
    """Build the back office for `accounts` once and keep it as the template; seconds taken."""
    began = time.perf_counter()
    fresh_database()
    companies_setup(accounts, orders)
    _admin(
        f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)",
        f"ALTER DATABASE {DB_NAME} RENAME TO {TEMPLATE_DB}",
    )
    return time.perf_counter() - began


def database_clone() -> None:
    """A fresh `verwaltung_bench` from the template: every round starts from the same rows."""
    _admin(
        f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)",
        f"CREATE DATABASE {DB_NAME} TEMPLATE {TEMPLATE_DB}",
    )


def orders_renumber(prefix: str) -> None:
    """Give this round's delivery orders (and their Sendcloud order ids) a prefix of their own,
    so orders an earlier round left at the sandbox are not counted for this one."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from backoffice.sales.models import DeliveryOrder
    from sendcloud.models import OrderPush

    DeliveryOrder.objects.update(number=Concat(Value(prefix), F("number")))
    OrderPush.objects.update(external_id=Concat(Value(prefix), F("external_id")))


def sandbox_orders(storage: Path, prefix: str) -> dict:
    """Orders of this round at the sandbox, read from its storage file (read-only)."""
    with contextlib.closing(sqlite3.connect(f"file:{storage}?mode=ro", uri=True)) as conn:
        rows, distinct, accounts = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT integration_id || ':' || order_id),"
            " COUNT(DISTINCT account_id) FROM orders WHERE order_id LIKE ?",
            (f"{prefix}%",),
        ).fetchone()
    return {"rows": rows, "distinct": distinct, "accounts": accounts}
