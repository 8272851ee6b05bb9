"""Pre-flight rules that come from the routes: what Sendcloud refuses for this option, this route,
these parcels. Each problem names the field and the fix, in German first."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sendcloud import formatting
from sendcloud.errors import Problem
from sendcloud.models import ShippingOption, ShippingRoute

from .routes import no_route_text, routes_to

# Sendcloud's `requirements.fields` (v3 §8.1) → the delivery order field that carries it.
REQUIRED_FIELDS = {
    "to_email": ("email", gettext_lazy("e-mail address")),
    "to_telephone": ("phone", gettext_lazy("phone number")),
}


def shown_limit(high: Decimal | None) -> Decimal | None:
    """Sendcloud's maxima carry a trailing gram ("31.501", "23.001", v3 §8.1) so that the
    half-open band takes the round limit; people read the round limit."""
    if high is not None and (high * 1000) % 10 == 1:
        return high - Decimal("0.001")
    return high


def route_preflight(
    delivery,
    option: ShippingOption,
    route: ShippingRoute | None,
    origin: str,
    packages,
    lookups: dict | None = None,
) -> list[Problem]:
    """Destination, route, weight per parcel within the route's bands, size, required fields."""
    number, name = delivery.number, option.name or option.code
    country = delivery.country.code if delivery.country else ""
    if not routes_to(option.integration_id, country, "", lookups):
        return [Problem(no_route_text(country), object=number, field="country")]
    if route is None:
        if not routes_to(option.integration_id, country, origin, lookups):
            text = no_route_text(country, origin)
        else:
            text = _(
                "“%(option)s” does not ship from %(origin)s to %(country)s; choose an option that "
                "does on the delivery order (Sendcloud shipping method)."
            ) % {"option": name, "origin": origin or "–", "country": country}
        return [Problem(text, object=number, field="sendcloud_option")]
    problems = []
    limit = [Decimal(str(v)) for v in route.max_dimensions_cm or ()]
    for index, (weight, length, width, height, _package) in enumerate(packages, start=1):
        if weight is not None and weight > 0 and not route.takes_weight(Decimal(str(weight))):
            problems.append(
                Problem(
                    _(
                        "Parcel %(index)s weighs %(weight)s kg; %(option)s takes %(low)s to "
                        "%(high)s kg from %(origin)s to %(country)s. Split the parcel or choose "
                        "another option."
                    )
                    % {
                        "index": index,
                        "weight": formatting.number(weight),
                        "option": name,
                        "low": formatting.number(route.min_weight_kg or 0),
                        "high": formatting.number(shown_limit(route.max_weight_kg)) or "–",
                        "origin": route.from_country,
                        "country": route.to_country,
                    },
                    object=number,
                    field="weight",
                )
            )
        if len(limit) == 3 and None not in (length, width, height):
            measured = sorted((Decimal(str(v)) for v in (length, width, height)), reverse=True)
            if any(a > b for a, b in zip(measured, limit, strict=True)):
                problems.append(
                    Problem(
                        _(
                            "Parcel %(index)s measures %(size)s cm; %(option)s takes at most "
                            "%(limit)s cm. Pack smaller or choose another option."
                        )
                        % {
                            "index": index,
                            "size": " × ".join(
                                formatting.number(v) for v in (length, width, height)
                            ),
                            "option": name,
                            "limit": " × ".join(formatting.number(v) for v in limit),
                        },
                        object=number,
                        field="dimensions",
                    )
                )
    for required in route.required_fields or ():
        field, label = REQUIRED_FIELDS.get(required, (None, None))
        if field and not (getattr(delivery, field, "") or "").strip():
            problems.append(
                Problem(
                    _("%(option)s needs the recipient's %(field)s; enter it on the delivery order.")
                    % {"option": name, "field": label},
                    object=number,
                    field=field,
                )
            )
    return problems
