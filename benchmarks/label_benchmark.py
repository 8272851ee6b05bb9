"""Labels at scale: requests per shipment, wall time with the published limits on (one and two
worker processes sharing the account's budget) and off, and merging 500 labels into one PDF.

    .venv/bin/python benchmarks/label_benchmark.py                      # 1,000 + 100×3 parcels
    .venv/bin/python benchmarks/label_benchmark.py --singles 200 --multis 20 --limited 60

A sandbox process (own storage) serves every run over HTTP; a throwaway SQLite database holds
the delivery orders; each account's options, routes and prices come from a real Abgleich of
shipping methods and routes. Run "off": sandbox limits off, client limiter off, labels/s.
Runs "1 worker" and "2 workers": a fresh account each, sandbox limits on, the production client
with the shared SQLite-backed limiter (SENDCLOUD_RATE_LIMIT_STORAGE), wall time against the
sliding-window bound of the writes sent, and the 429s seen. Requests are ApiCall rows. Merges
run in a child process each, so peak RSS is the merge's own. Prints figures; asserts nothing
about time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402
from _bench_util import PYTHON, django_env, temp_dir, throwaway_database  # noqa: E402
from order_push_benchmark import sliding_window_bound, start_sandbox  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
BERLIN = {"street": "Lagerstraße", "house_number": "1", "postal_code": "10115", "city": "Berlin"}


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def connect_shop(company, warehouse, account: dict, n: int):
    from backoffice.sales.models import ShippingMethod
    from sendcloud.clients import client_for
    from sendcloud.models import (
        Integration,
        SenderAddress,
        ShippingMethodOption,
        ShippingOption,
        SyncRun,
        WarehouseSenderAddress,
    )
    from sendcloud.sync import sync_start
    from sendcloud.sync.runner import sync_run_execute

    integration = Integration(
        company=company, shop_name=f"Bench {n}", state=Integration.State.CONNECTED,
        sendcloud_id=account["integration_id"], public_key=account["public_key"],
    )  # fmt: skip
    integration.secret_key = account["secret_key"]
    integration.save()
    with client_for(integration, rate_limit=False) as client:
        sender_id = next(iter(client.sender_addresses())).id
    sender = SenderAddress.objects.create(
        integration=integration, sendcloud_id=sender_id, country="DE", **BERLIN
    )
    WarehouseSenderAddress.objects.create(
        integration=integration, warehouse=warehouse, sender_address=sender
    )
    # Options, routes and prices as the Abgleich learns them (nothing pre-loaded).
    run = sync_start(integration, ["shipping_methods", "routes"], trigger="cli", queue=False)
    if sync_run_execute(run.pk).state != "succeeded":
        sys.exit(f"the Abgleich failed: {SyncRun.objects.get(pk=run.pk).error}")
    option = ShippingOption.objects.get(integration=integration, code="dhl:paket")
    method = ShippingMethod.objects.get(company=company, code="DHL")
    ShippingMethodOption.objects.create(
        shipping_method=method, integration=integration, shipping_option=option
    )
    return integration


def create_orders(company, warehouse, prefix: str, singles: int, multis: int) -> list[int]:
    from backoffice.inventory.models import Product
    from backoffice.sales.models import (
        Customer,
        DeliveryOrder,
        DeliveryOrderLine,
        Package,
        SalesOrder,
        ShippingMethod,
    )

    method = ShippingMethod.objects.get(company=company, code="DHL")
    product = Product.objects.get(company=company, sku="SKU-1")
    customer = Customer.objects.get(company=company, number="K-1")
    total = singles + multis
    sales = SalesOrder.objects.bulk_create(
        SalesOrder(company=company, number=f"{prefix}AU-{i}", customer=customer)
        for i in range(total)
    )
    deliveries = DeliveryOrder.objects.bulk_create(
        DeliveryOrder(
            company=company, number=f"{prefix}LA-{i}", sales_order=sales[i], warehouse=warehouse,
            shipping_method=method, state="ready", contact_name="Erika Mustermann",
            street="Hauptstraße", house_number="5", postal_code="80331", city="München",
            country="DE",
        )
        for i in range(total)
    )  # fmt: skip
    DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(delivery_order=d, product=product, quantity=2,
                          weight_kg=Decimal("0.4"), value=Decimal("19.90"))
        for d in deliveries
    )  # fmt: skip
    Package.objects.bulk_create(
        Package(delivery_order=d, weight_kg=Decimal(w))
        for d in deliveries[singles:]
        for w in ("1.2", "2.4", "3.1")
    )
    return [d.pk for d in deliveries]


def label_all(integration, ids: list[int], *, bare: bool) -> dict:
    """Create every label; `bare`: no client limiter (run "off")."""
    from backoffice.sales.models import DeliveryOrder
    from sendcloud.client import SendcloudError
    from sendcloud.clients import client_for
    from sendcloud.errors import ApplicationError
    from sendcloud.services.labels import delivery_order_label_create

    options = {"rate_limit": False} if bare else {}
    failed = 0
    began = time.perf_counter()
    with client_for(integration, reference="benchmark", **options) as client:
        for delivery in DeliveryOrder.objects.filter(pk__in=ids).order_by("pk"):
            try:
                delivery_order_label_create(delivery, integration, client=client)
            except (ApplicationError, SendcloudError):
                failed += 1
    return {"seconds": time.perf_counter() - began, "failed": failed}


def calls_of(integration, since_id: int = 0) -> dict:
    from django.db.models import Count

    from sendcloud.models import ApiCall

    rows = ApiCall.objects.filter(integration=integration, pk__gt=since_id)
    # The Abgleich's option and route reads at connect time are POSTs too, but no label writes.
    rows = rows.exclude(path__endswith="/shipping-options")
    by = {
        (r["method"], r["status_code"]): r["n"]
        for r in rows.values("method", "status_code").annotate(n=Count("id"))
    }
    writes = sum(n for (m, _s), n in by.items() if m != "GET")
    stamps = list(
        rows.exclude(method="GET").order_by("created_at").values_list("created_at", flat=True)
    )
    span = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0
    return {"total": sum(by.values()), "writes": writes, "write_span_s": span,
            "429": sum(n for (_m, s), n in by.items() if s == 429)}  # fmt: skip


# -- child processes -----------------------------------------------------------------------------
def worker_main(args) -> None:
    setup_django(json.loads(args.env))
    from sendcloud.models import Integration

    integration = Integration.objects.get(pk=args.integration)
    ids = [int(i) for i in args.ids.split(",") if i]
    print(json.dumps(label_all(integration, ids, bare=False)), flush=True)


def merge_main(args) -> None:
    setup_django(json.loads(args.env))
    from sendcloud.models import Label
    from sendcloud.services.labels import labels_merge

    labels = Label.objects.exclude(label_pdf="").order_by("pk")[: args.count]
    began = time.perf_counter()
    with open(args.out, "wb") as out:
        pages = labels_merge(labels.iterator(), out, paper=args.paper)
    seconds = time.perf_counter() - began
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "seconds": seconds, "peak_rss_mb": rss,
                      "bytes": os.path.getsize(args.out)}), flush=True)  # fmt: skip


def child(*argv: str) -> dict:
    out = subprocess.run(
        [PYTHON, SCRIPT, *argv], capture_output=True, text=True, cwd=ROOT, timeout=3600
    )
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the runs ------------------------------------------------------------------------------------
def measure(args, base_url: str, tmp: Path, database_url: str) -> dict:
    env = django_env(
        database_url, tmp, SENDCLOUD_BASE_URL=base_url, SENDCLOUD_TIMEOUT_SECONDS="60",
        SENDCLOUD_RATE_LIMIT_STORAGE=f"sqlite:///{tmp / 'ratelimit.sqlite3'}",
        SENDCLOUD_LABEL_POLL_SECONDS="0.5",
    )  # fmt: skip
    setup_django(env)
    from django.core.management import call_command

    from backoffice.companies.models import Company
    from backoffice.inventory.models import Product, Warehouse
    from backoffice.sales.models import Customer, ShippingMethod

    call_command("migrate", verbosity=0)
    control = httpx.Client(base_url=f"{base_url}/_sandbox", timeout=120)
    control.post("/rate-limits", json={"enabled": False}).raise_for_status()
    control.post("/progression", json={"announce_seconds": 0.2}).raise_for_status()
    company = Company.objects.create(name="Benchmark GmbH")
    warehouse = Warehouse.objects.create(
        company=company, code="W1", name="Lager Berlin", **BERLIN, country="DE"
    )
    ShippingMethod.objects.create(company=company, code="DHL", name="DHL Paket")
    Product.objects.create(
        company=company, sku="SKU-1", name="Artikel", weight_kg=Decimal("0.4"),
        hs_code="61091000", origin_country="DE", price=Decimal("19.90"),
    )  # fmt: skip
    Customer.objects.create(company=company, number="K-1", name="Erika Mustermann")

    def account():
        body = {"parcels": 0, "returns": 0, "invoices": 0}
        return control.post("/accounts", json=body).raise_for_status().json()

    out: dict = {}
    # Run "off": no limits anywhere.
    shop = connect_shop(company, warehouse, account(), 1)
    singles = create_orders(company, warehouse, "A", args.singles, 0)
    multis = create_orders(company, warehouse, "B", 0, args.multis)
    mark = calls_of(shop)["total"]
    run = label_all(shop, singles, bare=True)
    single_calls = calls_of(shop)
    run_multi = label_all(shop, multis, bare=True)
    all_calls = calls_of(shop)
    out["off"] = {
        "singles": args.singles, "multis": args.multis,
        "failed": run["failed"] + run_multi["failed"],
        "single_s": run["seconds"], "multi_s": run_multi["seconds"],
        "requests_per_single": (single_calls["total"] - mark) / max(args.singles, 1),
        "requests_per_multi": (all_calls["total"] - single_calls["total"]) / max(args.multis, 1),
    }  # fmt: skip
    # Runs with the published limits on, one and two worker processes on one account each.
    for workers in (1, 2):
        control.post("/rate-limits", json={"enabled": True}).raise_for_status()
        shop = connect_shop(company, warehouse, account(), 1 + workers)
        ids = create_orders(company, warehouse, f"W{workers}", args.limited, 0)
        shares = [ids[i::workers] for i in range(workers)]
        began = time.perf_counter()
        procs = [
            subprocess.Popen(
                [
                    PYTHON,
                    SCRIPT,
                    "worker",
                    "--env",
                    json.dumps(env),
                    "--integration",
                    str(shop.pk),
                    "--ids",
                    ",".join(map(str, share)),
                ],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )  # fmt: skip
            for share in shares
        ]
        results = [
            json.loads(p.communicate(timeout=3600)[0].strip().splitlines()[-1]) for p in procs
        ]
        wall = time.perf_counter() - began
        calls = calls_of(shop)
        out[f"on_{workers}"] = {
            "labels": args.limited, "wall_s": wall, "writes": calls["writes"],
            "write_span_s": calls["write_span_s"],
            "bound_s": sliding_window_bound(calls["writes"]), "429": calls["429"],
            "failed": sum(r["failed"] for r in results), "requests": calls["total"],
        }  # fmt: skip
        control.post("/rate-limits", json={"enabled": False}).raise_for_status()
    control.close()
    for count in (100, args.merge):
        for paper in ("a6", "a4"):
            out[f"merge_{count}_{paper}"] = child(
                "merge", "--env", json.dumps(env), "--count", str(count), "--paper", paper,
                "--out", str(tmp / f"merged-{count}-{paper}.pdf"),
            )  # fmt: skip
    return out


def report(out: dict) -> None:
    off = out["off"]
    print("Labels — figures of one run (sandbox over HTTP, SQLite)")
    print(f"  requests per shipment: single parcel {off['requests_per_single']:.2f}, "
          f"3-parcel {off['requests_per_multi']:.2f}")  # fmt: skip
    print(f"  limits off: {off['singles']} single-parcel labels in {off['single_s']:.1f} s "
          f"({off['singles'] / max(off['single_s'], 1e-9):.1f} labels/s); {off['multis']} "
          f"3-parcel in {off['multi_s']:.1f} s; failed {off['failed']}")  # fmt: skip
    for workers in (1, 2):
        run = out[f"on_{workers}"]
        ratio = run["write_span_s"] / run["bound_s"] if run["bound_s"] else float("nan")
        print(f"  limits on, {workers} worker process(es): {run['labels']} labels, "
              f"{run['writes']} writes; first to last write {run['write_span_s']:.1f} s, "
              f"bound {run['bound_s']:.1f} s → {ratio:.2f}×; wall incl. process start "
              f"{run['wall_s']:.1f} s; 429s: {run['429']}; failed {run['failed']}")  # fmt: skip
    for key, merge in out.items():
        if key.startswith("merge_"):
            _m, count, paper = key.split("_")
            print(f"  merge {count} labels ({paper.upper()}): {merge['pages']} pages in "
                  f"{merge['seconds']:.2f} s, peak RSS {merge['peak_rss_mb']:.0f} MB, "
                  f"{merge['bytes'] / 1e6:.1f} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=("sandbox", "worker", "merge"))
    parser.add_argument("--storage", help=argparse.SUPPRESS)
    parser.add_argument("--env", help=argparse.SUPPRESS)
    parser.add_argument("--integration", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paper", default="a6", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--multis", type=int, default=100)
    parser.add_argument("--limited", type=int, default=300, help="labels per limits-on run")
    parser.add_argument("--merge", type=int, default=500)
    args = parser.parse_args()
    if args.mode == "sandbox":
        from order_push_benchmark import serve_sandbox

        serve_sandbox(args.storage)
        return
    if args.mode == "worker":
        worker_main(args)
        return
    if args.mode == "merge":
        merge_main(args)
        return
    with temp_dir("label-bench-") as tmp:
        args.storage = tmp / "sandbox.sqlite3"
        sandbox, base_url = start_sandbox(args.storage)
        try:
            with throwaway_database("sqlite", tmp) as database_url:
                out = measure(args, base_url, tmp, database_url)
        finally:
            sandbox.stdin.close()
            try:
                sandbox.wait(timeout=60)
            except subprocess.TimeoutExpired:
                sandbox.kill()
    report(out)


if __name__ == "__main__":
    main()
