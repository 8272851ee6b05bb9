import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.companies.models import CompanyOwned
from sendcloud.crypto import mask, secret_decrypt, secret_encrypt


def new_webhook_token() -> str:
    return secrets.token_urlsafe(32)


class IntegrationQuerySet(models.QuerySet):
    def connected(self):
        """Active and connected, in the company's order: the first one is the default."""
        return self.filter(is_active=True, state=Integration.State.CONNECTED).order_by(
            "position", "id"
        )


class Integration(CompanyOwned):
    """A linked Sendcloud integration (one key pair) of a company."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        CONNECTED = "connected", _("connected")
        REJECTED = "rejected", _("credentials rejected")
        DELETED = "deleted", _("deleted at Sendcloud")
        DISCONNECTED = "disconnected", _("disconnected")

    class LabelApi(models.TextChoices):
        V3 = "v3", _("API v3 (shipments)")
        V2 = "v2", _("API v2 (parcels, accounts before 2026-04-13)")

    position = models.PositiveIntegerField(_("order"), default=0)
    shop_name = models.CharField(_("shop name"), max_length=250)
    shop_url = models.URLField(_("shop URL"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    is_active = models.BooleanField(_("active"), default=True)
    sendcloud_id = models.BigIntegerField(_("Sendcloud integration id"), null=True, blank=True)
    system = models.CharField(_("integration type"), max_length=50, blank=True)
    webhook_token = models.CharField(
        max_length=64, unique=True, default=new_webhook_token, editable=False
    )
    public_key = models.CharField(_("public key"), max_length=100, blank=True)
    secret_key_encrypted = models.TextField(blank=True, editable=False)
    account_username = models.CharField(_("Sendcloud account"), max_length=150, blank=True)
    account_company = models.CharField(_("account company"), max_length=200, blank=True)
    account_user_id = models.BigIntegerField(null=True, blank=True)
    webhook_url = models.URLField(_("webhook URL at Sendcloud"), max_length=500, blank=True)
    webhook_active = models.BooleanField(_("webhook active at Sendcloud"), default=False)
    service_point_enabled = models.BooleanField(_("service points"), default=False)
    service_point_carriers = models.JSONField(_("service point carriers"), default=list, blank=True)
    feedback_type = models.CharField(_("feedback"), max_length=20, blank=True)
    label_api = models.CharField(
        _("API for labels"), max_length=2, choices=LabelApi.choices, default=LabelApi.V3
    )
    test_mode = models.BooleanField(
        _("test mode for labels"),
        default=False,
        help_text=_(
            "Every label is cancelled right after it was created; Sendcloud charges it only if "
            "the cancellation does not go through in time."
        ),
    )
    export_reason = models.CharField(
        _("export reason for customs"),
        max_length=20,
        choices=[
            ("commercial_goods", _("Commercial goods")),
            ("gift", _("Gift")),
            ("documents", _("Documents")),
            ("commercial_sample", _("Commercial sample")),
        ],
        default="commercial_goods",
        help_text=_("Sent with every shipment outside the EU customs territory."),
    )
    status_actions = models.JSONField(
        _("consequences of parcel statuses"),
        default=dict,
        blank=True,
        help_text=_("Per status group (delivered, exception, returned): deliver, flag or none."),
    )
    details = models.JSONField(_("details from Sendcloud"), default=dict, blank=True)
    details_fetched_at = models.DateTimeField(_("details fetched"), null=True, blank=True)
    connected_at = models.DateTimeField(_("connected"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sendcloud integration")
        verbose_name_plural = _("Sendcloud integrations")
        ordering = ["position", "id"]
        # What the roles (backoffice/companies/roles.py) grant on the Sendcloud pages.
        permissions = [
            ("view_sendcloud", _("Can see the Sendcloud pages, lists, runs and logs")),
            ("create_labels", _("Can create and cancel Sendcloud labels")),
            ("push_orders", _("Can push orders to Sendcloud")),
            ("run_sync", _("Can start a Sendcloud sync")),
            (
                "manage_integration",
                _("Can configure the Sendcloud integration (link, keys, settings, warehouses)"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "sendcloud_id"],
                condition=models.Q(sendcloud_id__isnull=False),
                name="integration_sendcloud_id_unique_per_company",
            )
        ]

    def __str__(self):
        return self.shop_name

    @property
    def secret_key(self) -> str:
        return secret_decrypt(self.secret_key_encrypted)

    @secret_key.setter
    def secret_key(self, value: str) -> None:
        self.secret_key_encrypted = secret_encrypt(value)

    @property
    def public_key_masked(self) -> str:
        return mask(self.public_key)

    @property
    def has_keys(self) -> bool:
        return bool(self.public_key and self.secret_key_encrypted)

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.state == self.State.CONNECTED and self.has_keys
