"""Breadcrumbs follow the menu: a page's trail is the menu's path down to its entry."""

import re

import pytest
from django.urls import reverse

from backoffice.companies import roles
from sendcloud.models import Label, Shipment
from tests.factories import DeliveryOrderFactory, ShippingMethodFactory, UserFactory
from tests.sendcloud.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def crumbs(client, url) -> list[str]:
    page = client.get(url, headers={"accept-language": "de"})
    assert page.status_code == 200, (url, page.status_code)
    html = page.content.decode().split('class="breadcrumbs"', 1)[1].split("</div>", 1)[0]
    text = re.sub(r"<[^>]+>", "", html.split(">", 1)[1])
    return [part.strip() for part in text.replace("&rsaquo;", "›").split("›") if part.strip()]


@pytest.fixture
def manager(client, company):
    client.force_login(UserFactory(company=company, role=roles.MANAGEMENT))
    return client


def test_our_shipping_methods_sit_under_configuration_as_in_the_menu(manager, company):
    method = ShippingMethodFactory(company=company, name="Standard")
    changelist = reverse("admin:sales_shippingmethod_changelist")
    assert crumbs(manager, changelist) == [
        "Übersicht", "Konfiguration", "Lager", "Eigene Versandarten"
    ]  # fmt: skip
    change = reverse("admin:sales_shippingmethod_change", args=[method.pk])
    assert crumbs(manager, change)[:4] == [
        "Übersicht",
        "Konfiguration",
        "Lager",
        "Eigene Versandarten",
    ]
    assert crumbs(manager, change)[-1].startswith("SM") or "Standard" in crumbs(manager, change)[-1]


def test_delivery_orders_sit_under_sales(manager, company):
    delivery = DeliveryOrderFactory(company=company, number="LA-77")
    assert crumbs(manager, reverse("admin:sales_deliveryorder_changelist")) == [
        "Übersicht", "Verkauf", "Lieferaufträge"
    ]  # fmt: skip
    change = reverse("admin:sales_deliveryorder_change", args=[delivery.pk])
    assert crumbs(manager, change) == ["Übersicht", "Verkauf", "Lieferaufträge", "LA-77"]


def test_label_pages_sit_under_sales_like_their_delivery_order(manager, company):
    integration = IntegrationFactory(company=company)
    delivery = DeliveryOrderFactory(company=company, number="LA-78")
    shipment = Shipment.objects.create(
        delivery_order=delivery, integration=integration, generation="v3", mode="announce",
        external_reference="LA-78#1", state=Shipment.State.LIVE,
    )  # fmt: skip
    Label.objects.create(shipment=shipment, sendcloud_parcel_id=1)
    for route in ("sendcloud:labels-delivery", "sendcloud:labels-cancel"):
        trail = crumbs(manager, reverse(route, args=[delivery.pk]))
        assert trail[:4] == ["Übersicht", "Verkauf", "Lieferaufträge", "LA-78"], trail


def test_the_label_worklist_sits_where_the_menu_puts_it(manager, company):
    assert crumbs(manager, reverse("sendcloud:labels-worklist")) == [
        "Übersicht", "Verkauf", "Versandlabels"
    ]  # fmt: skip


def test_sendcloud_pages_follow_the_menu(manager, company):
    integration = IntegrationFactory(company=company)
    assert crumbs(manager, reverse("sendcloud:integration")) == [
        "Übersicht", "Konfiguration", "Lager", "Sendcloud", "Integration"
    ]  # fmt: skip
    options = reverse("sendcloud:mirror", args=[integration.pk, "shipping-methods"])
    assert crumbs(manager, options) == [
        "Übersicht", "Konfiguration", "Lager", "Sendcloud", "Sendcloud-Versandmethoden"
    ]  # fmt: skip
    assert crumbs(manager, reverse("sendcloud:report", args=[integration.pk, "parcels"])) == [
        "Übersicht", "Berichte", "Lager", "Sendcloud", "Pakete"
    ]  # fmt: skip
    assert crumbs(manager, reverse("sendcloud:report-api-calls")) == [
        "Übersicht", "Berichte", "Lager", "Sendcloud", "Aktions-Logging"
    ]  # fmt: skip
    assert crumbs(manager, reverse("sendcloud:sync-schedules", args=[integration.pk])) == [
        "Übersicht", "Konfiguration", "Lager", "Sendcloud", "Zeitpläne für den Abgleich"
    ]  # fmt: skip


def test_a_model_outside_the_menu_keeps_djangos_trail(client):
    from tests.factories import OperatorFactory

    client.force_login(OperatorFactory())
    trail = crumbs(client, reverse("admin:django_celery_beat_crontabschedule_changelist"))
    assert trail[0] == "Übersicht" and len(trail) == 3


def test_service_point_and_return_pages_sit_under_sales_like_their_delivery_order(manager, company):
    IntegrationFactory(company=company)
    delivery = DeliveryOrderFactory(company=company, number="LA-79")
    trail = ["Übersicht", "Verkauf", "Lieferaufträge", "LA-79"]
    for name in ("sendcloud:delivery-service-point", "sendcloud:returns-delivery"):
        assert crumbs(manager, reverse(name, args=[delivery.pk]))[:4] == trail, name
    assert crumbs(manager, reverse("sendcloud:returns-open")) == [
        "Übersicht", "Verkauf", "Offene Retouren"
    ]  # fmt: skip
