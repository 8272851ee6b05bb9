"""Names a person reads for the codes Sendcloud sends (German first, English in English).

Sendcloud's own texts (status messages, return workflow states, invoice types, webhook actions)
arrive in English or as codes. Every screen shows them through these catalogues; the code stays a
detail (a title attribute, the raw payload). An unknown code is shown as it came, so a new
Sendcloud value is never hidden.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# v3 status codes (reference v3 §11.1); the v2 ids map onto the same names via V2_STATUS.
PARCEL_STATUS = {
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
    "AT_CUSTOMS": _("At customs"),
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
    "CANCELLATION_FAILED": _("Parcel cancellation failed"),
    "UNKNOWN": _("Unknown status"),
}
V2_STATUS = {
    999: "NO_LABEL", 1000: "READY_TO_SEND", 1001: "ANNOUNCING", 1002: "ANNOUNCEMENT_FAILED",
    1: "ANNOUNCED", 13: "ANNOUNCED_UNCOLLECTED", 15: "COLLECT_ERROR", 22: "PICKED_UP_BY_DRIVER",
    3: "TO_SORTING", 62990: "AT_SORTING_CENTRE", 7: "SORTING", 5: "SORTED", 6: "UNSORTED",
    4: "DELAYED", 62989: "AT_CUSTOMS", 91: "SHIPMENT_ON_ROUTE", 92: "DRIVER_ON_ROUTE",
    8: "DELIVERY_FAILED", 12: "AWAITING_CUSTOMER_PICKUP", 11: "DELIVERED",
    93: "COLLECTED_BY_CUSTOMER", 80: "UNDELIVERABLE", 62991: "REFUSED_BY_RECIPIENT",
    62992: "RETURNED_TO_SENDER", 62993: "DELIVERY_METHOD_CHANGED", 62994: "DELIVERY_DATE_CHANGED",
    62995: "DELIVERY_ADDRESS_CHANGED", 62996: "EXCEPTION", 62997: "ADDRESS_INVALID",
    1999: "CANCELLING", 2001: "CANCELLING_UPSTREAM", 1998: "CANCELLED_UPSTREAM", 2000: "CANCELLED",
    94: "CANCELLATION_FAILED", 1337: "UNKNOWN",
}  # fmt: skip

# Return workflow states (v3 §10.4) and the states our webhook handlers record.
RETURN_STATUS = {
    "open": _("open"),
    "requested": _("requested"),
    "request_rejected": _("request rejected"),
    "awaiting_payment": _("awaiting payment"),
    "payment_failed": _("payment failed"),
    "created": _("created"),
    "delivered": _("delivered"),
    "cancelled": _("cancelled"),
}
REFUND = {
    "money": _("refund"),
    "credit": _("store credit"),
    "exchange": _("exchange"),
    "requested": _("requested"),
}
# Return reasons by id (v3 §10.1).
RETURN_REASON = {
    "1": _("Product did not match expectations"),
    "3": _("Other"),
    "4": _("Incorrect product ordered"),
    "6": _("Did not match website description"),
    "7": _("Wrong product shipped"),
    "8": _("No reason"),
    "9": _("Rent"),
    "10": _("Does not work"),
    "11": _("Changed my mind"),
    "12": _("Did not meet expectations"),
    "13": _("Excessive amount"),
    "14": _("Better price available"),
    "15": _("Accidental order"),
    "16": _("No longer needed"),
    "17": _("Sample products"),
    "18": _("Looks different than expected"),
    "19": _("Ordered more than one size"),
    "20": _("Arrived too late"),
    "21": _("Poor quality / faulty"),
    "22": _("Does not fit properly"),
    "23": _("Does not suit me"),
    "24": _("Incorrect product received"),
    "25": _("Parcel damaged on arrival"),
    "26": _("Wrong size ordered"),
    "27": _("Wrong colour ordered"),
    "28": _("Does not function as expected"),
    "29": _("Recycle or reuse packaging"),
    "30": _("Size too large"),
    "31": _("Size too small"),
    "32": _("Holiday season return"),
}
INVOICE_TYPE = {
    "periodic": _("periodic invoice"),
    "forced": _("interim invoice"),
    "other": _("other invoice"),
    "unblock_payment": _("unblocking payment"),
}
# Invoice lines arrive as English prose; the ones known are shown translated.
INVOICE_ITEM = {
    "label": pgettext_lazy("invoice line", "Label"),
    "insurance": pgettext_lazy("invoice line", "Insurance"),
    "fuel_surcharge": pgettext_lazy("invoice line", "Fuel surcharge"),
    "credit": pgettext_lazy("invoice line", "Credit requested for label"),
    "subscription": pgettext_lazy("invoice line", "Subscription"),
    "return_label": pgettext_lazy("invoice line", "Return label"),
}
WEBHOOK_ACTION = {
    "integration_credentials": _("Keys received"),
    "integration_connected": _("Integration connected"),
    "integration_updated": _("Integration updated"),
    "integration_deleted": _("Integration deleted"),
    "parcel_status_changed": _("Parcel status changed"),
    "return_created": _("Return created"),
    "return_delivered": _("Return delivered"),
    "refund_requested": _("Refund requested"),
    "test_webhook": _("Test webhook"),
}
# What an API call was made for (ApiCall.reference): fixed msgids or "<kind> <id>".
REFERENCE_KIND = {
    "sync run": _("sync run %(id)s"),
    "invoice": _("invoice %(id)s"),
    "label job": _("label job %(id)s"),
    "parcel": _("parcel %(id)s"),
    "return": _("return %(id)s"),
    "integration": _("integration %(id)s"),
}
REFERENCE = {
    "reconcile": _("status reconciliation"),
}
_REFERENCE = re.compile(r"^(?P<kind>[^\d]+?) (?P<id>\d+)$")


def name(catalogue: dict, code) -> str:
    """The readable name of a code, or the code itself if the catalogue does not know it."""
    if code in (None, ""):
        return ""
    found = catalogue.get(code) if not isinstance(code, int) else catalogue.get(str(code))
    return str(found) if found is not None else str(code)


def parcel_status_name(code: str = "", message: str = "", v2_id: int | None = None) -> str:
    """A parcel status by its v3 code (or v2 id); Sendcloud's message only for unknown codes."""
    code = code or V2_STATUS.get(v2_id, "")
    found = PARCEL_STATUS.get((code or "").upper())
    return str(found) if found is not None else (message or code or "")


def _by_english(catalogue: dict) -> dict:
    """The catalogue keyed by its English text, for values Sendcloud sends as prose."""
    with translation.override(None):  # the msgids, which are Sendcloud's English texts
        return {str(text).lower(): text for text in catalogue.values()}


def return_reason_name(reason: str) -> str:
    """A return reason: stored as Sendcloud's id, its (English) description, or free text."""
    key = str(reason or "").strip()
    found = RETURN_REASON.get(key) or _by_english(RETURN_REASON).get(key.lower())
    return str(found) if found is not None else key


def invoice_item_name(name: str) -> str:
    """An invoice line as Sendcloud names it ("Fuel surcharge"), in the reader's language."""
    found = _by_english(INVOICE_ITEM).get(str(name or "").strip().lower())
    return str(found) if found is not None else str(name or "")


def api_reference_name(reference: str) -> str:
    """What an API call was for, in the reader's language ("Abgleich 2", "Rechnung 700052")."""
    if not reference:
        return ""
    if reference in REFERENCE:
        return str(REFERENCE[reference])
    match = _REFERENCE.match(reference)
    if match and match["kind"] in REFERENCE_KIND:
        return str(REFERENCE_KIND[match["kind"]]) % {"id": match["id"]}
    # Fixed texts stored untranslated (gettext_noop) and order numbers, which pass unchanged.
    return gettext(reference)
