"""What the packing page shows of the order being packed: lines with their counts, the
Sendcloud option, the parcels, and the pre-flight's problems with the page that fixes each."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudError
from sendcloud.errors import Problem
from sendcloud.models import Integration, Shipment
from sendcloud.services.labels import label_preflight
from sendcloud.services.labels.mapping import delivery_packages

from .state import PackState


@dataclass(frozen=True)
class PanelLine:
    sku: str
    ean: str
    name: str
    quantity: int
    checked: int

    @property
    def complete(self) -> bool:
        return self.checked >= self.quantity


@dataclass(frozen=True)
class PanelProblem:
    message: str
    fix_url: str
    fix_text: str


def _fix(delivery: DeliveryOrder, problem: Problem) -> tuple[str, str]:
    """The page that fixes a pre-flight problem (the delivery order's own pages)."""
    if problem.field == "service_point_id":
        return (
            reverse("sendcloud:delivery-service-point", args=[delivery.pk]),
            _("Choose a service point"),
        )
    if problem.field == "shipping_method" and delivery.shipping_method_id:
        return (
            reverse("admin:sales_shippingmethod_change", args=[delivery.shipping_method_id]),
            _("Choose the Sendcloud option of the shipping method"),
        )
    if problem.field in ("sendcloud_option", "shipping_method", "packages", "weight"):
        return (
            reverse("admin:sales_deliveryorder_change", args=[delivery.pk]),
            _("Choose another shipping option"),
        )
    return (
        reverse("admin:sales_deliveryorder_change", args=[delivery.pk]),
        _("Correct the delivery order"),
    )


def packing_panel(
    delivery: DeliveryOrder, state: PackState, integration: Integration | None
) -> dict:
    """The order being packed, for the page (nothing is sent to Sendcloud)."""
    lines = [
        PanelLine(
            line.product.sku,
            line.product.ean,
            line.product.name,
            line.quantity,
            state.checked.get(str(line.pk), 0),
        )
        for line in delivery.lines.select_related("product").order_by("pk")
    ]
    problems: list[PanelProblem] = []
    option = None
    live = delivery.sendcloud_shipments.filter(state__in=Shipment.BLOCKING).first()
    if live is not None:
        pass  # labelled: nothing left to check (the answer after Enter stays fast)
    elif integration is None:
        problems.append(PanelProblem(_("No Sendcloud integration is connected."), "", ""))
    else:
        try:
            plan, found = label_preflight(delivery, integration)
        except SendcloudError as exc:  # a service-point lookup; the page stays usable
            plan, found = None, [Problem(_("Sendcloud did not answer: %(error)s") % {"error": exc})]
        option = plan.option if plan else None
        for problem in found:
            url, text = _fix(delivery, problem)
            problems.append(PanelProblem(problem.message, url, text))
    packages = delivery_packages(delivery)
    return {
        "delivery": delivery,
        "lines": lines,
        "complete": all(line.complete for line in lines),
        "units": sum(line.quantity for line in lines),
        "units_checked": sum(min(line.checked, line.quantity) for line in lines),
        "option": option,
        "option_name": (option.name or option.code)
        if option
        else (live.shipping_option_name or live.shipping_option_code if live else ""),
        "problems": problems,
        "parcels": [weight for weight, *_rest in packages],
        "weighed": delivery.packages.exists(),
        "live": live,
        "live_trackings": [t for t in live.labels.values_list("tracking_number", flat=True) if t]
        if live
        else [],
    }
