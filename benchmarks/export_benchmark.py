"""Report exports: the Pakete report of N parcels as CSV and as Excel, German and English.

    .venv/bin/python benchmarks/export_benchmark.py     # 1,755 parcels, as in the walk
    .venv/bin/python benchmarks/export_benchmark.py --parcels 10000

A throwaway SQLite database (DEBUG off) holds one company with N parcels, a third of them with
a delivery order; each export is one request through Django's test client, as a user downloads
it. Prints wall time, bytes and database queries per export; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _bench_util import django_env, temp_dir  # noqa: E402


def seed(count: int):
    from django.utils import timezone

    from backoffice.companies.models import Company, User
    from backoffice.companies.roles import MANAGEMENT
    from backoffice.sales.models import DeliveryOrder
    from sendcloud.models import Carrier, Integration, Parcel
    from tests.factories import DeliveryOrderFactory, ShippingMethodFactory, WarehouseFactory

    company = Company.objects.create(name="Bench GmbH")
    integration = Integration.objects.create(
        company=company, shop_name="Bench", state=Integration.State.CONNECTED, sendcloud_id=1
    )
    for code, name in (("dhl", "DHL"), ("gls_de", "GLS"), ("dpd", "DPD")):
        Carrier.objects.create(integration=integration, code=code, name=name)
    warehouse = WarehouseFactory(company=company)
    method = ShippingMethodFactory(company=company)
    numbers = [f"LA-{n:05d}" for n in range(count // 3)]
    for number in numbers:
        DeliveryOrderFactory(
            company=company, number=number, warehouse=warehouse, shipping_method=method
        )
    start = timezone.now()
    statuses = ("DELIVERED", "ANNOUNCED", "SHIPMENT_ON_ROUTE")
    Parcel.objects.bulk_create(
        Parcel(
            integration=integration, sendcloud_id=100_000 + n, tracking_number=f"TRK{n:08d}",
            status_code=statuses[n % 3], carrier_code=("dhl", "gls_de", "dpd")[n % 3],
            shipping_method="gls_de:shop_delivery", order_number=f"LA-{n:05d}",
            to_name="Erika Mustermann", to_city="Berlin", to_country="DE",
            weight_kg=Decimal("3.100") + n % 7, sendcloud_created_at=start - timedelta(minutes=n),
            raw={"id": 100_000 + n, "parcels": [{"items": [{"description": "x" * 40}] * 5}]},
        )
        for n in range(count)
    )  # fmt: skip
    user = User.objects.create_user("bench", password="bench-pw-1", company=company, is_staff=True)
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=MANAGEMENT))
    assert DeliveryOrder.objects.filter(company=company).count() == len(numbers)
    return integration, user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=1755)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with temp_dir("export-bench-") as var_dir:
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
        integration, user = seed(args.parcels)
        client = Client()
        client.force_login(user)
        url = reverse("sendcloud:report", args=[integration.pk, "parcels"])
        print(f"Pakete report, {args.parcels:,} parcels, best of {args.repeat}:")
        figures = {"parcels": args.parcels}
        for language in ("de", "en"):
            for fmt in ("csv", "xlsx"):
                best, size, queries = None, 0, 0
                for _ in range(args.repeat):
                    with CaptureQueriesContext(connection) as captured:
                        began = time.perf_counter()
                        response = client.get(
                            url, {"export": fmt}, headers={"accept-language": language}
                        )
                        took = time.perf_counter() - began
                    assert response.status_code == 200, response.status_code
                    best = took if best is None else min(best, took)
                    size, queries = len(response.content), len(captured)
                print(
                    f"  {language} {fmt:4}  {best:6.2f} s  {size / 1024:8.0f} KB  "
                    f"{queries} queries (with the login's)"
                )
                figures[f"{language}_{fmt}_seconds"] = round(best, 3)
        print(json.dumps(figures), file=sys.stderr)


if __name__ == "__main__":
    main()
