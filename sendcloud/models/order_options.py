"""The Sendcloud shipping method (v3 option) chosen on a sales or delivery order.

Link rows in this app keep `backoffice` free of Sendcloud: an order without a row ships with the
option its shipping method is mapped to (`ShippingMethodOption`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.sales.models import DeliveryOrder, SalesOrder

from .catalogue import ShippingOption


class ChosenShippingOption(models.Model):
    shipping_option = models.ForeignKey(
        ShippingOption,
        verbose_name=_("Sendcloud shipping method"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen"), auto_now=True)
    reason = models.CharField(
        _("why"),
        max_length=300,
        blank=True,
        help_text=_("Set when the option was chosen automatically, e.g. the cheapest fitting."),
    )

    class Meta:
        abstract = True


class SalesOrderShippingOption(ChosenShippingOption):
    """Chosen on the sales order; its delivery orders inherit it unless they choose their own."""

    sales_order = models.OneToOneField(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.CASCADE,
        related_name="sendcloud_option",
    )

    class Meta:
        verbose_name = _("Sendcloud shipping method of a sales order")
        verbose_name_plural = _("Sendcloud shipping methods of sales orders")

    def __str__(self):
        return f"{self.sales_order} → {self.shipping_option}"


class DeliveryOrderShippingOption(ChosenShippingOption):
    delivery_order = models.OneToOneField(
        DeliveryOrder,
        verbose_name=_("delivery order"),
        on_delete=models.CASCADE,
        related_name="sendcloud_option",
    )

    class Meta:
        verbose_name = _("Sendcloud shipping method of a delivery order")
        verbose_name_plural = _("Sendcloud shipping methods of delivery orders")

    def __str__(self):
        return f"{self.delivery_order} → {self.shipping_option}"


class DeliveryOrderServicePoint(models.Model):
    """The Sendcloud service point (Paketshop, Packstation, Postfiliale) a delivery order ships
    to, as it was chosen from the lookup. `DeliveryOrder.service_point_id` keeps the id that
    order push and labels send; this row keeps what the clerk saw and the Postnummer."""

    delivery_order = models.OneToOneField(
        DeliveryOrder,
        verbose_name=_("delivery order"),
        on_delete=models.CASCADE,
        related_name="sendcloud_service_point",
    )
    point_id = models.CharField(_("service point id"), max_length=50)
    carrier_code = models.CharField(_("carrier"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=30, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2)
    general_shop_type = models.CharField(_("type"), max_length=30, blank=True)
    post_number = models.CharField(
        _("DHL Postnummer"),
        max_length=10,
        blank=True,
        help_text=_("The recipient's DHL customer number (6–10 digits), needed for a Packstation."),
    )
    chosen_at = models.DateTimeField(_("chosen"), auto_now=True)

    class Meta:
        verbose_name = _("service point of a delivery order")
        verbose_name_plural = _("service points of delivery orders")

    def __str__(self):
        return f"{self.delivery_order} → {self.name}"

    @property
    def is_locker(self) -> bool:
        return self.general_shop_type == "locker"
