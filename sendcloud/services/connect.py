"""Start, link by typed-in keys, change and unlink Sendcloud integrations (the Setup flow).

The keys Sendcloud posts after Connect, and what it reports about the integration later, arrive
as webhooks: `sendcloud/webhooks/account.py` stores them, for this module too.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import ProtectedError
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


def _unlinked_setups(company):
    """Setups that never got keys from Sendcloud: nothing of them exists at Sendcloud."""
    return Integration.objects.filter(
        company=company,
        state=Integration.State.PENDING,
        sendcloud_id__isnull=True,
        public_key="",
    )


def integration_setup_start(company, *, shop_name: str, return_url: str) -> tuple[Integration, str]:
    """A pending integration and the URL of Sendcloud's connect page for it.

    An abandoned earlier setup (the user left the connect page) is reused, not repeated: the same
    webhook token still receives the keys if the old connect page is completed after all, and
    the overview never waits for a second card that can no longer connect.
    """
    pending = list(_unlinked_setups(company).order_by("-created_at", "-pk"))
    if pending:
        integration, abandoned = pending[0], pending[1:]
        Integration.objects.filter(pk__in=[i.pk for i in abandoned]).delete()
        integration.shop_name, integration.shop_url = shop_name, return_url
        integration.last_error, integration.last_error_at = "", None
        integration.created_at = timezone.now()
        integration.save()
    else:
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
    # The name typed is saved at Sendcloud too: the details read back afterwards would
    # otherwise replace it with the name the account had there.
    integration_settings_update(
        integration,
        shop_name=shop_name,
        webhook_url=integration_webhook_url(integration),
        webhook_active=True,
    )
    return integration


def integration_settings_update(integration: Integration, **fields) -> Integration:
    """Save settings at Sendcloud (v3 PATCH, 204), then show what Sendcloud now has. Test mode
    and the customs export reason are ours alone: stored here once Sendcloud took the rest,
    never sent."""
    local = {
        name: value
        for name in ("test_mode", "export_reason")
        if (value := fields.pop(name, None)) is not None
    }
    if fields.get("service_point_enabled") and not fields.get(
        "service_point_carriers", integration.service_point_carriers
    ):
        raise ApplicationError(_("Choose at least one carrier to enable service points."))
    if not integration.is_usable:
        raise ApplicationError(_("The integration is not connected."))
    client = client_for(integration, reference=gettext_noop("integration settings"))
    client.integration_update(integration.sendcloud_id, **fields)
    changed = [name for name, value in local.items() if getattr(integration, name) != value]
    if changed:
        for name in changed:
            setattr(integration, name, local[name])
        integration.save(update_fields=[*changed, "updated_at"])
    return integration_details_refresh(integration)


def integration_disconnect(integration: Integration) -> bool:
    """Stop using the integration here and forget its keys (Sendcloud keeps its side).

    A setup that never reached Sendcloud is removed instead (True): there is nothing to keep.
    """
    if _unlinked_setups(integration.company).filter(pk=integration.pk).exists():
        integration.delete()
        return True
    integration.state = Integration.State.DISCONNECTED
    integration.is_active = False
    integration.public_key = ""
    integration.secret_key_encrypted = ""
    integration.save()
    return False


def integration_remove(integration: Integration) -> None:
    """Remove a disconnected integration with its mirrored data and logs from the back office."""
    if integration.state != Integration.State.DISCONNECTED:
        raise ApplicationError(_("Only a disconnected integration can be removed."))
    try:
        integration.delete()
    except ProtectedError as protected:
        raise ApplicationError(
            _(
                "The integration cannot be removed: shipments with labels refer to it. It stays "
                "disconnected in the list."
            )
        ) from protected
