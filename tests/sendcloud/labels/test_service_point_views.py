"""The service point lookup page of a delivery order: list, choose, Postnummer, who may."""

import pytest
from django.urls import reverse

from backoffice.companies import roles
from backoffice.sales.models import DeliveryOrder
from sandbox.service_point_data import points_of
from sendcloud.views.service_points import distance_text
from tests.factories import UserFactory
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping_client(client, packstation):
    user = UserFactory(company=packstation["integration"].company, role=roles.SHIPPING)
    client.force_login(user)
    return client


def test_the_page_lists_points_with_distance_hours_in_german_and_carrier_name(
    shipping_client, packstation
):
    delivery = make_delivery(packstation)
    url = reverse("sendcloud:delivery-service-point", args=[delivery.pk])
    response = shipping_client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Packstation" in html and "Montag" in html and "Sonntag" in html
    assert "DHL" in html and ("km" in html or " m<" in html)


def test_choosing_a_packstation_needs_a_postnummer_and_then_stores_it(shipping_client, packstation):
    delivery = make_delivery(packstation)
    url = reverse("sendcloud:delivery-service-point", args=[delivery.pk])
    locker = next(
        p for p in points_of("DE") if p.carrier == "dhl" and p.general_shop_type == "locker"
    )
    refused = shipping_client.post(url, {"point_id": locker.id, "post_number": ""})
    assert refused.status_code == 400 and "Postnummer" in refused.content.decode()
    assert DeliveryOrder.objects.get(pk=delivery.pk).service_point_id == ""
    chosen = shipping_client.post(url, {"point_id": locker.id, "post_number": "12345678"})
    assert chosen.status_code == 302
    assert DeliveryOrder.objects.get(pk=delivery.pk).service_point_id == str(locker.id)
    page = shipping_client.get(reverse("admin:sales_deliveryorder_change", args=[delivery.pk]))
    assert locker.name in page.content.decode()
    assert 'name="service_point_id"' not in page.content.decode()  # no text box any more
    shipping_client.post(url, {"clear": "1"})
    assert DeliveryOrder.objects.get(pk=delivery.pk).service_point_id == ""


def test_reading_users_and_other_companies_cannot_choose(client, packstation):
    delivery = make_delivery(packstation)
    url = reverse("sendcloud:delivery-service-point", args=[delivery.pk])
    client.force_login(UserFactory(company=packstation["integration"].company, role=roles.READING))
    assert client.post(url, {"point_id": "1"}).status_code == 403  # looking is allowed
    client.force_login(UserFactory(role=roles.MANAGEMENT))
    assert client.get(url).status_code == 404


def test_distance_is_written_in_the_users_locale(settings):
    from django.utils import translation

    with translation.override("de"):
        assert distance_text(350) == "350 m"
        assert distance_text(1250) == "1,2 km"
    assert distance_text(None) == "–"


def test_label_create_without_a_point_links_the_lookup(shipping_client, packstation):
    delivery = make_delivery(packstation)
    response = shipping_client.get(reverse("sendcloud:labels-create", args=[delivery.pk]))
    lookup = reverse("sendcloud:delivery-service-point", args=[delivery.pk])
    assert f'id="fix-service-point" href="{lookup}"' in response.content.decode()
