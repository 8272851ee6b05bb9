"""Link, verify, refresh, change and unlink Sendcloud integrations (the Setup flow)."""

from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sendcloud.client import errors as sc_errors
from sendcloud.client.probe import probe_url
from sendcloud.models import Integration

from .clients import client_for, sendcloud_client

INTEGRATION_FIELDS = (
    "shop_name",
    "shop_url",
    "service_point_enabled",
    "service_point_carriers",
    "webhook_active",
    "webhook_url",
    "feedback_type",
)


class IntegrationError(Exception):
    """A business-rule failure with a translated message for the user."""


def integration_webhook_url(integration: Integration) -> str:
    path = reverse("sendcloud:webhook", args=[integration.webhook_token])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def integration_setup_start(company, *, shop_name: str, return_url: str) -> tuple[Integration, str]:
    """Create a pending integration and the URL of Sendcloud's connect page for it."""
    integration = Integration.objects.create(
        company=company,
        shop_name=shop_name,
        shop_url=return_url,
        position=Integration.objects.filter(company=company).count(),
    )
    webhook_url = integration_webhook_url(integration)
    if not probe_url(webhook_url, timeout=5.0):
        integration.last_error = _(
            "Sendcloud could not reach the webhook URL %(url)s. Set PUBLIC_BASE_URL to an "
            "address that is reachable from the internet."
        ) % {"url": webhook_url}
        integration.last_error_at = timezone.now()
        integration.save(update_fields=["last_error", "last_error_at"])
        raise IntegrationError(integration.last_error)
    query = urlencode(
        {"url_webshop": return_url, "webhook_url": webhook_url, "shop_name": shop_name}
    )
    connect = f"{settings.SENDCLOUD_BASE_URL.rstrip('/')}/shops/{settings.SENDCLOUD_SHOP_TYPE}/"
    return integration, f"{connect}connect/?{query}"


def _verify_keys(integration, public_key: str, secret_key: str):
    """GET /user with the keys; a 401 becomes a translated IntegrationError."""
    client = sendcloud_client(
        public_key, secret_key, integration=integration, reference=gettext_noop("verify keys")
    )
    try:
        return client, client.user()
    except sc_errors.AuthenticationError as error:
        raise IntegrationError(
            _(
                "Sendcloud rejected these API keys. Check the public and secret key of the "
                "integration in the Sendcloud panel (Settings → Integrations)."
            )
        ) from error


@transaction.atomic
def integration_credentials_accept(
    integration: Integration, *, public_key: str, secret_key: str, sendcloud_id
) -> Integration:
    """The keys Sendcloud posted after Connect: verify, store encrypted, fetch details."""
    try:
        _client, user = _verify_keys(integration, public_key, secret_key)
    except IntegrationError as error:
        integration.state = Integration.State.REJECTED
        integration.last_error, integration.last_error_at = str(error), timezone.now()
        integration.save()
        return integration
    _connect(integration, public_key, secret_key, int(sendcloud_id), user)
    return integration


def integration_keys_save(
    company, *, public_key: str, secret_key: str, shop_name: str
) -> Integration:
    """Typed-in keys: verified before anything is stored; the webhook is pointed at us."""
    public_key, secret_key = public_key.strip(), secret_key.strip()
    probe = Integration(company=company, shop_name=shop_name)
    client, user = _verify_keys(probe, public_key, secret_key)
    metadata = client.auth_metadata()
    existing = Integration.objects.filter(
        company=company, sendcloud_id=metadata.integration_id
    ).first()
    integration = existing or probe
    if not integration.pk:
        integration.position = Integration.objects.filter(company=company).count()
    with transaction.atomic():
        _connect(
            integration, public_key, secret_key, metadata.integration_id, user, shop_name=shop_name
        )
    integration_settings_update(
        integration, webhook_url=integration_webhook_url(integration), webhook_active=True
    )
    return integration


def _connect(integration, public_key, secret_key, sendcloud_id, user, shop_name=None):
    integration.public_key = public_key
    integration.secret_key = secret_key
    integration.sendcloud_id = sendcloud_id
    integration.account_username = str(getattr(user, "username", "") or "")[:150]
    integration.account_company = str(getattr(user, "company_name", "") or "")[:200]
    integration.account_user_id = (user.raw or {}).get("id")
    integration.state = Integration.State.CONNECTED
    integration.is_active = True
    integration.connected_at = timezone.now()
    integration.last_error = ""
    if shop_name:
        integration.shop_name = shop_name
    integration.save()
    integration_details_refresh(integration)


def integration_details_refresh(integration: Integration) -> Integration:
    """Read the integration's settings from Sendcloud (v3 GET /integrations/{id})."""
    details = client_for(integration, reference=gettext_noop("integration details")).integration(
        integration.sendcloud_id
    )
    integration_details_apply(integration, details.raw, timestamp=timezone.now())
    return integration


def integration_details_apply(
    integration: Integration, details: dict, *, timestamp: datetime | None
) -> bool:
    """Copy Sendcloud's view of the integration; stale pushes (older timestamp) are skipped."""
    if timestamp and integration.details_fetched_at and timestamp < integration.details_fetched_at:
        return False
    for name in ("shop_name", "shop_url", "webhook_url", "feedback_type"):
        if details.get(name) is not None:
            setattr(integration, name, str(details[name]))
    for name in ("webhook_active", "service_point_enabled"):
        if details.get(name) is not None:
            setattr(integration, name, bool(details[name]))
    if isinstance(details.get("service_point_carriers"), list):
        integration.service_point_carriers = [str(c) for c in details["service_point_carriers"]]
    integration.system = str(details.get("type") or details.get("system") or "")[:50]
    integration.details = details
    integration.details_fetched_at = timestamp or timezone.now()
    integration.save()
    return True


def integration_settings_update(integration: Integration, **fields) -> Integration:
    """Save settings at Sendcloud (v3 PATCH, 204), then show what Sendcloud now has."""
    unknown = set(fields) - set(INTEGRATION_FIELDS)
    if unknown:
        raise ValueError(f"not an integration setting: {sorted(unknown)}")
    if fields.get("service_point_enabled") and not fields.get(
        "service_point_carriers", integration.service_point_carriers
    ):
        raise IntegrationError(_("Choose at least one carrier to enable service points."))
    if not integration.is_usable:
        raise IntegrationError(_("The integration is not connected."))
    client = client_for(integration, reference=gettext_noop("integration settings"))
    client.integration_update(integration.sendcloud_id, **fields)
    return integration_details_refresh(integration)


def integration_deleted_at_sendcloud(integration: Integration) -> None:
    integration.state = Integration.State.DELETED
    integration.is_active = False
    integration.save(update_fields=["state", "is_active", "updated_at"])


def integration_disconnect(integration: Integration) -> None:
    """Stop using the integration here and forget its keys (Sendcloud keeps its side)."""
    integration.state = Integration.State.DISCONNECTED
    integration.is_active = False
    integration.public_key = ""
    integration.secret_key_encrypted = ""
    integration.save()
