"""Parcel status catalogues and the v2 id ↔ v3 code join (v3 reference §11.1)."""

from __future__ import annotations

from dataclasses import dataclass

# (v3 code, v2 id, message[, phase]) as in §11.1. The v2 ids come from a 2024 recording; the codes
# from clients that fetched v3 /parcels/statuses; the join between them is on the message [INF].
# The phase column is given for the codes the table names; the others are "in_transit".
KNOWN_STATUSES: tuple[tuple[str, int, str] | tuple[str, int, str, str], ...] = (
    ("NO_LABEL", 999, "No label", "created"),
    ("READY_TO_SEND", 1000, "Ready to send", "created"),
    ("ANNOUNCING", 1001, "Being announced", "created"),
    ("ANNOUNCEMENT_FAILED", 1002, "Announcement failed", "failed"),
    ("ANNOUNCED", 1, "Announced", "announced"),
    ("ANNOUNCED_UNCOLLECTED", 13, "Announced: not collected", "announced"),
    ("COLLECT_ERROR", 15, "Error collecting", "exception"),
    ("PICKED_UP_BY_DRIVER", 22, "Shipment picked up by driver"),
    ("TO_SORTING", 3, "En route to sorting center"),
    ("AT_SORTING_CENTRE", 62990, "At sorting centre"),
    ("SORTING", 7, "Being sorted"),
    ("SORTED", 5, "Sorted"),
    ("UNSORTED", 6, "Not sorted", "exception"),
    ("DELAYED", 4, "Delivery delayed", "exception"),
    ("AT_CUSTOMS", 62989, "At Customs"),
    ("SHIPMENT_ON_ROUTE", 91, "Parcel en route"),
    ("DRIVER_ON_ROUTE", 92, "Driver en route"),
    ("DELIVERY_FAILED", 8, "Delivery attempt failed", "exception"),
    ("AWAITING_CUSTOMER_PICKUP", 12, "Awaiting customer pickup", "delivery"),
    ("DELIVERED", 11, "Delivered", "delivered"),
    ("COLLECTED_BY_CUSTOMER", 93, "Shipment collected by customer", "delivered"),
    ("UNDELIVERABLE", 80, "Unable to deliver", "exception"),
    ("REFUSED_BY_RECIPIENT", 62991, "Refused by recipient", "exception"),
    ("RETURNED_TO_SENDER", 62992, "Returned to sender", "returned"),
    ("DELIVERY_METHOD_CHANGED", 62993, "Delivery method changed"),
    ("DELIVERY_DATE_CHANGED", 62994, "Delivery date changed"),
    ("DELIVERY_ADDRESS_CHANGED", 62995, "Delivery address changed"),
    ("EXCEPTION", 62996, "Exception", "exception"),
    ("ADDRESS_INVALID", 62997, "Address invalid", "exception"),
    ("CANCELLING", 1999, "Cancellation requested", "cancelled"),
    ("CANCELLING_UPSTREAM", 2001, "Submitting cancellation request", "cancelled"),
    ("CANCELLED_UPSTREAM", 1998, "Cancelled upstream", "cancelled"),
    ("CANCELLED", 2000, "Cancelled", "cancelled"),
    ("CANCELLATION_FAILED", 94, "Parcel cancellation failed.", "exception"),
    (
        "UNKNOWN",
        1337,
        "Unknown status - check carrier track & trace page for more insights",
        "unknown",
    ),
)
CODE_BY_ID: dict[int, str] = {row[1]: row[0] for row in KNOWN_STATUSES}
ID_BY_CODE: dict[str, int] = {row[0]: row[1] for row in KNOWN_STATUSES}
GROUP_BY_CODE: dict[str, str] = {row[0]: row[3] for row in KNOWN_STATUSES if len(row) == 4}


@dataclass(frozen=True)
class StatusV2:
    """One entry of v2 `GET /parcels/statuses`."""

    id: int
    message: str


@dataclass(frozen=True)
class StatusV3:
    """One entry of v3 `GET /parcels/statuses`."""

    code: str
    message: str


@dataclass(frozen=True)
class StatusMapping:
    """A row of the joined catalogue: v3 code, v2 id and message (either side may be None)."""

    code: str | None
    v2_id: int | None
    message: str | None
    source: str  # "message" (joined on the live texts), "table" (built-in table) or "unmatched"
