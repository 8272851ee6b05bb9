"""Abgleich at scale: first full sync, re-sync with nothing changed, re-sync after changes.

    .venv/bin/python benchmarks/sync_benchmark.py                   # 10,000 and 100,000 parcels
    .venv/bin/python benchmarks/sync_benchmark.py --parcels 5000 --small 1000   # quick run
    .venv/bin/python benchmarks/sync_benchmark.py --db postgres     # the local PostgreSQL

For each account size a sandbox process (rate limits off, own storage) is seeded with the
parcels, returns (10 %), invoices (1 %) and 25 sender addresses; a fresh Django process with a
throwaway database runs the sync through the real runner (ApiCall rows written as in production)
and reports requests, wall time and its peak RSS. For the big account it also walks the same
endpoints with a bare `SendcloudClient` (parse only, nothing stored) for the time ratio, then
re-syncs with nothing changed, then changes parcel statuses at the sandbox and re-syncs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _bench_util import (  # noqa: E402
    PYTHON,
    django_env,
    free_port,
    manage,
    temp_dir,
    throwaway_database,
)

SCRIPT = str(Path(__file__).resolve())


# -- the sandbox process -------------------------------------------------------------------------
def serve_sandbox(args) -> None:
    """Seed an account, add sender addresses up to --senders, serve until stdin closes."""
    from sandbox.app import create_app
    from sandbox.testing import start_server

    app = create_app(Path(args.storage), rate_limits=False)
    state = app.extensions["sandbox"]
    account = state.create_account(
        parcels=args.parcels, returns=args.returns, invoices=args.invoices, seed=1
    )
    store = state.store
    rows = store.query(
        "SELECT data FROM sender_addresses WHERE account_id = ? ORDER BY id", (account["id"],)
    )
    with store.write() as conn:
        for n in range(len(rows), args.senders):
            data = {**json.loads(rows[n % len(rows)][0]), "label": f"Lager {n + 1}"}
            new_id = store.next_ids(conn, "sender_addresses")
            conn.execute(
                "INSERT INTO sender_addresses (id, account_id, data) VALUES (?, ?, ?)",
                (new_id, account["id"], json.dumps(data)),
            )
    base_url, stop = start_server(app, port=args.port)
    print(json.dumps({"base_url": base_url, "account": account}), flush=True)
    sys.stdin.read()  # the parent closes stdin when it is done
    stop()
    state.close()


# -- the measuring Django process ----------------------------------------------------------------
def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(integration, client, *, full: bool) -> dict:
    from sendcloud.models import SyncRun
    from sendcloud.sync import sync_start
    from sendcloud.sync.runner import sync_run_execute

    run = sync_start(integration, _types(), queue=False, trigger=SyncRun.Trigger.CLI, full=full)
    started = time.perf_counter()
    run = sync_run_execute(run.pk, client=client)
    seconds = time.perf_counter() - started
    progress = run.progress
    return {
        "state": run.state,
        "seconds": round(seconds, 2),
        "requests": run.requests,
        "pages": sum(e["pages"] for e in progress.values()),
        "per_type": {
            t: {k: e[k] for k in ("mode", "pages", "created", "updated", "unchanged", "archived")}
            for t, e in progress.items()
        },
        "error": run.error,
    }


def _types():
    from sendcloud.models import ObjectType

    return list(ObjectType.values)


def bare_walk(client) -> tuple[float, int]:
    """The same endpoints, parsed by the client and thrown away: the floor for the sync."""
    calls = []
    stop_listening = client.transport.listen(calls.append)
    started = time.perf_counter()
    for _ in client.v2.brands():
        pass
    list(client.sender_addresses())
    client.v2.sender_addresses()
    client.shipping_options({})
    client.shipping_options({"functionalities": {"returns": True}})
    client.parcel_statuses()
    client.invoices()
    for _ in client.returns():
        pass
    for _ in client.shipments(page_size=100):
        pass
    seconds = time.perf_counter() - started
    stop_listening()
    return seconds, len(calls)


def measure(args) -> None:
    import django

    django.setup()
    import httpx

    from backoffice.companies.models import Company
    from sendcloud.clients import sendcloud_client
    from sendcloud.models import Integration, Parcel

    account = json.loads(args.account)
    company = Company.objects.create(name="Benchmark GmbH")
    integration = Integration(
        company=company,
        shop_name="Benchmark",
        state=Integration.State.CONNECTED,
        sendcloud_id=account["integration_id"],
        public_key=account["public_key"],
    )
    integration.secret_key = account["secret_key"]
    integration.save()
    client = sendcloud_client(
        integration.public_key,
        integration.secret_key,
        integration=integration,
        reference="benchmark",
        rate_limit=False,
    )
    out = {"first": _run(integration, client, full=True), "rss_mb_first": round(_rss_mb(), 1)}
    out["mirrored_parcels"] = Parcel.objects.filter(integration=integration).count()
    if not args.full_only:
        out["bare_seconds"], out["bare_requests"] = bare_walk(client)
        out["nothing_changed"] = _run(integration, client, full=False)
        ids = list(
            Parcel.objects.filter(integration=integration)
            .order_by("sendcloud_id")
            .values_list("sendcloud_id", flat=True)[: args.changed]
        )
        with httpx.Client(base_url=args.base_url, timeout=30) as control:
            for n, parcel_id in enumerate(ids):
                status = "DELIVERED" if n % 2 else "DELAYED"
                control.post(f"/_sandbox/parcels/{parcel_id}/status", json={"status": status})
        out["changed"] = _run(integration, client, full=False)
        out["rss_mb_end"] = round(_rss_mb(), 1)
    client.close()
    print(json.dumps(out))


# -- orchestration -------------------------------------------------------------------------------
def one_size(args, parcels: int, *, full_only: bool) -> dict:
    with temp_dir("sync-bench-") as tmp:
        volumes = [
            "--parcels", str(parcels), "--returns", str(max(parcels // 10, 1)),
            "--invoices", str(max(parcels // 100, 1)), "--senders", str(args.senders),
        ]  # fmt: skip
        sandbox = subprocess.Popen(
            [PYTHON, SCRIPT, "sandbox", "--storage", str(tmp / "sandbox.sqlite3"),
             "--port", str(free_port()), *volumes],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        try:
            seeded = json.loads(sandbox.stdout.readline())
            with throwaway_database(args.db, tmp) as database_url:
                env = django_env(
                    database_url,
                    tmp,
                    SENDCLOUD_BASE_URL=seeded["base_url"],
                    SENDCLOUD_TIMEOUT_SECONDS="60",
                )
                manage(env, "migrate", "--verbosity", "0")
                done = subprocess.run(
                    [PYTHON, SCRIPT, "measure", "--base-url", seeded["base_url"],
                     "--account", json.dumps(seeded["account"]), "--changed", str(args.changed),
                     *(["--full-only"] if full_only else [])],
                    env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600,
                )  # fmt: skip
                if done.returncode:
                    sys.exit(f"measuring failed:\n{done.stderr[-4000:]}")
                result = json.loads(done.stdout.strip().splitlines()[-1])
                result["seeded"] = seeded["account"]["seeded"]
                return result
        finally:
            sandbox.stdin.close()
            sandbox.wait(timeout=60)


def report(args, small: dict, big: dict) -> None:
    first = big["first"]
    per = first["per_type"]
    print(f"\nAbgleich benchmark ({args.db}; sandbox rate limits off; page size 100/40)")
    print(f"seeded: {big['seeded']} + {args.senders} sender addresses")
    print(f"shipping options mirrored: {per['shipping_methods']['created']}")
    print("\nfirst full sync")
    print(f"  requests        {first['requests']}  (pages {first['pages']}, "
          f"+{first['requests'] - first['pages']} others)")  # fmt: skip
    print(f"  wall time       {first['seconds']:.1f} s   state {first['state']}")
    print(f"  bare page walk  {big['bare_seconds']:.1f} s with {big['bare_requests']} requests")
    print(f"  ratio           {first['seconds'] / big['bare_seconds']:.2f}x  (target <= 1.5x)")
    print(f"  peak RSS        {small['rss_mb_first']:.0f} MB at {small['mirrored_parcels']:,} "
          f"parcels, {big['rss_mb_first']:.0f} MB at "
          f"{big['mirrored_parcels']:,} parcels")  # fmt: skip
    for name, title in (("nothing_changed", "re-sync, nothing changed"),
                        ("changed", f"re-sync after {args.changed} parcels changed")):  # fmt: skip
        result = big[name]
        print(f"\n{title}")
        print(f"  requests        {result['requests']}  wall time {result['seconds']:.2f} s")
        for object_type, entry in result["per_type"].items():
            print(f"    {object_type:<17} {entry['mode']:<12} pages {entry['pages']:>3}  "
                  f"updated {entry['updated']:>5}  created {entry['created']:>3}")  # fmt: skip
    naive = -(-big["mirrored_parcels"] // 100) + big["mirrored_parcels"]
    print(f"\nfor comparison: ceil(N/100) + N = {naive:,} requests for the parcels alone")
    print(json.dumps({"small": small, "big": big}), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    serve = sub.add_parser("sandbox")
    serve.add_argument("--storage", required=True)
    serve.add_argument("--port", type=int, required=True)
    for name, default in (("parcels", 0), ("returns", 0), ("invoices", 0), ("senders", 25)):
        serve.add_argument(f"--{name}", type=int, default=default)
    child = sub.add_parser("measure")
    child.add_argument("--base-url", required=True)
    child.add_argument("--account", required=True)
    child.add_argument("--changed", type=int, default=1000)
    child.add_argument("--full-only", action="store_true")
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=25)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    if args.mode == "sandbox":
        serve_sandbox(args)
    elif args.mode == "measure":
        measure(args)
    else:
        small = one_size(args, args.small, full_only=True)
        big = one_size(args, args.parcels, full_only=False)
        report(args, small, big)


if __name__ == "__main__":
    main()
