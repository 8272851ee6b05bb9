"""The integration as Sendcloud reports it: keys verified, details read, deletion noted.

The webhook handlers and the Setup services (`services/connect.py`) both come here. No function
holds a transaction or a row lock across a call to Sendcloud: keys are verified and details
read first, then the row is locked briefly to store what came back.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sendcloud.client import errors as sc_errors
from sendcloud.client.parsers import parse_integration_v3
from sendcloud.client.types import INTEGRATION_UPDATE_FIELDS
from sendcloud.client.types import Integration as SendcloudIntegration
from sendcloud.clients import client_for, sendcloud_client
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration


def integration_keys_verify(integration: Integration, public_key: str, secret_key: str):
    """GET /user with the keys, holding no lock; returns (client, user). A 401: ApplicationError."""
    client = sendcloud_client(
        public_key, secret_key, integration=integration, reference=gettext_noop("verify keys")
    )
    try:
        return client, client.user()
    except sc_errors.AuthenticationError as error:
        raise ApplicationError(
            _(
                "Sendcloud rejected these API keys. Check the public and secret key of the "
                "integration in the Sendcloud panel (Settings → Integrations)."
            )
        ) from error


def integration_credentials_accept(
    integration: Integration, *, public_key: str, secret_key: str, sendcloud_id
) -> Integration:
    """The keys Sendcloud posted after Connect: verify, store encrypted, fetch details."""
    try:
        _client, user = integration_keys_verify(integration, public_key, secret_key)
    except ApplicationError as error:
        with transaction.atomic():
            integration = Integration.objects.select_for_update().get(pk=integration.pk)
            integration.state = Integration.State.REJECTED
            integration.last_error, integration.last_error_at = str(error), timezone.now()
            integration.save()
        return integration
    return integration_connect(integration, public_key, secret_key, int(sendcloud_id), user)


def integration_connect(
    integration, public_key, secret_key, sendcloud_id, user, shop_name=None
) -> Integration:
    """Store verified keys and the account they belong to, then read the details."""
    with transaction.atomic():
        if integration.pk:
            integration = Integration.objects.select_for_update().get(pk=integration.pk)
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
    return integration_details_refresh(integration)


def integration_details_refresh(integration: Integration) -> Integration:
    """Read the integration's settings from Sendcloud (v3 GET /integrations/{id})."""
    client = client_for(integration, reference=gettext_noop("integration details"))
    details = client.integration(integration.sendcloud_id)
    integration_details_apply(integration, details, timestamp=timezone.now())
    integration.refresh_from_db()
    return integration


@transaction.atomic
def integration_details_apply(
    integration: Integration, details: SendcloudIntegration | dict, *, timestamp
) -> bool:
    """Copy Sendcloud's view of the integration; stale pushes (older timestamp) are skipped."""
    if isinstance(details, dict):  # a webhook's integration object (v2 §5.13 or v3 names)
        details = parse_integration_v3(details)
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    if timestamp and integration.details_fetched_at and timestamp < integration.details_fetched_at:
        return False
    for name in INTEGRATION_UPDATE_FIELDS:
        value = getattr(details, name)
        if details.raw.get(name) is not None and value is not None:
            setattr(integration, name, list(value) if isinstance(value, tuple) else value)
    integration.system = (details.type or "")[:50]
    integration.details = details.raw
    integration.details_fetched_at = timestamp or timezone.now()
    integration.save()
    return True


def integration_deleted_at_sendcloud(integration: Integration) -> None:
    Integration.objects.filter(pk=integration.pk).update(
        state=Integration.State.DELETED, is_active=False, updated_at=timezone.now()
    )
