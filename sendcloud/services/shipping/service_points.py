"""Service points of a delivery order: look up near its address, choose one, pick the nearest.

The lookup asks the service points host (v2 §5.15) with the delivery address as reference
point and the option's carrier; the choice is stored beside the delivery order
(`DeliveryOrderServicePoint`) and its id in `DeliveryOrder.service_point_id`, which order push
and labels send. A DHL Packstation (locker) needs the recipient's Postnummer.
"""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import NotFound, SendcloudClient
from sendcloud.client.types import ServicePoint
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import DeliveryOrderServicePoint, Integration, ShippingOption

from .address import split_street

POST_NUMBER = re.compile(r"^\d{6,10}$")
LOOKUP_LIMIT = 20
# Carriers whose lockers are addressed with a customer number (DHL Packstation: Postnummer).
POST_NUMBER_CARRIERS = {"dhl"}


def post_number_required(carrier_code: str, general_shop_type: str) -> bool:
    return general_shop_type == "locker" and carrier_code in POST_NUMBER_CARRIERS


def service_points_near(
    delivery: DeliveryOrder,
    integration: Integration,
    carrier_code: str | None,
    *,
    client: SendcloudClient | None = None,
    limit: int = LOOKUP_LIMIT,
) -> list[ServicePoint]:
    """Points of the carrier nearest the delivery address, nearest first."""
    street, number = split_street(delivery.street, delivery.house_number)
    client = client or client_for(integration, reference=delivery.number)
    points = client.service_points.search(
        delivery.country.code,
        carriers=(carrier_code,) if carrier_code else (),
        postal_code=delivery.postal_code,
        city=delivery.city,
        address=street,
        house_number=number or None,
    )
    return points[:limit]


def _point_problems(point: ServicePoint, delivery: DeliveryOrder, carrier_code: str | None):
    if carrier_code and point.carrier != carrier_code:
        yield _(
            "The service point “%(point)s” belongs to the carrier %(carrier)s, but the shipping "
            "method ships with %(expected)s; choose a point of %(expected)s."
        ) % {"point": point.name, "carrier": point.carrier, "expected": carrier_code}
    if point.country and point.country != delivery.country.code:
        yield _(
            "The service point “%(point)s” is in %(country)s, the delivery address in "
            "%(expected)s; choose a point in %(expected)s."
        ) % {"point": point.name, "country": point.country, "expected": delivery.country.code}


def post_number_problem(post_number: str) -> str | None:
    if not post_number:
        return _("A Packstation needs the recipient's DHL Postnummer (6 to 10 digits); enter it.")
    if not POST_NUMBER.match(post_number):
        return _(
            "The DHL Postnummer “%(value)s” is not valid: it has 6 to 10 digits and nothing else."
        ) % {"value": post_number}
    return None


def delivery_order_service_point_choose(
    delivery: DeliveryOrder,
    integration: Integration,
    point_id: str,
    *,
    carrier_code: str | None,
    post_number: str = "",
    client: SendcloudClient | None = None,
) -> DeliveryOrderServicePoint:
    """Store the point (read back from Sendcloud, so what is stored is what exists)."""
    client = client or client_for(integration, reference=delivery.number)
    try:
        point = client.service_points.get(int(point_id))
    except (NotFound, ValueError) as error:
        raise ApplicationError(
            _("Sendcloud does not know the service point “%(id)s”; look it up again.")
            % {"id": point_id}
        ) from error
    post_number = "".join(post_number.split())
    problems = list(_point_problems(point, delivery, carrier_code))
    locker = point.general_shop_type or ""
    if post_number_required(point.carrier or "", locker):
        message = post_number_problem(post_number)
        if message:
            problems.append(message)
    if problems:
        raise ApplicationError(
            problems[0],
            [Problem(p, object=delivery.number, field="service_point_id") for p in problems],
        )
    with transaction.atomic():
        chosen, _created = DeliveryOrderServicePoint.objects.update_or_create(
            delivery_order=delivery,
            defaults={
                "point_id": str(point.id),
                "carrier_code": point.carrier or "",
                "name": (point.name or "")[:200],
                "street": point.street or "",
                "house_number": point.house_number or "",
                "postal_code": point.postal_code or "",
                "city": point.city or "",
                "country": point.country or delivery.country.code,
                "general_shop_type": locker,
                "post_number": post_number
                if post_number_required(point.carrier or "", locker)
                else "",
            },
        )
        DeliveryOrder.objects.filter(pk=delivery.pk).update(service_point_id=str(point.id))
        delivery.service_point_id = str(point.id)
    return chosen


def delivery_order_service_point_clear(delivery: DeliveryOrder) -> None:
    with transaction.atomic():
        DeliveryOrderServicePoint.objects.filter(delivery_order=delivery).delete()
        DeliveryOrder.objects.filter(pk=delivery.pk).update(service_point_id="")
        delivery.service_point_id = ""


def _is_open(point: ServicePoint) -> bool:
    return point.is_active is not False and point.open_upcoming_week is not False


def delivery_order_service_point_nearest(
    delivery: DeliveryOrder,
    integration: Integration,
    option: ShippingOption,
    client: SendcloudClient | None = None,
) -> DeliveryOrderServicePoint | None:
    """Choose the nearest open point of the option's carrier (open tomorrow preferred; lockers
    that need a Postnummer are left out: nobody has given one). None when there is none."""
    points = service_points_near(
        delivery, integration, option.carrier_code or None, client=client, limit=50
    )
    candidates = [
        p
        for p in points
        if _is_open(p) and not post_number_required(p.carrier or "", p.general_shop_type or "")
    ]
    if not candidates:
        return None
    tomorrow = [p for p in candidates if p.open_tomorrow is not False]
    best = (tomorrow or candidates)[0]
    return delivery_order_service_point_choose(
        delivery, integration, str(best.id), carrier_code=option.carrier_code or None, client=client
    )


def delivery_order_service_point(delivery: DeliveryOrder) -> DeliveryOrderServicePoint | None:
    return DeliveryOrderServicePoint.objects.filter(delivery_order=delivery).first()


def service_point_preflight(
    delivery: DeliveryOrder, option: ShippingOption | None
) -> list[Problem]:
    """The chosen point fits the option's carrier and the destination; a Packstation has a
    valid Postnummer. (That an option needing a point has one is checked beside the option.)
    An id without a stored choice (typed before the lookup existed, or set through the API) is
    left to Sendcloud: there is nothing here to compare it with."""
    chosen = delivery_order_service_point(delivery) if delivery.service_point_id else None
    if chosen is None or chosen.point_id != delivery.service_point_id:
        return []
    number = delivery.number
    problems = []
    carrier = option.carrier_code if option is not None else ""
    if carrier and chosen.carrier_code != carrier:
        problems.append(
            Problem(
                _(
                    "The service point “%(point)s” belongs to %(carrier)s, but %(option)s ships "
                    "with %(expected)s; choose a point of %(expected)s on the delivery order."
                )
                % {
                    "point": chosen.name,
                    "carrier": chosen.carrier_code,
                    "option": option.name or option.code,
                    "expected": carrier,
                },
                object=number,
                field="service_point_id",
            )
        )
    if chosen.country != delivery.country.code:
        problems.append(
            Problem(
                _(
                    "The service point “%(point)s” is in %(country)s, the delivery address in "
                    "%(expected)s; choose a point in %(expected)s on the delivery order."
                )
                % {
                    "point": chosen.name,
                    "country": chosen.country,
                    "expected": delivery.country.code,
                },
                object=number,
                field="service_point_id",
            )
        )
    if post_number_required(chosen.carrier_code, chosen.general_shop_type):
        message = post_number_problem(chosen.post_number)
        if message:
            problems.append(Problem(message, object=number, field="post_number"))
    return problems


def delivery_post_number(delivery: DeliveryOrder) -> str:
    """The Postnummer to send with the order or label ("" when none applies)."""
    chosen = delivery_order_service_point(delivery) if delivery.service_point_id else None
    if chosen is None or chosen.point_id != delivery.service_point_id:
        return ""
    return chosen.post_number
