"""Walk every parcel of a big sandbox account through v3 `GET /shipments`: client vs raw httpx.

    .venv/bin/python benchmarks/parcel_walk.py               # 100,000 parcels
    .venv/bin/python benchmarks/parcel_walk.py --parcels 2000  # quick smoke run

Starts the sandbox on a free loopback port with temporary storage, rate limits off, seeds one
account, then walks all shipments at the maximum page size (100) twice: once through
`SendcloudClient.shipments()` (typed objects, call hook, retry policy) and once with bare httpx
calls that only decode JSON and follow the Link header. Prints time and request counts.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.app import create_app  # noqa: E402
from sandbox.testing import start_server  # noqa: E402
from sendcloud.client import SendcloudClient, Timeouts  # noqa: E402

PAGE_SIZE = 100
TIMEOUTS = Timeouts(connect=5, read=60, write=30, pool=10)


def seed_account(base_url: str, parcels: int) -> dict:
    with httpx.Client(base_url=base_url, timeout=TIMEOUTS.as_httpx()) as http:
        response = http.post(
            "/_sandbox/accounts", json={"parcels": parcels, "returns": 0, "invoices": 0, "seed": 1}
        )
        response.raise_for_status()
        return response.json()


def walk_with_client(base_url: str, account: dict) -> tuple[float, int, int]:
    calls = []
    started = time.perf_counter()
    with SendcloudClient(
        account["public_key"],
        account["secret_key"],
        base_url=base_url,
        timeout=TIMEOUTS,
        rate_limit=False,
        on_call=calls.append,
    ) as client:
        parcels = sum(len(s.parcels) for s in client.shipments(page_size=PAGE_SIZE))
    return time.perf_counter() - started, len(calls), parcels


def walk_raw(base_url: str, account: dict) -> tuple[float, int, int]:
    requests = parcels = 0
    started = time.perf_counter()
    auth = (account["public_key"], account["secret_key"])
    with httpx.Client(base_url=base_url, auth=auth, timeout=TIMEOUTS.as_httpx()) as http:
        params: dict[str, str] = {"page_size": str(PAGE_SIZE)}
        while True:
            response = http.get("/api/v3/shipments", params=params)
            response.raise_for_status()
            requests += 1
            parcels += sum(len(s["parcels"]) for s in response.json()["data"])
            link = response.links.get("next")
            if not link:
                break
            params = {**params, **dict(httpx.URL(link["url"]).params)}
    return time.perf_counter() - started, requests, parcels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    args = parser.parse_args()
    storage = Path(tempfile.mkdtemp(prefix="parcel-walk-"))
    app = create_app(storage / "sandbox.sqlite3", rate_limits=False)
    base_url, stop = start_server(app)
    try:
        started = time.perf_counter()
        account = seed_account(base_url, args.parcels)
        seeded = time.perf_counter() - started
        # The key pair sees its own integration's shipments only (reference v3 §6.5); the seed
        # puts about a tenth of the parcels on the account's second integration.
        own = app.extensions["sandbox"].store.one(
            "SELECT COUNT(*) FROM parcels WHERE integration_id = ?", (account["integration_id"],)
        )[0]
        print(
            f"sandbox {base_url}: seeded {args.parcels:,} parcels in {seeded:.1f} s,"
            f" {own:,} of them under the walking integration"
        )
        for label, walk in (("client", walk_with_client), ("raw httpx", walk_raw)):
            seconds, requests, parcels = walk(base_url, account)
            rate = parcels / seconds if seconds else float("inf")
            print(
                f"{label:>10}: {parcels:,} parcels, {requests:,} requests, {seconds:.2f} s "
                f"({rate:,.0f} parcels/s, {seconds / max(requests, 1) * 1000:.1f} ms/request)"
            )
            if parcels != own:
                print(f"  !! expected {own:,} parcels, walked {parcels:,}")
    finally:
        stop()
        app.extensions["sandbox"].close()
        shutil.rmtree(storage, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
