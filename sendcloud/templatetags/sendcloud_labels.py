"""Label screens: parcel status names in the user's language, tracking links, money."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sendcloud.client.types.statuses import CODE_BY_ID
from sendcloud.models import ParcelStatus

from .sendcloud_links import http_url

register = template.Library()

# The catalogue's messages (v3 reference §11.1) as msgids, so German users read German names.
STATUS_NAMES = {
    "NO_LABEL": _("No label"),
    "READY_TO_SEND": _("Ready to send"),
    "ANNOUNCING": _("Being announced"),
    "ANNOUNCEMENT_FAILED": _("Announcement failed"),
    "ANNOUNCED": _("Announced"),
    "ANNOUNCED_UNCOLLECTED": _("Announced: not collected"),
    "COLLECT_ERROR": _("Error collecting"),
    "PICKED_UP_BY_DRIVER": _("Shipment picked up by driver"),
    "TO_SORTING": _("En route to sorting center"),
    "AT_SORTING_CENTRE": _("At sorting centre"),
    "SORTING": _("Being sorted"),
    "SORTED": _("Sorted"),
    "UNSORTED": _("Not sorted"),
    "DELAYED": _("Delivery delayed"),
    "AT_CUSTOMS": _("At Customs"),
    "SHIPMENT_ON_ROUTE": _("Parcel en route"),
    "DRIVER_ON_ROUTE": _("Driver en route"),
    "DELIVERY_FAILED": _("Delivery attempt failed"),
    "AWAITING_CUSTOMER_PICKUP": _("Awaiting customer pickup"),
    "DELIVERED": _("Delivered"),
    "COLLECTED_BY_CUSTOMER": _("Shipment collected by customer"),
    "UNDELIVERABLE": _("Unable to deliver"),
    "REFUSED_BY_RECIPIENT": _("Refused by recipient"),
    "RETURNED_TO_SENDER": _("Returned to sender"),
    "DELIVERY_METHOD_CHANGED": _("Delivery method changed"),
    "DELIVERY_DATE_CHANGED": _("Delivery date changed"),
    "DELIVERY_ADDRESS_CHANGED": _("Delivery address changed"),
    "EXCEPTION": _("Exception"),
    "ADDRESS_INVALID": _("Address invalid"),
    "CANCELLING": _("Cancellation requested"),
    "CANCELLING_UPSTREAM": _("Submitting cancellation request"),
    "CANCELLED_UPSTREAM": _("Cancelled upstream"),
    "CANCELLED": _("Cancelled"),
    "CANCELLATION_FAILED": _("Parcel cancellation failed."),
}
# Sendcloud's tracking pages take `lang` as language-region.
TRACKING_LANGUAGES = {"de": "de-de", "en": "en-us", "nl": "nl-nl", "fr": "fr-fr"}
CURRENCY_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$"}


@register.filter
def parcel_status(label) -> str:
    """The parcel's status in the user's language: the catalogue's code, then its message."""
    code = (label.status_code or "").upper() or CODE_BY_ID.get(label.status_id, "")
    if code in STATUS_NAMES:
        return str(STATUS_NAMES[code])
    if label.status_message:
        return label.status_message
    if label.status_id is not None:
        known = ParcelStatus.objects.filter(
            integration_id=label.shipment.integration_id, v2_id=label.status_id
        ).first()
        if known is not None:
            return str(known)
        return str(label.status_id)
    return "–"


@register.filter
def tracking_link(url) -> str:
    """An http(s) tracking URL, its `lang` set to the user's language where it has one."""
    url = http_url(url)
    if not url:
        return ""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    language = TRACKING_LANGUAGES.get((get_language() or "de")[:2])
    if language is None or not any(key == "lang" for key, _value in query):
        return url
    query = [(key, language if key == "lang" else value) for key, value in query]
    return urlunsplit(parts._replace(query=urlencode(query)))


@register.simple_tag
def money(amount, currency="") -> str:
    """4,49 € (German) / 4.49 € (English): the amount in the locale's format, then the sign."""
    if amount in (None, ""):
        return "–"
    text = number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{CURRENCY_SIGNS.get(currency, currency)}".strip()
