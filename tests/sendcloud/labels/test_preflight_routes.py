"""Pre-flight knows what Sendcloud would refuse: route, weight in the route's bands, size,
required fields, destination country, address fields — each named with its fix, in German."""

from decimal import Decimal

import pytest

from backoffice.sales.models import Package
from sendcloud.models import ShippingRoute, SyncRun
from sendcloud.services.labels import delivery_order_label_create, label_preflight
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from tests.factories import CustomerAddressFactory, CustomerFactory, WarehouseFactory
from tests.sendcloud.factories import route_for
from tests.sendcloud.labels.conftest import make_delivery, option_for

pytestmark = pytest.mark.django_db


def problems_of(delivery, shop):
    _plan, problems = label_preflight(delivery, shop["integration"])
    return {p.field: p.message for p in problems}


def test_an_option_that_does_not_ship_the_route_is_named(shop):
    option = option_for(shop["integration"])
    ShippingRoute.objects.filter(option_code=option.code, to_country="AT").delete()
    route_for(option_for(shop["integration"], "ups:standard", name="UPS Standard"), "AT")
    delivery = make_delivery(shop, country="AT", postal_code="1010", city="Wien")
    found = problems_of(delivery, shop)
    assert found["sendcloud_option"].startswith("„DHL Paket“ versendet nicht von DE nach AT")


def test_a_destination_sendcloud_ships_nothing_to_is_refused(shop):
    delivery = make_delivery(shop, country="NO", postal_code="0150", city="Oslo")
    found = problems_of(delivery, shop)
    assert "keine Versandoption nach NO" in found["country"]


def test_a_parcel_outside_the_routes_bands_is_refused(shop):
    option = option_for(shop["integration"])
    route_for(option, "DE", max_weight_kg=Decimal("5.001"),
              bands=[{"min_kg": "0.001", "max_kg": "5.001", "price": "4.49"}])  # fmt: skip
    delivery = make_delivery(shop)
    Package.objects.create(delivery_order=delivery, weight_kg=Decimal("6"))
    found = problems_of(delivery, shop)
    assert found["weight"] == (
        "Paket 1 wiegt 6 kg; DHL Paket nimmt von DE nach DE 0,001 bis 5 kg. Teilen Sie das Paket "
        "auf oder wählen Sie eine andere Option."
    )


def test_a_parcel_larger_than_the_routes_limit_is_refused(shop):
    route_for(option_for(shop["integration"]), "DE", max_dimensions_cm=["120", "60", "60"])
    delivery = make_delivery(shop)
    Package.objects.create(
        delivery_order=delivery, weight_kg=Decimal("2"),
        length_cm=Decimal("130"), width_cm=Decimal("20"), height_cm=Decimal("20"),
    )  # fmt: skip
    assert "höchstens 120 × 60 × 60 cm" in problems_of(delivery, shop)["dimensions"]


def test_required_phone_and_email_of_the_route_are_asked_for(shop):
    route_for(option_for(shop["integration"]), "DE", required_fields=["to_email", "to_telephone"])
    delivery = make_delivery(shop, email="", phone="")
    found = problems_of(delivery, shop)
    assert "Telefonnummer" in found["phone"] and "E-Mail-Adresse" in found["email"]
    delivery.email, delivery.phone = "erika@example.com", "+49 30 123"
    delivery.save()
    assert not {"phone", "email"} & set(problems_of(delivery, shop))


@pytest.mark.parametrize(
    ("country", "postal_code"),
    [("DE", "8033"), ("AT", "10100"), ("NL", "1012"), ("GB", "12345"), ("US", "1000"),
     ("CH", "80011")],
)  # fmt: skip
def test_postal_codes_of_the_big_countries_are_checked(shop, country, postal_code):
    delivery = make_delivery(shop, country=country, postal_code=postal_code, state_code="US-NY")
    _plan, problems = label_preflight(delivery, shop["integration"])
    text = " ".join(p.message for p in problems)
    assert f"die Postleitzahl „{postal_code}“ ist für {country} nicht gültig" in text


def test_valid_postal_codes_pass(shop):
    for country, postal_code in [("DE", "80331"), ("NL", "1012 AB"), ("GB", "SW1A 1AA")]:
        delivery = make_delivery(shop, country=country, postal_code=postal_code)
        _plan, problems = label_preflight(delivery, shop["integration"])
        assert not any("Postleitzahl" in p.message for p in problems), problems


def test_a_us_address_needs_its_state(shop):
    delivery = make_delivery(shop, country="US", postal_code="10001", city="New York")
    _plan, problems = label_preflight(delivery, shop["integration"])
    assert any(
        "brauchen einen Code für Bundesland / Provinz" in p.message and "US-NY" in p.message
        for p in problems
    ), problems


def test_a_route_the_sandbox_refuses_is_caught_after_a_real_routes_sync(
    shop, company, sandbox_clients
):
    """The sandbox's DHL Paket ships from DE and AT only: a Dutch warehouse's order is refused
    by the pre-flight once the routes are synced, not by the carrier."""
    integration = shop["integration"]
    ShippingRoute.objects.all().delete()
    venlo = WarehouseFactory(company=company, country="NL", postal_code="5928 LZ", city="Venlo")
    customer = CustomerFactory(company=company)
    CustomerAddressFactory(customer=customer, country="NL", postal_code="3511 AB")
    run = sync_start(integration, ["routes"], trigger=SyncRun.Trigger.MANUAL, queue=False)
    assert sync_run_execute(run.pk).state == SyncRun.State.SUCCEEDED
    delivery = make_delivery(shop, warehouse=venlo, country="NL", postal_code="3511 AB",
                             city="Utrecht")  # fmt: skip
    # The Venlo warehouse has no sender address of its own: its country is the origin.
    found = problems_of(delivery, shop)
    assert "„DHL Paket“ versendet nicht von NL nach NL" in found["sendcloud_option"]
    green = make_delivery(shop)  # Berlin → München: the synced route exists
    assert delivery_order_label_create(green, integration).state == "live"


def test_the_sandboxs_weight_and_multicollo_refusals_are_caught_after_a_real_routes_sync(
    shop, sandbox_clients
):
    """The sandbox refuses a parcel outside the option's bands (min ≤ w < max) and several
    parcels for an option without multicollo; the synced routes say both before any request."""
    from sendcloud.models import ApiCall, ShippingMethodOption, ShippingOption

    integration = shop["integration"]
    ShippingRoute.objects.all().delete()
    run = sync_start(
        integration, ["shipping_methods", "routes"], trigger=SyncRun.Trigger.MANUAL, queue=False
    )
    assert sync_run_execute(run.pk).state == SyncRun.State.SUCCEEDED
    heavy = make_delivery(shop)
    Package.objects.create(delivery_order=heavy, weight_kg=Decimal("31.501"))
    assert "0,001 bis 31,5 kg" in problems_of(heavy, shop)["weight"]
    signature = ShippingOption.objects.get(integration=integration, code="dhl:paket/signature")
    ShippingMethodOption.objects.filter(shipping_method=shop["method"]).update(
        shipping_option=signature
    )
    two = make_delivery(shop)
    for weight in ("1", "2"):
        Package.objects.create(delivery_order=two, weight_kg=Decimal(weight))
    assert "keine 2 Pakete in einer Sendung" in problems_of(two, shop)["packages"]
    writes = ApiCall.objects.exclude(method="GET").exclude(path__endswith="/shipping-options")
    assert not writes.exists()
