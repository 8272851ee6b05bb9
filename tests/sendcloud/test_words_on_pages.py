"""German pages say things in German and show dates in one short form (07.12.2026 01:21)."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcloud.models import ApiCall, Carrier, Parcel, ShippingOption

pytestmark = pytest.mark.django_db

LONG_GERMAN_DATE = re.compile(r"\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|"
                              r"September|Oktober|November|Dezember) \d{4}")  # fmt: skip


@pytest.fixture
def parcel(integration):
    Carrier.objects.create(integration=integration, code="dhl", name="DHL")
    ShippingOption.objects.create(
        integration=integration, code="gls_de:shop_delivery", name="GLS Paketshop"
    )
    return Parcel.objects.create(
        integration=integration, sendcloud_id=701, tracking_number="TRK1",
        status_code="DELIVERED", status_message="Delivered", carrier_code="dhl",
        shipping_method="gls_de:shop_delivery", weight_kg=Decimal("3.100"),
        sendcloud_created_at=timezone.make_aware(datetime(2026, 12, 6, 9, 5)),
        status_changed_at=timezone.make_aware(datetime(2026, 12, 7, 1, 21)),
    )  # fmt: skip


def fields_of(page) -> dict:
    return {str(label): value for label, value, _proper in page.context["fields"]}


def test_parcel_detail_shows_status_carrier_and_option_by_name(clerk_client, integration, parcel):
    url = reverse("sendcloud:report-parcel", args=[integration.pk, parcel.pk])
    page = clerk_client.get(url)
    fields = fields_of(page)
    assert fields["Status"] == "Zugestellt"
    assert fields["Versanddienstleister"] == "DHL"
    assert fields["Versandart"] == "GLS Paketshop"
    assert fields["Gewicht (kg)"] == "3,1 kg"
    text = page.content.decode()
    assert ">Delivered<" not in text and ">dhl<" not in text and "gls_de:shop_delivery<" not in text


def test_parcel_detail_dates_are_short(clerk_client, integration, parcel):
    url = reverse("sendcloud:report-parcel", args=[integration.pk, parcel.pk])
    text = clerk_client.get(url).content.decode()
    assert "06.12.2026 09:05" in text and "07.12.2026 01:21" in text
    assert not LONG_GERMAN_DATE.search(text)


def test_parcel_list_names_the_option_not_its_code(clerk_client, integration, parcel):
    page = clerk_client.get(reverse("sendcloud:report", args=[integration.pk, "parcels"]))
    text = page.content.decode()
    assert "GLS Paketshop" in text
    assert "<code>gls_de:shop_delivery</code>" not in text


def test_admin_changelist_dates_are_short_in_german_and_iso_in_english(admin_client, integration):
    call = ApiCall.objects.create(integration=integration, method="GET", path="/api/v3/x")
    ApiCall.objects.filter(pk=call.pk).update(
        created_at=timezone.make_aware(datetime(2026, 12, 7, 1, 21, 5))
    )
    url = reverse("admin:sendcloud_apicall_changelist")
    german = admin_client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "07.12.2026 01:21" in german and not LONG_GERMAN_DATE.search(german)
    english = admin_client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "2026-12-07 01:21" in english and "Dec. 7, 2026" not in english


def test_our_shipping_methods_list_shows_each_methods_sendcloud_option(clerk_client, integration):
    from sendcloud.models import ShippingMethodOption
    from tests.factories import ShippingMethodFactory

    option = ShippingOption.objects.create(
        integration=integration, code="dhl:paket", name="DHL Paket 0-31,5 kg"
    )
    mapped = ShippingMethodFactory(company=integration.company, name="Standard")
    ShippingMethodFactory(company=integration.company, name="Abholung")
    ShippingMethodOption.objects.create(
        shipping_method=mapped, integration=integration, shipping_option=option
    )
    page = clerk_client.get(reverse("admin:sales_shippingmethod_changelist"))
    text = page.content.decode()
    assert "Sendcloud-Versandmethode" in text
    rows = {m.name: m.sendcloud_option_name for m in page.context["cl"].result_list}
    assert rows == {"Standard": "DHL Paket 0-31,5 kg", "Abholung": None}
    assert "DHL Paket 0-31,5 kg" in text
