"""The Abgleich learns routes: option × from-country × to-country with bands, from the sandbox."""

from decimal import Decimal

import pytest

from sendcloud.models import ShippingRoute, SyncRun
from sendcloud.sync.routes import route_pairs
from tests.factories import CustomerAddressFactory, CustomerFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping_world(company, sandbox_integration):
    WarehouseFactory(company=company, country="DE")
    customer = CustomerFactory(company=company)
    CustomerAddressFactory(customer=customer, country="CH", postal_code="8001", city="Zürich")
    return sandbox_integration


def test_route_pairs_go_from_each_warehouse_country_to_each_destination(shipping_world):
    assert route_pairs(shipping_world) == [("DE", "CH"), ("DE", "DE")]


def test_sync_learns_routes_with_weight_bands_prices_and_requirements(shipping_world, sync):
    run = sync(shipping_world, ["routes"])
    assert run.state == SyncRun.State.SUCCEEDED, run.error
    to_ch = ShippingRoute.objects.filter(integration=shipping_world, to_country="CH")
    codes = set(to_ch.values_list("option_code", flat=True))
    assert "gls_de:business_parcel" in codes
    assert "dhl:paket" not in codes  # the sandbox's DHL Paket ships within the EU only
    assert not any(code.endswith("/return") for code in codes)
    paket = ShippingRoute.objects.get(
        integration=shipping_world, option_code="dhl:paket", from_country="DE", to_country="DE"
    )
    assert [b["price"] for b in paket.bands] == ["4.49", "5.84", "7.19", "8.54"]
    assert paket.bands[0]["lead_time_hours"] == 24
    assert paket.band_for(Decimal("3"))["price"] == "5.84"
    assert paket.max_dimensions_cm == ["120.00", "60.00", "60.00"]
    express = ShippingRoute.objects.get(
        integration=shipping_world, option_code="dhl_express:worldwide/incoterm=dap",
        to_country="CH",
    )  # fmt: skip
    assert express.required_fields == ["to_email", "to_telephone"]
    assert express.export_documents
    progress = run.type_progress()["routes"]
    assert progress.created == ShippingRoute.objects.count() and progress.archived == 0


def test_sync_archives_a_route_no_longer_needed_or_offered(shipping_world, sync, company):
    sync(shipping_world, ["routes"])
    from backoffice.sales.models import CustomerAddress

    CustomerAddress.objects.filter(customer__company=company).update(country="AT")
    run = sync(shipping_world, ["routes"])
    gone = ShippingRoute.objects.filter(integration=shipping_world, to_country="CH")
    assert gone.exists() and not gone.filter(archived_at__isnull=True).exists()
    assert run.type_progress()["routes"].archived == gone.count()
    again = sync(shipping_world, ["routes"])
    assert again.type_progress()["routes"].created == 0
    assert again.type_progress()["routes"].updated == 0


def test_the_run_page_shows_the_routes_row_with_its_counts(shipping_world, sync):
    from django.utils import translation

    from sendcloud.sync.reports import sync_run_rows

    run = sync(shipping_world, ["shipping_methods", "routes"])
    with translation.override("de"):
        rows = {row["type"]: row for row in sync_run_rows(run)}
    assert rows["routes"]["label"] == "Versandrouten"
    assert rows["routes"]["created"] == ShippingRoute.objects.count() > 0
    assert run.requests == 2 + 2  # options (outbound, returns) + one per route pair
