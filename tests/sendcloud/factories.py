from decimal import Decimal

import factory

from sendcloud.models import Integration, SenderAddress, ShippingRoute
from tests.factories import CompanyFactory

SECRET = "0123456789abcdef0123456789abcdef"


class IntegrationFactory(factory.django.DjangoModelFactory):
    """A connected integration; `secret_key` is stored encrypted like the real one.

    `IntegrationFactory(account=sandbox_account)` takes a sandbox account's keys and id."""

    class Meta:
        model = Integration

    class Params:
        account = None

    company = factory.SubFactory(CompanyFactory)
    shop_name = "Muster Shop"
    state = Integration.State.CONNECTED
    webhook_active = True
    sendcloud_id = factory.LazyAttribute(
        lambda o: o.account["integration_id"] if o.account else 4711
    )
    public_key = factory.LazyAttribute(
        lambda o: o.account["public_key"] if o.account else "11111111-2222-3333-4444-555555555555"
    )
    secret_key = factory.LazyAttribute(lambda o: o.account["secret_key"] if o.account else SECRET)

    @classmethod
    def _create(cls, model_class, *args, secret_key, **kwargs):
        integration = model_class(*args, **kwargs)
        integration.secret_key = secret_key
        integration.save()
        return integration


class SenderAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SenderAddress

    sendcloud_id = factory.Sequence(lambda n: 9000 + n)
    company_name = "Muster Handel GmbH"
    contact_name = "Versand"
    street = "Lagerstraße"
    house_number = "12"
    postal_code = "10115"
    city = "Berlin"
    country = "DE"


def route_for(option, to_country, from_country="DE", *, price="4.49", bands=None, **fields):
    """The route as the Abgleich of shipping routes writes it: one band over the option's
    weight range unless `bands` are given."""
    low, high = option.min_weight_kg or Decimal("0.001"), option.max_weight_kg or Decimal("31.5")
    values = {
        "option_code": option.code,
        "option_name": option.name,
        "carrier_code": option.carrier_code,
        "from_country": from_country,
        "to_country": to_country,
        "min_weight_kg": low,
        "max_weight_kg": high + Decimal("0.001"),
        "bands": bands
        or [
            {
                "min_kg": str(low),
                "max_kg": str(high + Decimal("0.001")),
                "price": price,
                "currency": "EUR",
                "lead_time_hours": 24,
            }
        ],
        "multicollo": bool((option.functionalities or {}).get("multicollo")),
        "service_point_required": option.service_point_required,
        "archived_at": None,
        **fields,
    }
    route, _ = ShippingRoute.objects.update_or_create(
        integration=option.integration,
        key=f"{from_country}>{to_country}>{option.code}",
        defaults=values,
    )
    return route
