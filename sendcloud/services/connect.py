"""Start, link by typed-in keys, change and unlink Sendcloud integrations (the Setup flow).

The keys Sendcloud posts after Connect, and what it reports about the integration later, arrive
as webhooks: `sendcloud/webhooks/account.py` stores them, for this module too.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sendcloud.client.probe import probe_url
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration
from sendcloud.webhooks.account import (
    integration_connect,
    integration_details_refresh,
    integration_keys_verify,
)


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
        raise ApplicationError(integration.last_error)
    query = urlencode(
        {"url_webshop": return_url, "webhook_url": webhook_url, "shop_name": shop_name}
    )
    connect = f"{settings.SENDCLOUD_BASE_URL.rstrip('/')}/shops/{settings.SENDCLOUD_SHOP_TYPE}/"
    return integration, f"{connect}connect/?{query}"


def integration_keys_save(
    company, *, public_key: str, secret_key: str, shop_name: str
) -> Integration:
    """Typed-in keys: verified before anything is stored; the webhook is pointed at us."""
    public_key, secret_key = public_key.strip(), secret_key.strip()
    probe = Integration(company=company, shop_name=shop_name)
    client, user = integration_keys_verify(probe, public_key, secret_key)
    metadata = client.auth_metadata()
    existing = Integration.objects.filter(
        company=company, sendcloud_id=metadata.integration_id
    ).first()
    integration = existing or probe
    if not integration.pk:
        integration.position = Integration.objects.filter(company=company).count()
    integration = integration_connect(
        integration, public_key, secret_key, metadata.integration_id, user, shop_name=shop_name
    )
    integration_settings_update(
        integration, webhook_url=integration_webhook_url(integration), webhook_active=True
    )
    return integration


def integration_settings_update(integration: Integration, **fields) -> Integration:
    """Save settings at Sendcloud (v3 PATCH, 204), then show what Sendcloud now has."""
    if fields.get("service_point_enabled") and not fields.get(
        "service_point_carriers", integration.service_point_carriers
    ):
        raise ApplicationError(_("Choose at least one carrier to enable service points."))
    if not integration.is_usable:
        raise ApplicationError(_("The integration is not connected."))
    client = client_for(integration, reference=gettext_noop("integration settings"))
    client.integration_update(integration.sendcloud_id, **fields)
    return integration_details_refresh(integration)


def integration_disconnect(integration: Integration) -> None:
    """Stop using the integration here and forget its keys (Sendcloud keeps its side)."""
    integration.state = Integration.State.DISCONNECTED
    integration.is_active = False
    integration.public_key = ""
    integration.secret_key_encrypted = ""
    integration.save()
