"""Retoure (return receipt): goods a customer sent back, checked and booked by the warehouse.

A Retoure belongs to the delivery order the goods left with; each line names the delivery order
line and how many pieces came back, then how many went back to stock and how many were written
off (with a reason). Booking is once: a booked Retoure no longer changes stock.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.companies.models import CompanyOwned
from backoffice.inventory.models import Warehouse

from .delivery import DeliveryOrder, DeliveryOrderLine


class Retoure(CompanyOwned):
    class State(models.TextChoices):
        OPEN = "open", _("to check")
        BOOKED = "booked", _("booked")

    number = models.CharField(_("return receipt number"), max_length=40)
    delivery_order = models.ForeignKey(
        DeliveryOrder, verbose_name=_("delivery order"), on_delete=models.PROTECT,
        related_name="retoures",
    )  # fmt: skip
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    booked_at = models.DateTimeField(_("booked"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("return receipt")
        verbose_name_plural = _("return receipts")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="retoure_number_unique_per_company"
            )
        ]

    def __str__(self):
        return self.number


class RetoureLine(models.Model):
    retoure = models.ForeignKey(Retoure, on_delete=models.CASCADE, related_name="lines")
    delivery_order_line = models.ForeignKey(
        DeliveryOrderLine, verbose_name=_("delivery line"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    quantity_expected = models.PositiveIntegerField(_("announced"))
    quantity_restocked = models.PositiveIntegerField(_("back to stock"), default=0)
    quantity_written_off = models.PositiveIntegerField(_("written off"), default=0)
    write_off_reason = models.CharField(_("write-off reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("return receipt line")
        verbose_name_plural = _("return receipt lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity_expected} × {self.delivery_order_line.product}"
