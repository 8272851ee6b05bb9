"""Order push: each delivery order's state at Sendcloud, the outbox, and backfill runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.sales.models import DeliveryOrder, ShippingMethod

from .catalogue import ShippingOption
from .integration import Integration
from .runs import Run


class OrderPush(models.Model):
    """What Sendcloud knows of one delivery order (pushed as a v3 order)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        PUSHED = "pushed", _("pushed")
        NEEDS_FIXING = "needs_fixing", _("needs fixing")
        FAILED = "failed", _("failed")
        REMOVED = "removed", _("removed at Sendcloud")

    delivery_order = models.ForeignKey(
        DeliveryOrder,
        verbose_name=_("delivery order"),
        on_delete=models.CASCADE,
        related_name="sendcloud_pushes",
    )
    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.CASCADE,
        related_name="order_pushes",
    )
    external_id = models.CharField(
        _("order id at Sendcloud"),
        max_length=100,
        help_text=_("Fixed at the first push, so a re-push updates and never duplicates."),
    )
    sendcloud_order_id = models.BigIntegerField(_("Sendcloud order"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    pushed_at = models.DateTimeField(_("pushed"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order push")
        verbose_name_plural = _("order pushes")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_order", "integration"],
                name="one_push_state_per_delivery_and_integration",
            ),
            models.UniqueConstraint(
                fields=["integration", "external_id"],
                name="external_order_id_unique_per_integration",
            ),
        ]

    def __str__(self):
        return f"{self.delivery_order} → {self.get_state_display()}"


class OrderOutbox(models.Model):
    """A pending write to Sendcloud, committed together with the delivery order change."""

    class Kind(models.TextChoices):
        UPSERT = "upsert", _("create or update")
        DELETE = "delete", _("delete")

    delivery_order = models.ForeignKey(
        DeliveryOrder, on_delete=models.CASCADE, related_name="sendcloud_outbox"
    )
    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="order_outbox"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPSERT)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(
        default=1,
        help_text=_(
            "Raised on every change; a delivery only removes the version it "
            "sent, so a change made meanwhile is sent too."
        ),
    )
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("order outbox entry")
        verbose_name_plural = _("order outbox")
        ordering = ["available_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_order", "integration"],
                name="one_outbox_row_per_delivery_and_integration",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.delivery_order_id}"


class OrderPushRun(Run):
    """One "Bestellungen abgleichen" backfill."""

    busy_message = _(
        "An order sync for this integration is already running; wait for it to finish."
    )
    resumed_message = _(
        "An earlier order sync stopped unexpectedly; it continues where it stopped."
    )

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="order_push_runs"
    )
    since = models.DateField(_("orders from"))
    only_failed_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField(_("orders"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("order sync")
        verbose_name_plural = _("order syncs")
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_active_order_push_run_per_integration",
            )
        ]

    def __str__(self):
        return f"{self.integration} {self.since}"


class OrderPushEvent(models.Model):
    """One line of a delivery order's Sendcloud timeline (and of a backfill's result list)."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        SKIPPED = "skipped", _("skipped")
        FAILED = "failed", _("failed")
        DELETED = "deleted", _("removed at Sendcloud")
        WAITING = "waiting", _("waiting for Sendcloud")

    delivery_order = models.ForeignKey(
        DeliveryOrder, on_delete=models.CASCADE, related_name="sendcloud_events"
    )
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(
        OrderPushRun, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("order push event")
        verbose_name_plural = _("order push events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.delivery_order_id} {self.outcome}"


class ChoiceStrategy(models.TextChoices):
    """How an order without an explicit option gets one (the shipping method's mapping, or
    `sendcloud_labels --choose`)."""

    FIXED = "fixed", _("this option")
    CHEAPEST = "cheapest", _("automatically: cheapest fitting")
    FASTEST = "fastest", _("automatically: fastest fitting")
    CHEAPEST_OF_CARRIER = "cheapest_of_carrier", _("automatically: cheapest of one carrier")


class ShippingMethodOption(models.Model):
    """Which Sendcloud shipping option a back-office shipping method ships with: a fixed one, or
    a strategy that picks among the options fitting each order's route, weight and size."""

    shipping_method = models.ForeignKey(
        ShippingMethod,
        verbose_name=_("shipping method"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="+"
    )
    strategy = models.CharField(
        _("choice"), max_length=30, choices=ChoiceStrategy.choices, default=ChoiceStrategy.FIXED
    )
    shipping_option = models.ForeignKey(
        ShippingOption,
        verbose_name=_("Sendcloud option"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    strategy_carrier = models.CharField(
        _("carrier"),
        max_length=60,
        blank=True,
        help_text=_("Carrier code for “cheapest of one carrier”, e.g. dhl."),
    )

    class Meta:
        verbose_name = _("Sendcloud shipping option")
        verbose_name_plural = _("Sendcloud shipping options")
        constraints = [
            models.UniqueConstraint(
                fields=["shipping_method", "integration"],
                name="one_option_per_method_and_integration",
            )
        ]

    def __str__(self):
        if self.strategy == ChoiceStrategy.FIXED:
            return f"{self.shipping_method} → {self.shipping_option}"
        return f"{self.shipping_method} → {self.get_strategy_display()}"
