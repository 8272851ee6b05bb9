from django.db import models
from django.utils.translation import gettext_lazy as _

from .integration import Integration


class WebhookEvent(models.Model):
    """Every inbound webhook request, stored before anything acts on it."""

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        PROCESSED = "processed", _("processed")
        DUPLICATE = "duplicate", _("duplicate")
        IGNORED = "ignored", _("ignored")
        FAILED = "failed", _("failed")
        REJECTED = "rejected", _("rejected")

    class Signature(models.TextChoices):
        VALID = "valid", _("valid")
        VALID_FIRST_USE = "first_use", _("valid (key from the message)")
        INVALID = "invalid", _("invalid")
        MISSING = "missing", _("missing")
        NOT_CHECKED = "not_checked", _("not checked")

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_events",
    )
    company_id_hint = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("sender address"), null=True, blank=True)
    token_hint = models.CharField(_("URL token (start)"), max_length=12, blank=True)
    headers = models.JSONField(_("headers"), default=dict)
    raw_body = models.BinaryField(_("body"))
    body_encrypted = models.BooleanField(default=False, editable=False)
    body_sha256 = models.CharField(max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=60, blank=True, db_index=True)
    signature = models.CharField(_("signature"), max_length=20, choices=Signature.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    status_code = models.PositiveSmallIntegerField(_("answered with"), default=200)
    reason = models.TextField(_("reason"), blank=True)
    object_ref = models.CharField(_("object"), max_length=100, blank=True)
    event_timestamp = models.DateTimeField(_("event time"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    # A draining worker leases the event until then; after it, another may take it over.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "id"], name="webhook_event_state_id"),
            # The dashboard's webhook lag: a company's events of the last days.
            models.Index(
                fields=["company_id_hint", "received_at"], name="webhook_company_received"
            ),
        ]

    def __str__(self):
        return f"{self.action or '?'} #{self.pk}"


class ApiCall(models.Model):
    """One HTTP call to Sendcloud, redacted: what the integration did and what came back."""

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_calls",
    )
    company_id_hint = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    query = models.CharField(_("query"), max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    request_excerpt = models.TextField(_("request"), blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    reference = models.CharField(_("related record"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.method} {self.path} → {self.status_code}"
