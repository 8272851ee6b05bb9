"""Service points of a delivery order against the sandbox: lookup, choice, Packstation
Postnummer, the nearest open point, pre-flight, and what order push and labels send."""

from decimal import Decimal

import pytest

from backoffice.sales.models import DeliveryOrder
from sandbox.service_point_data import points_of
from sendcloud.client.bodies import parcel_body_v2, shipment_body
from sendcloud.errors import ApplicationError
from sendcloud.models import DeliveryOrderServicePoint, Shipment
from sendcloud.refusals import LabelRefused
from sendcloud.services.labels import delivery_order_label_create
from sendcloud.services.labels.mapping import shipment_request_for
from sendcloud.services.labels.preflight import label_preflight
from sendcloud.services.orders.mapping import delivery_order_to_sendcloud
from sendcloud.services.orders.preflight import delivery_order_preflight
from sendcloud.services.shipping.service_points import (
    delivery_order_service_point_choose,
    delivery_order_service_point_nearest,
    service_points_near,
)
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


def _locker():
    return next(
        p for p in points_of("DE") if p.carrier == "dhl" and p.general_shop_type == "locker"
    )


def _point(carrier, country="DE"):
    return next(
        p
        for p in points_of(country)
        if p.carrier == carrier and p.general_shop_type != "locker" and not p.closed_for_holidays
    )


def test_lookup_lists_the_carriers_points_near_the_delivery_address_nearest_first(packstation):
    delivery = make_delivery(packstation)  # München, 80331
    points = service_points_near(delivery, packstation["integration"], "dhl")
    assert points and all(p.carrier == "dhl" for p in points)
    distances = [p.distance_m for p in points]
    assert distances == sorted(distances) and distances[0] < 5000
    assert {p.city for p in points[:10]} == {"München"}
    assert any(p.is_locker for p in points)


def test_a_packstation_needs_a_valid_postnummer(packstation):
    delivery = make_delivery(packstation)
    locker = _locker()
    for post_number, expected in (("", "Postnummer"), ("12ab45", "12ab45"), ("12345", "12345")):
        with pytest.raises(ApplicationError) as caught:
            delivery_order_service_point_choose(
                delivery,
                packstation["integration"],
                str(locker.id),
                carrier_code="dhl",
                post_number=post_number,
            )
        assert expected in str(caught.value)
    assert not DeliveryOrderServicePoint.objects.exists()
    chosen = delivery_order_service_point_choose(
        delivery,
        packstation["integration"],
        str(locker.id),
        carrier_code="dhl",
        post_number="123 456 78",
    )
    assert (chosen.point_id, chosen.post_number, chosen.is_locker) == (
        str(locker.id),
        "12345678",
        True,
    )
    assert chosen.name == locker.name and chosen.postal_code == locker.postal_code
    assert DeliveryOrder.objects.get(pk=delivery.pk).service_point_id == str(locker.id)


def test_a_point_of_another_carrier_or_unknown_point_is_not_stored(packstation):
    delivery = make_delivery(packstation)
    with pytest.raises(ApplicationError) as caught:
        delivery_order_service_point_choose(
            delivery, packstation["integration"], str(_point("dpd").id), carrier_code="dhl"
        )
    assert "dhl" in str(caught.value)
    with pytest.raises(ApplicationError):
        delivery_order_service_point_choose(
            delivery, packstation["integration"], "99", carrier_code="dhl"
        )
    assert DeliveryOrder.objects.get(pk=delivery.pk).service_point_id == ""


def test_nearest_open_point_of_the_carrier_is_chosen_without_lockers(packstation):
    delivery = make_delivery(packstation)
    chosen = delivery_order_service_point_nearest(
        delivery, packstation["integration"], packstation["option"]
    )
    assert chosen is not None and chosen.carrier_code == "dhl"
    assert not chosen.is_locker
    near = service_points_near(delivery, packstation["integration"], "dhl", limit=50)
    open_shops = [p for p in near if not p.is_locker and p.open_upcoming_week and p.open_tomorrow]
    assert chosen.point_id == str(open_shops[0].id)


def test_preflight_names_a_missing_point_a_wrong_carrier_and_a_missing_postnummer(packstation):
    delivery = make_delivery(packstation)
    integration = packstation["integration"]
    _plan, problems = label_preflight(delivery, integration)
    assert [p.field for p in problems] == ["service_point_id"]
    locker = _locker()
    delivery_order_service_point_choose(
        delivery, integration, str(locker.id), carrier_code="dhl", post_number="12345678"
    )
    delivery.refresh_from_db()
    assert label_preflight(delivery, integration)[1] == []
    points = DeliveryOrderServicePoint.objects.filter(delivery_order=delivery)
    points.update(carrier_code="dpd")
    _plan, problems = label_preflight(delivery, integration)
    assert len(problems) == 1 and "dpd" in str(problems[0])
    points.update(carrier_code="dhl", post_number="")
    _plan, problems = label_preflight(delivery, integration)
    assert len(problems) == 1 and "Postnummer" in str(problems[0])
    DeliveryOrderServicePoint.objects.filter(delivery_order=delivery).update(country="AT")
    _plan, problems = label_preflight(delivery, integration)
    assert any("AT" in str(p) for p in problems)
    # The order push checks the same (the point goes with the order).
    assert any("AT" in text for text in delivery_order_preflight(delivery, integration))


def test_postnummer_goes_with_the_order_push_and_the_label(packstation):
    delivery = make_delivery(packstation)
    integration = packstation["integration"]
    locker = _locker()
    delivery_order_service_point_choose(
        delivery, integration, str(locker.id), carrier_code="dhl", post_number="12345678"
    )
    delivery.refresh_from_db()
    order = delivery_order_to_sendcloud(delivery, integration, external_id="x")
    assert order["service_point_details"] == {"id": str(locker.id), "post_number": "12345678"}
    request = shipment_request_for(
        delivery,
        integration,
        reference="r",
        option=packstation["option"],
        sender=None,
        packages=((Decimal("1"), None, None, None, None),),
    )
    body = shipment_body(request)
    assert body["to_service_point"] == {"id": str(locker.id)}
    assert body["to_address"]["po_box"] == "12345678"
    v2 = parcel_body_v2(request)["parcel"]
    assert (v2["to_service_point"], v2["to_post_number"]) == (locker.id, "12345678")


def test_a_packstation_label_is_created_against_the_sandbox(packstation):
    delivery = make_delivery(packstation)
    delivery_order_service_point_choose(
        delivery,
        packstation["integration"],
        str(_locker().id),
        carrier_code="dhl",
        post_number="12345678",
    )
    delivery.refresh_from_db()
    shipment = delivery_order_label_create(delivery, packstation["integration"])
    assert shipment.state == "live" and shipment.labels.get().tracking_number


def test_the_sandbox_refuses_a_label_to_a_point_it_does_not_know(packstation):
    delivery = make_delivery(packstation)
    DeliveryOrder.objects.filter(pk=delivery.pk).update(service_point_id="4711")
    delivery.refresh_from_db()
    # No stored choice, so the pre-flight cannot know; the sandbox refuses as Sendcloud would.
    with pytest.raises(LabelRefused) as caught:
        delivery_order_label_create(delivery, packstation["integration"])
    assert "to_service_point" in caught.value.carrier_text
    assert [p.field for p in caught.value.problems] == ["service_point_id"]
    assert not Shipment.objects.filter(delivery_order=delivery, state="live").exists()
