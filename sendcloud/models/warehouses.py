from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.inventory.models import Warehouse

from .catalogue import SenderAddress
from .integration import Integration


class WarehouseSenderAddress(models.Model):
    """The Sendcloud sender address of a warehouse, per integration (Lager konfigurieren)."""

    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        on_delete=models.CASCADE,
        related_name="sendcloud_senders",
    )
    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.CASCADE,
        related_name="warehouse_senders",
    )
    sender_address = models.ForeignKey(
        SenderAddress, verbose_name=_("sender address"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("warehouse sender address")
        verbose_name_plural = _("warehouse sender addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "integration"],
                name="one_sender_address_per_warehouse_and_integration",
            )
        ]

    def __str__(self):
        return f"{self.warehouse} → {self.sender_address}"
