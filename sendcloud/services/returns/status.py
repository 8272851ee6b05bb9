"""A return's status in the reader's language; reconciliation: returns whose status may have
moved without a webhook are read again."""

import logging

from django.db.models import Q

from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.models import Integration, Return
from sendcloud.vocabulary import PARCEL_STATUS, RETURN_STATUS, V2_STATUS
from sendcloud.webhooks.returns import return_object_apply

from .resolve import ReturnPending, return_resolve

log = logging.getLogger("sendcloud.returns")


def return_status_text(returned: Return) -> str:
    """The return's parcel status in the user's language, else Sendcloud's workflow status."""
    code = V2_STATUS.get(returned.parcel_status_id)
    if code in PARCEL_STATUS:
        return str(PARCEL_STATUS[code])
    if returned.parcel_status:
        return returned.parcel_status
    return str(RETURN_STATUS.get(returned.status, returned.status or "–"))


def returns_reconcile(integration: Integration, *, client=None) -> int:
    """Read every open return of the integration that is not delivered yet (and resolve
    attempts whose answer was lost); returns how many were read."""
    client = client or client_for(integration, reference="returns reconcile")
    read = 0
    for returned in Return.objects.filter(integration=integration, state=Return.State.CREATING):
        try:
            return_resolve(returned, client)
        except (ReturnPending, SendcloudError) as exc:
            log.info("return %s still open: %s", returned.external_reference, exc)
    open_returns = Return.objects.filter(
        Q(state__in=[Return.State.LIVE, Return.State.CANCEL_REQUESTED]),
        integration=integration,
        delivered_at=None,
    ).exclude(sendcloud_id=None)
    for returned in open_returns:
        try:
            return_object_apply(returned, client.returns_v3.get(returned.sendcloud_id))
            read += 1
        except SendcloudError as exc:
            log.warning("return %s: %s", returned.sendcloud_id, exc)
    return read


def returns_reconcile_all() -> int:
    """Reconcile every usable integration with open returns (the beat task)."""
    read = 0
    open_integrations = (
        Return.objects.filter(state__in=Return.OPEN_STATES, delivered_at=None)
        .values_list("integration_id", flat=True)
        .distinct()
    )
    for integration in Integration.objects.filter(pk__in=open_integrations):
        if integration.is_usable:
            read += returns_reconcile(integration)
    return read
