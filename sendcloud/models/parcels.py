from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .integration import Integration


def status_wins(current: datetime | None, incoming: datetime | None) -> bool:
    """Newer status wins: an incoming status replaces the stored one unless the stored one is
    newer, and a status without a time never replaces one that has a time."""
    return current is None or (incoming is not None and incoming >= current)


class MirroredObject(models.Model):
    """A Sendcloud object copied into the back office, keyed by (integration, Sendcloud id)."""

    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="+"
    )
    raw = models.JSONField(_("as Sendcloud sent it"), default=dict)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("Set when the object disappeared from Sendcloud; cleared if it returns."),
    )
    # Change detection and the archive pass of the Abgleich (sendcloud.sync): a digest of what
    # Sendcloud sent, and the sync run that last saw the object in a full pass.
    fingerprint = models.CharField(max_length=40, blank=True, editable=False)
    seen_run = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Parcel(MirroredObject):
    sendcloud_id = models.BigIntegerField(_("parcel id"))
    shipment_id = models.CharField(_("shipment id"), max_length=64, blank=True, db_index=True)
    tracking_number = models.CharField(
        _("tracking number"), max_length=100, blank=True, db_index=True
    )
    tracking_url = models.URLField(_("tracking URL"), max_length=500, blank=True)
    status_id = models.IntegerField(_("status id"), null=True, blank=True)
    status_code = models.CharField(_("status code"), max_length=60, blank=True)
    status_message = models.CharField(_("status"), max_length=200, blank=True)
    status_changed_at = models.DateTimeField(
        _("status time"),
        null=True,
        blank=True,
        help_text=_("Time of the newest status applied; older events never overwrite it."),
    )
    carrier_code = models.CharField(_("carrier"), max_length=60, blank=True, db_index=True)
    shipping_method = models.CharField(_("shipping method"), max_length=200, blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True, db_index=True)
    external_reference = models.CharField(
        _("external reference"), max_length=200, blank=True, db_index=True
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    to_name = models.CharField(_("recipient"), max_length=200, blank=True)
    to_city = models.CharField(_("city"), max_length=100, blank=True)
    to_country = models.CharField(_("country"), max_length=2, blank=True)
    is_return = models.BooleanField(_("return parcel"), default=False)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    sendcloud_created_at = models.DateTimeField(
        _("created at Sendcloud"), null=True, blank=True, db_index=True
    )
    sendcloud_updated_at = models.DateTimeField(_("updated at Sendcloud"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["-sendcloud_created_at", "-sendcloud_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "sendcloud_id"], name="parcel_unique_per_integration"
            )
        ]

    def __str__(self):
        return self.tracking_number or str(self.sendcloud_id)


class Return(MirroredObject):
    sendcloud_id = models.BigIntegerField(_("return id"))
    status = models.CharField(_("status"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True, db_index=True)
    refund_status = models.CharField(_("refund"), max_length=60, blank=True)
    refund_total = models.DecimalField(
        _("refund amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    incoming_parcel_id = models.BigIntegerField(_("incoming parcel"), null=True, blank=True)
    outgoing_parcel_id = models.BigIntegerField(_("outgoing parcel"), null=True, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    incoming_tracking_number = models.CharField(
        _("return tracking number"), max_length=100, blank=True
    )
    event_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sendcloud_updated_at = models.DateTimeField(_("updated at Sendcloud"), null=True, blank=True)
    sendcloud_created_at = models.DateTimeField(_("created at Sendcloud"), null=True, blank=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-sendcloud_created_at", "-sendcloud_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "sendcloud_id"], name="return_unique_per_integration"
            )
        ]

    def __str__(self):
        return str(self.sendcloud_id)
