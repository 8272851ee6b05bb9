"""Which shipping option ships which route: learned by the Abgleich (v3 `POST /shipping-options`
with from/to country and `calculate_quotes`), read by choice, price and pre-flight."""

from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import unique_per_integration
from .parcels import MirroredObject

SERVICE_POINT_LAST_MILES = ("service_point", "locker", "locker_or_service_point", "pobox")


def route_key(option_code: str, from_country: str, to_country: str) -> str:
    return f"{from_country}>{to_country}>{option_code}"


class ShippingRoute(MirroredObject):
    """One shipping option from one country to another, with its weight bands and prices.

    `bands` is a list of `{"min_kg", "max_kg", "price", "currency", "lead_time_hours"}` (strings
    for the numbers), one per quote Sendcloud gave for the route."""

    key = models.CharField(_("key"), max_length=260)
    option_code = models.CharField(_("option code"), max_length=200, db_index=True)
    option_name = models.CharField(_("name"), max_length=300, blank=True)
    carrier_code = models.CharField(_("carrier"), max_length=60, blank=True)
    from_country = models.CharField(_("from country"), max_length=2)
    to_country = models.CharField(_("to country"), max_length=2, db_index=True)
    min_weight_kg = models.DecimalField(
        _("minimum weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    max_weight_kg = models.DecimalField(
        _("maximum weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    bands = models.JSONField(_("weight bands and prices"), default=list, blank=True)
    max_dimensions_cm = models.JSONField(
        _("maximum dimensions (cm)"),
        default=list,
        blank=True,
        help_text=_("Length, width and height, largest first; empty where Sendcloud names none."),
    )
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    export_documents = models.BooleanField(_("export documents"), default=False)
    service_point_required = models.BooleanField(_("service point required"), default=False)
    last_mile = models.CharField(_("last mile"), max_length=40, blank=True)
    multicollo = models.BooleanField(_("multi-parcel shipments"), default=False)

    class Meta:
        verbose_name = _("shipping route")
        verbose_name_plural = _("shipping routes")
        ordering = ["from_country", "to_country", "option_code"]
        constraints = [unique_per_integration("key", "shipping_route_unique")]
        indexes = [models.Index(fields=["integration", "from_country", "to_country"])]

    def __str__(self):
        return f"{self.option_name or self.option_code}: {self.from_country} → {self.to_country}"

    @property
    def delivers_to_service_point(self) -> bool:
        return self.service_point_required or self.last_mile in SERVICE_POINT_LAST_MILES

    def band_for(self, weight: Decimal) -> dict | None:
        """The band that holds `weight`: min ≤ weight < max (Sendcloud's maxima carry a
        trailing gram, "31.501", so the half-open band still takes the round limit)."""
        for band in self.bands or ():
            try:
                low = Decimal(str(band.get("min_kg") or "0"))
                high = band.get("max_kg")
                high = Decimal(str(high)) if high not in (None, "") else None
            except (InvalidOperation, ValueError):
                continue
            if low <= weight and (high is None or weight < high):
                return band
        return None

    def takes_weight(self, weight: Decimal) -> bool:
        low, high = self.min_weight_kg, self.max_weight_kg
        if low is not None and weight < low:
            return False
        if high is not None and weight >= high:
            return False
        return not self.bands or self.band_for(weight) is not None

    def lead_time_hours(self) -> int | None:
        hours = [b.get("lead_time_hours") for b in self.bands or () if b.get("lead_time_hours")]
        return min(hours) if hours else None
