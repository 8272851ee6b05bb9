"""Parcel status catalogues and the v2 id ↔ v3 code join (v3 reference §11.1)."""

from __future__ import annotations

from dataclasses import dataclass

# (v3 code, v2 id, message) as in §11.1. The v2 ids come from a 2024 recording; the codes from
# clients that fetched v3 /parcels/statuses; the join between them is on the message [INF].
KNOWN_STATUSES: tuple[tuple[str, int, str], ...] = (
    ("NO_LABEL", 999, "No label"),
    ("READY_TO_SEND", 1000, "Ready to send"),
    ("ANNOUNCING", 1001, "Being announced"),
    ("ANNOUNCEMENT_FAILED", 1002, "Announcement failed"),
    ("ANNOUNCED", 1, "Announced"),
    ("ANNOUNCED_UNCOLLECTED", 13, "Announced: not collected"),
    ("COLLECT_ERROR", 15, "Error collecting"),
    ("PICKED_UP_BY_DRIVER", 22, "Shipment picked up by driver"),
    ("TO_SORTING", 3, "En route to sorting center"),
    ("AT_SORTING_CENTRE", 62990, "At sorting centre"),
    ("SORTING", 7, "Being sorted"),
    ("SORTED", 5, "Sorted"),
    ("UNSORTED", 6, "Not sorted"),
    ("DELAYED", 4, "Delivery delayed"),
    ("AT_CUSTOMS", 62989, "At Customs"),
    ("SHIPMENT_ON_ROUTE", 91, "Parcel en route"),
    ("DRIVER_ON_ROUTE", 92, "Driver en route"),
    ("DELIVERY_FAILED", 8, "Delivery attempt failed"),
    ("AWAITING_CUSTOMER_PICKUP", 12, "Awaiting customer pickup"),
    ("DELIVERED", 11, "Delivered"),
    ("COLLECTED_BY_CUSTOMER", 93, "Shipment collected by customer"),
    ("UNDELIVERABLE", 80, "Unable to deliver"),
    ("REFUSED_BY_RECIPIENT", 62991, "Refused by recipient"),
    ("RETURNED_TO_SENDER", 62992, "Returned to sender"),
    ("DELIVERY_METHOD_CHANGED", 62993, "Delivery method changed"),
    ("DELIVERY_DATE_CHANGED", 62994, "Delivery date changed"),
    ("DELIVERY_ADDRESS_CHANGED", 62995, "Delivery address changed"),
    ("EXCEPTION", 62996, "Exception"),
    ("ADDRESS_INVALID", 62997, "Address invalid"),
    ("CANCELLING", 1999, "Cancellation requested"),
    ("CANCELLING_UPSTREAM", 2001, "Submitting cancellation request"),
    ("CANCELLED_UPSTREAM", 1998, "Cancelled upstream"),
    ("CANCELLED", 2000, "Cancelled"),
    ("CANCELLATION_FAILED", 94, "Parcel cancellation failed."),
    (
        "UNKNOWN",
        1337,
        "Unknown status - check carrier track & trace page for more insights",
    ),
)
CODE_BY_ID: dict[int, str] = {v2_id: code for code, v2_id, _ in KNOWN_STATUSES}
ID_BY_CODE: dict[str, int] = {code: v2_id for code, v2_id, _ in KNOWN_STATUSES}


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
