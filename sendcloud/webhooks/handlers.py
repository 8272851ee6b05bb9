"""One handler per webhook action (the table at the end); each is idempotent.

A handler runs outside any transaction and takes its own, short ones: the credentials handler
calls Sendcloud, and no row stays locked while it waits.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_noop

from sendcloud.client import parse_epoch_ms

from .account import (
    integration_credentials_accept,
    integration_deleted_at_sendcloud,
    integration_details_apply,
)
from .labels import label_status_apply
from .mirror import parcel_status_apply, return_event_apply
from .returns import return_status_apply


@dataclass(frozen=True)
class Outcome:
    reason: str = ""
    object_ref: str = ""
    timestamp: datetime | None = None


def on_credentials(event, payload) -> Outcome:
    integration_credentials_accept(
        event.integration,
        public_key=str(payload.get("public_key", "")),
        secret_key=str(payload.get("secret_key", "")),
        sendcloud_id=payload.get("integration_id"),
    )
    return Outcome(object_ref=f"integration {payload.get('integration_id')}")


def on_integration_changed(event, payload) -> Outcome:
    timestamp = parse_epoch_ms(payload.get("timestamp"))
    details = payload.get("integration") or {}
    applied = integration_details_apply(event.integration, details, timestamp=timestamp)
    reason = "" if applied else gettext_noop("Older than the details already stored; skipped.")
    return Outcome(reason, f"integration {details.get('id', '')}", timestamp)


def on_integration_deleted(event, payload) -> Outcome:
    integration_deleted_at_sendcloud(event.integration)
    return Outcome(
        object_ref=f"integration {(payload.get('integration') or {}).get('id', '')}",
        timestamp=parse_epoch_ms(payload.get("timestamp")),
    )


def on_parcel_status_changed(event, payload) -> Outcome:
    timestamp = parse_epoch_ms(payload.get("timestamp"))
    parcel, applied = parcel_status_apply(
        event.integration, payload.get("parcel") or {}, timestamp=timestamp
    )
    label_status_apply(event.integration, payload.get("parcel") or {}, timestamp=timestamp)
    return_status_apply(event.integration, payload.get("parcel") or {}, timestamp=timestamp)
    return parcel_status_outcome(parcel, applied, timestamp)


def parcel_label_status_apply(integration, parcel: dict, timestamp) -> None:
    """The label side of a parcel status event (the batched path in `processing` calls it for
    the parcels that have a label, and for return parcels)."""
    label_status_apply(integration, parcel, timestamp=timestamp)
    return_status_apply(integration, parcel, timestamp=timestamp)


def parcel_status_outcome(parcel, applied: bool, timestamp) -> Outcome:
    """What a parcel status event did (also for the batched path in `processing`)."""
    if applied:
        reason = ""
    elif timestamp is None:
        reason = gettext_noop("The event has no time; the stored status has one and stays.")
    else:
        reason = gettext_noop("Older than the status already stored; skipped.")
    return Outcome(reason, f"parcel {parcel.sendcloud_id}", timestamp)


def on_return_event(event, payload) -> Outcome:
    timestamp = parse_epoch_ms(payload.get("timestamp"))
    returned = return_event_apply(event.integration, event.action, payload, timestamp=timestamp)
    return Outcome(
        object_ref=f"return {returned.sendcloud_id}" if returned else "", timestamp=timestamp
    )


def on_test(event, payload) -> Outcome:
    return Outcome(gettext_noop("Test message from the Sendcloud panel."))


HANDLERS = {
    "integration_credentials": on_credentials,
    "integration_connected": on_integration_changed,
    "integration_updated": on_integration_changed,
    "integration_deleted": on_integration_deleted,
    "parcel_status_changed": on_parcel_status_changed,
    "return_created": on_return_event,
    "return_delivered": on_return_event,
    "refund_requested": on_return_event,
    "test_webhook": on_test,
}
