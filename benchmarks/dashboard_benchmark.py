"""The Sendcloud dashboard (Berichte → Lager → Sendcloud → Dashboard) with many mirrored parcels.

    .venv/bin/python benchmarks/dashboard_benchmark.py                 # 100,000 parcels
    .venv/bin/python benchmarks/dashboard_benchmark.py --parcels 20000 --runs 5

A throwaway SQLite database (DEBUG off, as in the other benchmarks) holds one company with N
mirrored parcels over the last 60 days (a realistic status and carrier mix), labels of the last
30 days, outbox entries, webhooks (most processed after a few seconds, some failed), failed sync
runs; a second company's parcels sit beside them (the page must not count them). The page is
fetched logged in through Django's test client, German, several times. Prints the median and
p95 wall time and the query count; the target is ≤ 300 ms. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _bench_util import django_env, temp_dir  # noqa: E402

# Status codes as a month of real parcels spreads them: most delivered, some on the way.
STATUS_MIX = (
    ("DELIVERED", 60), ("SHIPMENT_ON_ROUTE", 10), ("ANNOUNCED", 8), ("SORTED", 5),
    ("READY_TO_SEND", 5), ("AWAITING_CUSTOMER_PICKUP", 4), ("DELIVERY_FAILED", 2),
    ("RETURNED_TO_SENDER", 2), ("CANCELLED", 2), ("EXCEPTION", 1), ("AT_CUSTOMS", 1),
)  # fmt: skip
CARRIER_MIX = (("dhl", 45), ("dpd", 25), ("gls_de", 15), ("ups", 10), ("postnl", 5))


def _spread(mix):
    return [code for code, weight in mix for _n in range(weight)]


def seed(count: int, labels: int, webhooks: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from backoffice.companies.models import Company, User
    from backoffice.companies.roles import READING
    from sendcloud.models import (
        Carrier,
        Integration,
        Label,
        OrderOutbox,
        Parcel,
        Shipment,
        SyncRun,
        WebhookEvent,
    )  # fmt: skip
    from tests.factories import DeliveryOrderFactory, ShippingMethodFactory, WarehouseFactory

    now = timezone.now()
    statuses, carriers = _spread(STATUS_MIX), _spread(CARRIER_MIX)
    companies = []
    for name, parcels in (("Bench GmbH", count), ("Nachbar GmbH", count // 10)):
        company = Company.objects.create(name=name)
        integration = Integration.objects.create(
            company=company, shop_name=name, state=Integration.State.CONNECTED,
            sendcloud_id=len(companies) + 1,
        )  # fmt: skip
        for code, label in (("dhl", "DHL"), ("dpd", "DPD"), ("gls_de", "GLS"), ("ups", "UPS"),
                            ("postnl", "PostNL")):  # fmt: skip
            Carrier.objects.create(integration=integration, code=code, name=label)
        Parcel.objects.bulk_create(
            (
                Parcel(
                    integration=integration, sendcloud_id=n + 1, tracking_number=f"TRK{n:08d}",
                    status_code=statuses[(n * 7) % len(statuses)],
                    carrier_code=carriers[(n * 3) % len(carriers)],
                    to_country="DE", weight_kg=Decimal("1.250"),
                    sendcloud_created_at=now - timedelta(minutes=n * 60 * 24 * 60 // parcels),
                    raw={"id": n + 1},
                )
                for n in range(parcels)
            ),
            batch_size=5000,
        )  # fmt: skip
        companies.append((company, integration))
    company, integration = companies[0]
    warehouse = WarehouseFactory(company=company)
    method = ShippingMethodFactory(company=company)
    deliveries = [
        DeliveryOrderFactory(company=company, warehouse=warehouse, shipping_method=method)
        for _n in range(labels + 200)
    ]
    Shipment.objects.bulk_create(
        Shipment(
            delivery_order=delivery, integration=integration, generation="v3", mode="announce",
            external_reference=f"bench-{n}", state="live" if n % 20 else "cancelled",
            carrier_code=carriers[n % len(carriers)], price=Decimal("4.49") + n % 5,
            currency="EUR", needs_attention=n % 97 == 0,
        )
        for n, delivery in enumerate(deliveries[:labels])
    )  # fmt: skip
    shipments = list(Shipment.objects.filter(integration=integration).order_by("pk"))
    Label.objects.bulk_create(Label(shipment=s, sendcloud_parcel_id=s.pk) for s in shipments)
    for day in range(30):
        Shipment.objects.filter(pk__in=[s.pk for s in shipments[day::30]]).update(
            created_at=now - timedelta(days=day, hours=1)
        )
    OrderOutbox.objects.filter(integration=integration).delete()
    OrderOutbox.objects.bulk_create(
        OrderOutbox(delivery_order=d, integration=integration, available_at=now, attempts=n % 3)
        for n, d in enumerate(deliveries[labels:])
    )
    states = ["processed"] * 18 + ["received", "failed"]
    WebhookEvent.objects.bulk_create(
        (
            WebhookEvent(
                integration=integration, company_id_hint=company.pk, headers={}, raw_body=b"{}",
                action="parcel_status_changed", signature="valid", state=states[n % 20],
                reason="Parcel unknown" if states[n % 20] == "failed" else "",
            )
            for n in range(webhooks)
        ),
        batch_size=5000,
    )  # fmt: skip
    events = list(WebhookEvent.objects.values_list("pk", flat=True).order_by("pk"))
    for day in range(30):
        received = now - timedelta(days=day, hours=2)
        chosen = events[day::30]
        WebhookEvent.objects.filter(pk__in=chosen).update(received_at=received)
        WebhookEvent.objects.filter(pk__in=chosen, state="processed").update(
            processed_at=received + timedelta(seconds=1 + day % 5)
        )
    for n in range(10):
        SyncRun.objects.create(
            integration=integration, trigger="manual", state="failed", error=f"Timeout {n}"
        )
    user = User.objects.create_user("bench", password="bench-pw-1", company=company, is_staff=True)
    user.groups.add(Group.objects.get(name=READING))
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--labels", type=int, default=3000)
    parser.add_argument("--webhooks", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with temp_dir("dashboard-bench-") as var_dir:
        os.environ.update(django_env(f"sqlite:///{var_dir / 'bench.sqlite3'}", var_dir))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        setup_test_environment()
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        user = seed(args.parcels, args.labels, args.webhooks)
        print(
            f"Seeded {args.parcels:,} parcels (+{args.parcels // 10:,} of another company), "
            f"{args.labels:,} labels, {args.webhooks:,} webhooks "
            f"in {time.perf_counter() - began:.1f} s"
        )
        client = Client()
        client.force_login(user)
        url = reverse("sendcloud:dashboard")
        client.get(url, headers={"accept-language": "de"})  # warm: templates, translations
        times, queries = [], 0
        for _run in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, headers={"accept-language": "de"})
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        for query in slowest:
            print(f"  slowest query of the last run: {float(query['time']) * 1000:.0f} ms  "
                  f"{query['sql'][:150]}")  # fmt: skip
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        median = statistics.median(times)
        print(
            f"Dashboard, {args.runs} runs: median {median:.0f} ms, p95 {p95:.0f} ms, "
            f"{queries} queries (with the session's and the user's); target ≤ 300 ms"
        )
        print(
            json.dumps(
                {"parcels": args.parcels, "median_ms": round(median, 1), "p95_ms": round(p95, 1),
                 "queries": queries}
            ),
            file=sys.stderr,
        )  # fmt: skip


if __name__ == "__main__":
    main()
