"""Mirrored account configuration: sender addresses, brands, carriers, options, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .parcels import MirroredObject


def unique_per_integration(field: str, name: str):
    return models.UniqueConstraint(fields=["integration", field], name=name)


class SenderAddress(MirroredObject):
    sendcloud_id = models.BigIntegerField(_("Sendcloud id"))
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=30, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    state_code = models.CharField(_("state / province"), max_length=10, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    brand_id = models.BigIntegerField(_("brand"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    tax_numbers = models.JSONField(_("tax numbers"), default=list, blank=True)

    class Meta:
        verbose_name = _("sender address")
        verbose_name_plural = _("sender addresses")
        ordering = ["country", "company_name", "sendcloud_id"]
        constraints = [unique_per_integration("sendcloud_id", "sender_address_unique")]

    def __str__(self):
        head = self.label or self.company_name or self.contact_name
        return (
            f"{head}, {self.street} {self.house_number}, {self.postal_code} {self.city}, "
            f"{self.country}"
        )

    @property
    def is_active(self) -> bool:
        return self.archived_at is None


class Brand(MirroredObject):
    sendcloud_id = models.BigIntegerField(_("Sendcloud id"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    domain = models.CharField(_("domain"), max_length=200, blank=True)
    color = models.CharField(_("colour"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]
        constraints = [unique_per_integration("sendcloud_id", "brand_unique")]

    def __str__(self):
        return self.name


class Carrier(MirroredObject):
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["name"]
        constraints = [unique_per_integration("code", "carrier_unique")]

    def __str__(self):
        return self.name or self.code


class ShippingOption(MirroredObject):
    """A v3 shipping option (the v2 "shipping method"), keyed by its option code."""

    code = models.CharField(_("option code"), max_length=200)
    name = models.CharField(_("name"), max_length=300, blank=True)
    carrier_code = models.CharField(_("carrier"), max_length=60, blank=True, db_index=True)
    carrier_name = models.CharField(_("carrier name"), max_length=200, blank=True)
    product_code = models.CharField(_("product"), max_length=200, blank=True)
    product_name = models.CharField(_("product name"), max_length=300, blank=True)
    contract_id = models.BigIntegerField(_("contract"), null=True, blank=True)
    min_weight_kg = models.DecimalField(
        _("minimum weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    max_weight_kg = models.DecimalField(
        _("maximum weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    service_point_required = models.BooleanField(_("service point required"), default=False)
    supports_returns = models.BooleanField(_("returns"), default=False)
    functionalities = models.JSONField(_("functionalities"), default=dict, blank=True)
    requirements = models.JSONField(_("requirements"), default=dict, blank=True)
    countries = models.JSONField(
        _("countries and prices"),
        default=list,
        blank=True,
        help_text=_("List of {from, to, price, currency} where Sendcloud gave them."),
    )
    v2_method_id = models.BigIntegerField(_("v2 method id"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipping option")
        verbose_name_plural = _("shipping options")
        ordering = ["carrier_code", "name"]
        constraints = [unique_per_integration("code", "shipping_option_unique")]

    def __str__(self):
        return self.name or self.code


class ParcelStatus(MirroredObject):
    """One entry of the status catalogue: v2 numeric id and v3 code, joined (v3 ref §11.1)."""

    key = models.CharField(_("key"), max_length=80, help_text=_("v3 code, or v2:<id>."))
    v2_id = models.IntegerField(_("v2 id"), null=True, blank=True, db_index=True)
    v3_code = models.CharField(_("v3 code"), max_length=60, blank=True)
    message = models.CharField(_("message"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("parcel status")
        verbose_name_plural = _("parcel statuses")
        ordering = ["v2_id", "key"]
        constraints = [unique_per_integration("key", "parcel_status_unique")]

    def __str__(self):
        return self.message or self.key


class Invoice(MirroredObject):
    sendcloud_id = models.BigIntegerField(_("Sendcloud id"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=60, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True, db_index=True)
    is_paid = models.BooleanField(_("paid"), null=True)
    price_excl = models.DecimalField(
        _("net"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_incl = models.DecimalField(
        _("gross"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    items = models.JSONField(_("items"), default=list, blank=True)
    items_fetched_at = models.DateTimeField(_("items fetched"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-date", "-sendcloud_id"]
        constraints = [unique_per_integration("sendcloud_id", "invoice_unique")]

    def __str__(self):
        return self.reference or str(self.sendcloud_id)
