"""Check a delivery order locally before anything is sent to Sendcloud."""

from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration

from ..shipping.address import COUNTRIES_NEEDING_STATE, STATE_EXAMPLES, postal_code_problem
from ..shipping.choice import delivery_order_shipping_option, option_fit_problems
from ..shipping.chosen import delivery_order_option_chosen
from ..shipping.routes import delivery_origin
from ..shipping.service_points import service_point_preflight
from ..warehouse_addresses import sender_address_for_delivery
from .mapping import ORDER_CURRENCIES, delivery_weight_kg, needs_customs, split_street

# Limits of Sendcloud's address fields (v2 reference §5.2; v3 takes the same carriers' limits).
MAX_LENGTHS = {
    "contact_name": 50,
    "company_name": 50,
    "street": 75,
    "city": 30,
    "postal_code": 12,
    "address_line_2": 50,
    "phone": 20,
}


def is_sendcloud_delivery(delivery: DeliveryOrder) -> bool:
    method = delivery.shipping_method
    return method is not None and method.provider == ShippingMethod.Provider.SENDCLOUD


def delivery_order_preflight(
    delivery: DeliveryOrder, integration: Integration, *, lookups: dict | None = None
) -> list[str]:
    """Every problem that would make Sendcloud refuse the order, with the fix (empty = ok)."""
    problems: list[str] = []
    field = {"number": delivery.number}
    if not (delivery.contact_name or delivery.company_name):
        problems.append(_("%(number)s: the shipping address needs a name or company.") % field)
    street, number = split_street(delivery.street, delivery.house_number)
    if not street:
        problems.append(_("%(number)s: the shipping address has no street.") % field)
    elif not number and delivery.country.code in {"DE", "AT", "NL", "BE", "LU", "CH"}:
        problems.append(
            _("%(number)s: enter a house number for the street “%(street)s”.")
            % {**field, "street": delivery.street}
        )
    for name, limit in MAX_LENGTHS.items():
        value = getattr(delivery, name) or ""
        if len(value) > limit:
            problems.append(
                _(
                    "%(number)s: %(field)s is %(length)s characters long; Sendcloud accepts at "
                    "most %(limit)s."
                )
                % {
                    **field,
                    "field": DeliveryOrder._meta.get_field(name).verbose_name,
                    "length": len(value),
                    "limit": limit,
                }
            )
    if not delivery.postal_code or not delivery.city:
        problems.append(
            _("%(number)s: the shipping address needs a postal code and a city.") % field
        )
    elif problem := postal_code_problem(delivery.country.code, delivery.postal_code):
        problems.append(f"{delivery.number}: {problem}")
    if delivery.country.code in COUNTRIES_NEEDING_STATE and not delivery.state_code:
        problems.append(
            _(
                "%(number)s: addresses in %(country)s need a state / province code; enter it on "
                "the delivery order (field “state / province”, e.g. %(example)s)."
            )
            % {
                **field,
                "country": delivery.country.code,
                "example": STATE_EXAMPLES.get(delivery.country.code, "US-NY"),
            }
        )
    currency = delivery.sales_order.currency.upper()
    if currency not in ORDER_CURRENCIES:
        problems.append(
            _("%(number)s: Sendcloud takes orders in EUR, GBP or USD, not %(currency)s.")
            % {**field, "currency": currency}
        )
    lines = list(delivery.lines.all())
    if not lines:
        problems.append(_("%(number)s: the delivery order has no lines.") % field)
    elif delivery_weight_kg(delivery) <= 0:
        problems.append(_("%(number)s: the total weight must be above 0 kg.") % field)
    if needs_customs(delivery.country.code, delivery.postal_code):
        for line in lines:
            product = line.product
            if not product.hs_code or not product.origin_country:
                problems.append(
                    _(
                        "%(number)s: %(country)s is outside the EU customs territory; the product "
                        "%(sku)s needs an HS code and a country of origin."
                    )
                    % {**field, "country": delivery.country.code, "sku": product.sku}
                )
    if delivery.service_point_id and not delivery.shipping_method.uses_service_point:
        problems.append(
            _(
                "%(number)s: a service point is set, but the shipping method does "
                "not deliver to service points."
            )
            % field
        )
    chosen = delivery_order_option_chosen(delivery, lookups)
    if chosen is not None and chosen.integration_id == integration.pk:
        # The weight is checked per parcel where the label is made (packages may split it).
        origin = delivery_origin(delivery, integration, lookups)
        for problem in option_fit_problems(
            chosen, country=delivery.country.code, origin=origin, lookups=lookups
        ):
            problems.append(
                _("%(number)s: Sendcloud shipping method: %(problem)s")
                % {**field, "problem": problem}
            )
    if delivery.service_point_id:
        # The chosen point goes with the order (service_point_details): carrier, country and a
        # Packstation's Postnummer are checked here, for order push and labels alike.
        option = delivery_order_shipping_option(delivery, integration, lookups)
        for problem in service_point_preflight(delivery, option):
            problems.append(str(problem))  # "<number>: <message>", like the rules above
    try:
        sender_address_for_delivery(delivery, integration, lookups=lookups)
    except ApplicationError as error:
        problems.append(f"{delivery.number}: {error}")
    return problems
