"""What a return request must satisfy before anything is sent (checked locally, translated)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from backoffice.inventory.models import Warehouse
from backoffice.sales.models import DeliveryOrder, DeliveryOrderLine
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import (
    Integration,
    Return,
    ReturnLine,
    SenderAddress,
    Shipment,
    ShippingOption,
)
from sendcloud.services.warehouse_addresses import sender_address_for_delivery
from sendcloud.vocabulary import RETURN_REASON

DELIVERY_OPTIONS = ("drop_off_point", "drop_off_labelless")
# Reason used when none is given (CLI default): "No reason" (v3 §10.1).
DEFAULT_REASON = 8


@dataclass
class ReturnPlan:
    """A checked request: what goes back, how, and where to."""

    delivery: DeliveryOrder
    warehouse: Warehouse
    sender: SenderAddress
    option: ShippingOption
    lines: list[tuple[DeliveryOrderLine, int]]
    reason_id: int
    refund_type: str
    delivery_option: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def weight_kg(self) -> Decimal:
        return sum((line.weight_kg * qty for line, qty in self.lines), Decimal(0))


def return_options(integration: Integration):
    """The integration's shipping options that carry returns (mirrored by the Abgleich)."""
    return ShippingOption.objects.filter(
        integration=integration, supports_returns=True, archived_at=None
    ).order_by("carrier_code", "name")


def delivery_options_for(option: ShippingOption | None) -> list[str]:
    """Return methods the option offers: a printed label at a drop-off point always; the
    label-less drop-off with a QR code where the carrier has it (functionality `labelless`)."""
    if option is not None and (option.functionalities or {}).get("labelless"):
        return list(DELIVERY_OPTIONS)
    return ["drop_off_point"]


def live_shipment(delivery: DeliveryOrder) -> Shipment | None:
    return Shipment.objects.filter(delivery_order=delivery, state=Shipment.State.LIVE).first()


def returned_quantities(delivery: DeliveryOrder) -> dict[int, int]:
    """Delivery line id → pieces already in returns that are not failed or cancelled."""
    rows = (
        ReturnLine.objects.filter(returned__delivery_order=delivery)
        .exclude(returned__state__in=[Return.State.FAILED, Return.State.CANCELLED])
        .values("delivery_order_line")
        .annotate(total=Sum("quantity"))
    )
    return {row["delivery_order_line"]: row["total"] for row in rows}


def returnable_lines(delivery: DeliveryOrder) -> list[tuple[DeliveryOrderLine, int]]:
    """Each line with the pieces that may still go back."""
    taken = returned_quantities(delivery)
    return [
        (line, line.quantity - taken.get(line.pk, 0))
        for line in delivery.lines.select_related("product").order_by("pk")
    ]


def return_plan(
    delivery: DeliveryOrder,
    integration: Integration,
    *,
    quantities: dict[int, int] | None,
    reason_id: int | None,
    refund_type: str,
    option_code: str | None,
    delivery_option: str = "drop_off_point",
    warehouse: Warehouse | None = None,
) -> ReturnPlan:
    """Check a request; raises ApplicationError naming every field to fix. `quantities`
    None means every piece still returnable."""
    number = delivery.number
    problems: list[Problem] = []

    def problem(message, field_name=""):
        problems.append(Problem(message, object=number, field=field_name))

    if delivery.company_id != integration.company_id:
        raise ApplicationError(_("This delivery order belongs to another company."))
    if live_shipment(delivery) is None:
        problem(_("It has no live shipping label, so nothing was shipped to return."))
    warehouse = warehouse or delivery.warehouse
    if warehouse.company_id != delivery.company_id:
        problem(_("Choose a warehouse of your own company."), "warehouse")
    lines = []
    for line, left in returnable_lines(delivery):
        wanted = left if quantities is None else int(quantities.get(line.pk, 0) or 0)
        if wanted < 0:
            problem(_("The quantity of %(product)s cannot be negative.")
                    % {"product": line.product.sku}, f"line_{line.pk}")  # fmt: skip
        elif wanted > left:
            problem(
                _("%(product)s: at most %(left)s of %(shipped)s pieces can still go back.")
                % {"product": line.product.sku, "left": left, "shipped": line.quantity},
                f"line_{line.pk}",
            )
        elif wanted:
            lines.append((line, wanted))
    if not lines and not any(p.field.startswith("line_") for p in problems):
        problem(
            _("Nothing is left to return: every piece is in a return already.")
            if quantities is None
            else _("Enter a quantity for at least one line."),
            "lines",
        )
    reason_id = reason_id or DEFAULT_REASON
    if str(reason_id) not in RETURN_REASON:
        problem(_("Choose one of Sendcloud's return reasons."), "reason")
    if refund_type not in Return.Refund.values:
        problem(_("Choose how the customer is refunded."), "refund_type")
    options = return_options(integration)
    option = options.filter(code=option_code).first() if option_code else options.first()
    if option is None:
        problem(
            _("No return shipping option: run the Abgleich, or choose one the account offers.")
            if not option_code
            else _("“%(code)s” is not a return shipping option of this account.")
            % {"code": option_code},
            "option",
        )
    if delivery_option not in delivery_options_for(option):
        problem(_("This return method is not offered by the chosen shipping option."),
                "delivery_option")  # fmt: skip
    sender = None
    try:
        sender = sender_address_for_delivery(_at(delivery, warehouse), integration)
    except ApplicationError as error:
        problem(error.message, "warehouse")
    if not (delivery.postal_code and delivery.city and delivery.country):
        problem(_("The delivery address (the customer's) is incomplete."), "address")
    if problems:
        raise ApplicationError(
            _("The return for %(number)s cannot be created yet.") % {"number": number}, problems
        )
    return ReturnPlan(
        delivery, warehouse, sender, option, lines, int(reason_id), refund_type, delivery_option
    )


class _At:
    """The delivery order as seen from another warehouse (the sender lookup takes an order)."""

    def __init__(self, delivery, warehouse):
        self.warehouse = warehouse
        self.warehouse_id = warehouse.pk
        self.number = delivery.number


def _at(delivery, warehouse):
    return delivery if warehouse.pk == delivery.warehouse_id else _At(delivery, warehouse)
