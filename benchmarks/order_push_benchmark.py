"""Order push at scale: N ready delivery orders through the backfill run, rate limits off and on.

    .venv/bin/python benchmarks/order_push_benchmark.py                 # 10,000 orders, SQLite
    .venv/bin/python benchmarks/order_push_benchmark.py --orders 500 --skip-rate-limited
    .venv/bin/python benchmarks/order_push_benchmark.py --db postgres   # the local PostgreSQL

A sandbox process (own storage, order processing delay 0) gets two accounts; a throwaway database
gets N READY delivery orders (bulk-created, outbox emptied) and one integration per account via
`integration_keys_save`. Run A: sandbox limits off, no client limiter (prepare + push rate).
Run B: the same orders to the second account through the production client (shared limiter),
sandbox's published limits on. Requests are each run's ApiCall rows; orders are counted at the
sandbox (control API count, order ids read from its storage file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402
from _bench_util import (  # noqa: E402
    django_env,
    machine_info,
    sandbox_serve,
    sandbox_start,
    temp_dir,
    throwaway_database,
)

SCRIPT = str(Path(__file__).resolve())
BATCH = 100  # v3 POST /orders takes 1–100 orders
WRITES_PER_MINUTE, WRITE_BURST = 100, 15  # published: 100 unsafe/min, at most 15 per second
ADDRESSES = [  # street, number, postal code, city, country (CH needs customs data)
    ("Hauptstraße", "5", "80331", "München", "DE"),
    ("Unter den Linden", "12a", "10117", "Berlin", "DE"),
    ("Jungfernstieg", "7", "20354", "Hamburg", "DE"),
    ("Mariahilfer Straße", "88", "1070", "Wien", "AT"),
    ("Damrak", "1", "1012 LG", "Amsterdam", "NL"),
    ("Bahnhofstrasse", "10", "8001", "Zürich", "CH"),
]
BERLIN = {"street": "Lagerstraße", "house_number": "1", "postal_code": "10115", "city": "Berlin"}


# -- the sandbox process -------------------------------------------------------------------------
def serve_sandbox(storage: str) -> None:
    sandbox_serve(storage, rate_limits=False)


def start_sandbox(storage: Path) -> tuple[subprocess.Popen, str]:
    return sandbox_start(SCRIPT, storage)


# -- rate-limit bounds ---------------------------------------------------------------------------
def bucket_bound(posts: int, burst: int, per_minute: float) -> float:
    """Seconds until the last of `posts` writes may go out from a full token bucket."""
    return max(posts - burst, 0) * 60 / per_minute


def sliding_window_bound(posts: int) -> float:
    """Earliest send time of the last write under sandbox/ratelimit.py's sliding windows:
    request k waits for k-15 to be 1 s old and k-100 to be 60 s old."""
    times = [0.0]
    for k in range(1, posts):
        second = times[k - WRITE_BURST] + 1 if k >= WRITE_BURST else 0.0
        minute = times[k - WRITES_PER_MINUTE] + 60 if k >= WRITES_PER_MINUTE else 0.0
        times.append(max(second, minute))
    return times[-1] if posts else 0.0


# -- setup in the throwaway database -------------------------------------------------------------
def connect_shop(company, warehouse, account: dict, n: int):
    from sendcloud.models import SenderAddress
    from sendcloud.services.connect import integration_keys_save
    from sendcloud.services.warehouse_addresses import warehouse_sender_addresses_save

    integration = integration_keys_save(
        company,
        public_key=account["public_key"],
        secret_key=account["secret_key"],
        shop_name=f"Benchmark Shop {n}",
    )
    address = SenderAddress.objects.create(
        integration=integration, sendcloud_id=9000 + n, **BERLIN, country="DE"
    )
    warehouse_sender_addresses_save(integration, {warehouse.pk: address.pk})
    return integration


def create_orders(company, warehouse, count: int) -> int:
    """`count` READY delivery orders with 1–3 lines each; returns the number of lines."""
    from django.utils import timezone

    from backoffice.inventory.models import Product
    from backoffice.sales.models import Customer, DeliveryOrder, DeliveryOrderLine, SalesOrder
    from backoffice.sales.models import ShippingMethod as Method
    from sendcloud.models import OrderOutbox

    rng = random.Random(1)
    method = Method.objects.create(
        company=company, code="DHL", name="DHL Paket", provider=Method.Provider.SENDCLOUD
    )
    products = Product.objects.bulk_create(
        Product(company=company, sku=f"SKU-{i:03d}", name=f"Artikel {i}", hs_code="61091000",
                weight_kg=Decimal("0.250") * (1 + i % 8), origin_country="DE",
                price=Decimal("4.95") + i)
        for i in range(40)
    )  # fmt: skip
    customers = Customer.objects.bulk_create(
        Customer(company=company, number=f"K{i:04d}", name=f"Kundin {i}", email=f"k{i}@example.com")
        for i in range(200)
    )
    sales = SalesOrder.objects.bulk_create(
        (SalesOrder(company=company, number=f"AU-{i:06d}", customer=customers[i % 200],
                    payment_status="paid" if i % 3 else "open") for i in range(count)),
        batch_size=1000,
    )  # fmt: skip
    created = timezone.now() - timedelta(days=3)
    deliveries = []
    for i, sale in enumerate(sales):
        street, number, postal, city, country = ADDRESSES[i % len(ADDRESSES)]
        deliveries.append(DeliveryOrder(
            company=company, number=f"LA-{i:06d}", sales_order=sale, warehouse=warehouse,
            shipping_method=method, state=DeliveryOrder.State.READY,
            contact_name=f"Kundin {i % 200}", street=street, house_number=number,
            postal_code=postal, city=city, country=country, email=f"k{i % 200}@example.com",
            created_at=created + timedelta(seconds=i),
        ))  # fmt: skip
    deliveries = DeliveryOrder.objects.bulk_create(deliveries, batch_size=1000)
    lines = [
        DeliveryOrderLine(delivery_order=delivery, product=product, quantity=rng.randint(1, 3),
                          weight_kg=product.weight_kg, value=product.price)
        for delivery in deliveries
        for product in rng.sample(products, rng.randint(1, 3))
    ]  # fmt: skip
    DeliveryOrderLine.objects.bulk_create(lines, batch_size=2000)
    OrderOutbox.objects.all().delete()  # signals/outbox are not what is measured
    return len(lines)


# -- one push run --------------------------------------------------------------------------------
def sandbox_orders(control: httpx.Client, storage: Path, account_id: int) -> tuple[int, list]:
    """The control API's count, and the order ids from the sandbox's storage (it lists <= 500)."""
    count = control.get(f"/accounts/{account_id}/counts").raise_for_status().json()["orders"]
    with contextlib.closing(sqlite3.connect(f"file:{storage}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT order_id FROM orders WHERE account_id = ?", (account_id,))
        return count, [row[0] for row in rows]


def push_run(integration, control: httpx.Client, account: dict, storage, *, client=None) -> dict:
    from django.utils import timezone

    from backoffice.sales.models import DeliveryOrder
    from sendcloud.models import ApiCall
    from sendcloud.services.orders.runs import order_push_run_execute, order_push_run_start

    first_call = ApiCall.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    since = timezone.localdate() - timedelta(days=30)
    started = time.perf_counter()
    run = order_push_run_start(integration, queue=False, since=since)
    run = order_push_run_execute(run.pk, client=client)
    wall = time.perf_counter() - started
    calls = ApiCall.objects.filter(pk__gt=first_call)
    count, order_ids = sandbox_orders(control, storage, account["id"])
    numbers = set(DeliveryOrder.objects.values_list("number", flat=True))
    return {
        "state": run.state,
        "error": run.error,
        "counts": run.counts,
        "wall_s": wall,
        "requests": calls.count(),
        "posts": calls.filter(method="POST", path__endswith="/orders").count(),
        "http_429": calls.filter(status_code=429).count(),
        "at_sandbox": count,
        "stored_rows": len(order_ids),
        "distinct": len(set(order_ids)),
        "missing": len(numbers - set(order_ids)),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(args, base_url: str, tmp: Path, database_url: str) -> dict:
    os.environ.update(
        django_env(database_url, tmp, SENDCLOUD_BASE_URL=base_url, SENDCLOUD_TIMEOUT_SECONDS="60",
                   PUBLIC_BASE_URL="http://127.0.0.1:8000")
    )  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    from backoffice.companies.models import Company
    from backoffice.inventory.models import Warehouse
    from sendcloud.client.ratelimit import shared_limiter
    from sendcloud.clients import client_for

    call_command("migrate", verbosity=0)
    control = httpx.Client(base_url=f"{base_url}/_sandbox", timeout=120)
    control.post("/rate-limits", json={"enabled": False}).raise_for_status()
    control.post("/orders/settings", json={"processing_seconds": 0}).raise_for_status()
    accounts = []
    for _ in range(1 if args.skip_rate_limited else 2):
        response = control.post("/accounts", json={"parcels": 0, "returns": 0, "invoices": 0})
        accounts.append(response.raise_for_status().json())
    company = Company.objects.create(name="Benchmark GmbH")
    warehouse = Warehouse.objects.create(
        company=company, code="W1", name="Lager Berlin", **BERLIN, country="DE"
    )
    # Both shops are connected up front, so run B starts with a full client-side write bucket.
    shops = [connect_shop(company, warehouse, a, n) for n, a in enumerate(accounts, 1)]
    began = time.perf_counter()
    lines = create_orders(company, warehouse, args.orders)
    out = {"lines": lines, "setup_s": time.perf_counter() - began, "runs": {}}
    run_a = (shops[0], control, accounts[0], args.storage)
    bare = client_for(shops[0], reference="order push", rate_limit=False)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        out["runs"]["A"] = profiler.runcall(push_run, *run_a, client=bare)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    else:
        out["runs"]["A"] = push_run(*run_a, client=bare)
    bare.close()
    if not args.skip_rate_limited:
        control.post("/rate-limits", json={"enabled": True}).raise_for_status()  # also resets
        try:  # client=None: the production client with its shared limiter
            out["runs"]["B"] = push_run(shops[1], control, accounts[1], args.storage)
        finally:
            control.post("/rate-limits", json={"enabled": False})
        out["runs"]["B"]["limiter_wait_s"] = shared_limiter(shops[1].public_key).waited_seconds
    control.close()
    return out


# -- report --------------------------------------------------------------------------------------
def report(args, out: dict) -> bool:
    n, target = args.orders, math.ceil(args.orders / BATCH)
    print(f"\nOrder push benchmark: {n:,} READY delivery orders, {out['lines']:,} lines, {args.db}")
    print(f"(setup: bulk create {out['setup_s']:.1f} s; one process, sandbox in another)\n")
    head = f"{'run':<22}{'state':>6}{'requests':>9}{'POST':>6}{'429':>5}{'wall s':>9}"
    print(head + f"{'orders/s':>10}{'RSS MB':>8}{'at sandbox':>12}{'distinct':>10}")
    ok = True
    titles = {"A": "A rate limits off", "B": "B rate limits on"}
    for key, run in out["runs"].items():
        print(f"{titles[key]:<22}{run['state']:>6}{run['requests']:>9}{run['posts']:>6}"
              f"{run['http_429']:>5}{run['wall_s']:>9.2f}{n / run['wall_s']:>10.0f}"
              f"{run['rss_mb']:>8.0f}{run['at_sandbox']:>12,}{run['distinct']:>10,}")  # fmt: skip
        ok = ok and run["at_sandbox"] == run["stored_rows"] == run["distinct"] == n
        ok = ok and not run["missing"] and run["state"] == "succeeded"
        if run["missing"]:
            print(f"  {run['missing']} delivery orders are missing at the sandbox")
        if run["error"]:
            print(f"  error: {run['error'][:300]}")
        if run["counts"].get("created") != n:
            print(f"  outcomes: {run['counts']}")
    run_a = out["runs"]["A"]
    print(f"\nrequests: target ceil(N/100) = {target} POST /orders; run A used {run_a['posts']} "
          f"({run_a['requests']} requests in all)")  # fmt: skip
    if "B" in out["runs"]:
        run_b = out["runs"]["B"]
        posts = run_b["posts"] - run_b["http_429"]
        per_batch = run_a["wall_s"] / max(run_a["posts"], 1)
        rate = bucket_bound(posts, WRITE_BURST, WRITES_PER_MINUTE)
        bound = max(rate + per_batch, run_a["wall_s"])
        print(f"rate-limited bound for {posts} POSTs (published 100/min, burst 15, as a token "
              f"bucket):\n  max(({posts} - 15) x 0.6 s = {rate:.2f} s + one batch's own work "
              f"{per_batch:.2f} s, run A {run_a['wall_s']:.2f} s) = {bound:.2f} s")  # fmt: skip
        print(f"  measured {run_b['wall_s']:.2f} s -> ratio {run_b['wall_s'] / bound:.3f} "
              f"(target <= 1.1); client limiter waited {run_b['limiter_wait_s']:.1f} s; "
              f"429s {run_b['http_429']}")  # fmt: skip
        window = sliding_window_bound(posts)
        print(f"  for comparison: the sandbox's sliding windows (sandbox/ratelimit.py) alone "
              f"would allow the last POST at {window:.2f} s")  # fmt: skip
    print("\nmachine")
    for key, value in machine_info().items():
        print(f"  {key:<14} {value}")
    print(json.dumps(out, default=str), file=sys.stderr)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=("sandbox",), help=argparse.SUPPRESS)
    parser.add_argument("--storage", help=argparse.SUPPRESS)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--skip-rate-limited", action="store_true", help="only run A")
    parser.add_argument("--profile", action="store_true", help="cProfile run A (slower)")
    args = parser.parse_args()
    if args.mode == "sandbox":
        serve_sandbox(args.storage)
        return
    with temp_dir("order-push-bench-") as tmp:
        args.storage = tmp / "sandbox.sqlite3"
        sandbox, base_url = start_sandbox(args.storage)
        try:
            with throwaway_database(args.db, tmp) as database_url:
                out = measure(args, base_url, tmp, database_url)
                from django.db import connections

                connections.close_all()  # so the throwaway PostgreSQL database can be dropped
        finally:
            sandbox.stdin.close()
            try:
                sandbox.wait(timeout=60)
            except subprocess.TimeoutExpired:
                sandbox.kill()
    sys.exit(0 if report(args, out) else 1)


if __name__ == "__main__":
    main()
