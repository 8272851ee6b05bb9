"""Label screens: parcel status names in the user's language, tracking links, money."""

import re

from django import template
from django.utils import translation

from sendcloud import formatting, vocabulary
from sendcloud.client.types.statuses import CODE_BY_ID
from sendcloud.models import ParcelStatus
from sendcloud.refusals import refusal_for_text
from sendcloud.services.labels.cancel import cancel_result_text

from .sendcloud_links import http_url

register = template.Library()
# Sendcloud's confirmations of a granted cancellation (v2 and v3), as stored in older events.
_GRANTED = re.compile(
    r": (Shipment|Parcel) (cancellation )?has been (queued|cancelled|deleted)\.?$", re.IGNORECASE
)


def _status_by_message() -> dict:
    """Sendcloud's (English) catalogue message → its name in the reader's language."""
    with translation.override(None):  # no catalogue: the msgids, which are Sendcloud's words
        return {str(name): name for name in vocabulary.PARCEL_STATUS.values()}


@register.filter
def label_event_message(event) -> str:
    """A timeline line; a parcel status ("<tracking>: <Sendcloud's message>", stored as it
    came) in the reader's language where the catalogue knows the message. A refusal shows
    what to fix; Sendcloud's own words are shown once, beside the problems of the section."""
    if event.kind == "cancel" and _GRANTED.search(event.message):
        # Written before cancellations were said by their status alone: the part before
        # Sendcloud's English confirmation already says it ("Stornierung beantragt").
        return event.message.split(": ", 1)[0]
    if event.kind == "refused" and event.message:
        return " ".join(p.message for p in refusal_for_text(event.message).problems)
    if event.kind != "status" or ": " not in event.message:
        return event.message
    head, status = event.message.split(": ", 1)
    name = _status_by_message().get(status)
    return f"{head}: {name}" if name is not None else event.message


@register.filter
def parcel_status(label) -> str:
    """The parcel's status in the user's language: the catalogue's code, then its message."""
    known = vocabulary.PARCEL_STATUS.get((label.status_code or "").upper()) or (
        vocabulary.PARCEL_STATUS.get(CODE_BY_ID.get(label.status_id, ""))
    )
    if known is not None:
        return str(known)
    if label.status_message:
        return label.status_message
    if label.status_id is not None:
        found = ParcelStatus.objects.filter(
            integration_id=label.shipment.integration_id, v2_id=label.status_id
        ).first()
        return str(found) if found is not None else str(label.status_id)
    return "–"


register.filter("cancel_result", cancel_result_text)


@register.filter
def tracking_link(url) -> str:
    """An http(s) tracking URL, its `lang` set to the user's language where it has one."""
    return formatting.tracking_url(http_url(url))


@register.simple_tag
def money(amount, currency="") -> str:
    """The amount in the reader's format with its currency sign ("4,49 €")."""
    return formatting.money(amount, currency or "EUR") or "–"
