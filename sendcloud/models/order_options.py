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
