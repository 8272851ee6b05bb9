"""Delivery orders (Lieferaufträge): what leaves a warehouse, with lines and packages.

`models.py` imports this module; it names the sales order and shipping method it points to by
their model labels, so the import runs one way.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.addresses import PostalAddress
from backoffice.companies.models import CompanyOwned
from backoffice.inventory.models import Product, Warehouse, positive_weight

from .validators import non_negative_amount, positive_quantity


class DeliveryOrder(CompanyOwned, PostalAddress):
    """A Lieferauftrag; its address fields are the shipping address, copied at creation."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        READY = "ready", _("ready")
        DONE = "done", _("done")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("delivery number"), max_length=30)
    sales_order = models.ForeignKey(
        "sales.SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    delivery_date = models.DateField(_("delivery date"), default=timezone.localdate)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    shipping_method = models.ForeignKey(
        "sales.ShippingMethod",
        verbose_name=_("shipping method"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_point_id = models.CharField(_("service point"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delivery order")
        verbose_name_plural = _("delivery orders")
        ordering = ["-created_at", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                name="delivery_order_number_unique_per_company",
                violation_error_message=_("A delivery order with this number already exists."),
            )
        ]

    def __str__(self):
        return self.number

    def clean(self):
        super().clean()
        if (
            self.service_point_id
            and self.shipping_method
            and not self.shipping_method.uses_service_point
        ):
            raise ValidationError(
                {
                    "service_point_id": _(
                        "The shipping method “%(method)s” does not deliver to service points; "
                        "choose another method or clear the service point."
                    )
                    % {"method": self.shipping_method}
                }
            )


class DeliveryOrderLine(models.Model):
    delivery_order = models.ForeignKey(
        DeliveryOrder,
        verbose_name=_("delivery order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[positive_quantity])
    weight_kg = models.DecimalField(
        _("unit weight (kg)"), max_digits=8, decimal_places=3, validators=[positive_weight]
    )
    value = models.DecimalField(
        _("unit value"), max_digits=10, decimal_places=2, validators=[non_negative_amount]
    )

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")

    def __str__(self):
        return f"{self.quantity} × {self.product}"


class Package(models.Model):
    """One parcel of a multi-parcel (multicollo) shipment."""

    delivery_order = models.ForeignKey(
        DeliveryOrder,
        verbose_name=_("delivery order"),
        on_delete=models.CASCADE,
        related_name="packages",
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=8, decimal_places=3, validators=[positive_weight]
    )
    length_cm = models.DecimalField(
        _("length (cm)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    width_cm = models.DecimalField(
        _("width (cm)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=6, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")

    def __str__(self):
        return _("Package %(id)s") % {"id": self.pk}
