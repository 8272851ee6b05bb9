"""Paketshop / Packstation of a delivery order: look up points near its address and choose one.

GET lists the points of the shipping option's carrier nearest the delivery address (one read
from the service points host); POST stores the choice through the service, which checks the
carrier, the country and, for a Packstation, the Postnummer.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.sales.models import DeliveryOrder
from sendcloud import formatting
from sendcloud.client import SendcloudError
from sendcloud.errors import ApplicationError
from sendcloud.models import ShippingOption
from sendcloud.selectors import integration_default
from sendcloud.services.shipping.service_points import (
    delivery_order_service_point,
    delivery_order_service_point_choose,
    delivery_order_service_point_clear,
    post_number_required,
    service_points_near,
)
from sendcloud.services.shipping_choice import delivery_order_shipping_option

from .base import company_of, render

SHOP_TYPES = {
    "locker": gettext_lazy("Parcel locker"),
    "post_office": gettext_lazy("Post office"),
    "servicepoint": gettext_lazy("Parcel shop"),
    "carrier_depot": gettext_lazy("Carrier depot"),
}


def distance_text(metres: int | None) -> str:
    if metres is None:
        return "–"
    if metres < 1000:
        return f"{formatting.number(metres, 0)} m"
    return f"{formatting.number(metres / 1000, 1)} km"


def _carrier_names(integration) -> dict[str, str]:
    rows = ShippingOption.objects.filter(integration=integration).values_list(
        "carrier_code", "carrier_name"
    )
    return {code: name for code, name in rows if code and name}


def _rows(points, carrier_names) -> list[dict]:
    return [
        {
            "point": point,
            "carrier": carrier_names.get(point.carrier or "", point.carrier or "–"),
            "kind": str(SHOP_TYPES.get(point.general_shop_type or "", _("Service point"))),
            "distance": distance_text(point.distance_m),
            "needs_post_number": post_number_required(
                point.carrier or "", point.general_shop_type or ""
            ),
            "hours": [
                (str(WEEKDAYS[day]), ", ".join(slots) if slots else _("closed"))
                for day, slots in point.opening_hours()
            ],
        }
        for point in points
    ]


def delivery_service_point(request, pk):
    delivery = get_object_or_404(DeliveryOrder, pk=pk, company=company_of(request))
    integration = integration_default(company_of(request))
    back = redirect("admin:sales_deliveryorder_change", delivery.pk)
    if integration is None:
        messages.error(request, _("No Sendcloud integration is connected."))
        return back
    option = delivery_order_shipping_option(delivery, integration)
    carrier = option.carrier_code if option is not None else None
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("clear"):
                delivery_order_service_point_clear(delivery)
                messages.success(request, _("The service point was removed."))
                return back
            chosen = delivery_order_service_point_choose(
                delivery,
                integration,
                request.POST.get("point_id", ""),
                carrier_code=carrier,
                post_number=request.POST.get("post_number", ""),
            )
        except (ApplicationError, SendcloudError) as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("%(number)s ships to %(point)s.")
                % {"number": delivery.number, "point": chosen.name},
            )
            return back
    points = []
    try:
        points = service_points_near(delivery, integration, carrier)
    except SendcloudError as exc:
        error = error or _("Sendcloud could not list service points: %(error)s") % {"error": exc}
    return render(
        request,
        "sendcloud/service_points.html",
        {
            "delivery": delivery,
            "option": option,
            "carrier_name": _carrier_names(integration).get(carrier or "", carrier or ""),
            "rows": _rows(points, _carrier_names(integration)),
            "chosen": delivery_order_service_point(delivery),
            "error": error,
            "post_number": request.POST.get("post_number", ""),
        },
        title=_("Service point for %(number)s") % {"number": delivery.number},
        status=400 if error and request.method == "POST" else 200,
    )
