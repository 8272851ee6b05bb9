"""Enter at the packing station: the label (never a second one), printed at the station;
a reprint of the same label; undo = cancel the label while Sendcloud allows it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration, PackingStation, Shipment
from sendcloud.services.labels import (
    LiveLabelExists,
    cancel_result_text,
    delivery_order_label_cancel,
    delivery_order_label_create,
)
from sendcloud.services.labels.wait import shipment_announcement_wait
from sendcloud.services.printing import (
    PrintFailed,
    shipment_browser_urls,
    shipment_print,
    shipment_reprint,
)

from .scan import PackingRefused, packing_missing
from .state import PackParcel, PackState

PRINTER, BROWSER, FAILED = "printer", "browser", "failed"


@dataclass
class PackPrinted:
    """What Enter (or a reprint) did: the shipment, its tracking numbers, where it printed."""

    shipment: Shipment
    trackings: list[str]
    print_state: str
    message: str = ""  # the printer's failure, for people
    browser_urls: list[str] = field(default_factory=list)


def _trackings(shipment: Shipment) -> list[str]:
    return [
        t for t in shipment.labels.order_by("collo").values_list("tracking_number", flat=True) if t
    ]


def _announced(shipment: Shipment) -> Shipment:
    """A multi-parcel shipment is announced asynchronously: the clerk waits for it at the
    table (a bounded while, PACKING_ANNOUNCE_WAIT_SECONDS), its documents are fetched now."""
    if shipment.state != Shipment.State.ANNOUNCING:
        return shipment
    seconds = float(getattr(settings, "PACKING_ANNOUNCE_WAIT_SECONDS", 30.0))
    delay = float(getattr(settings, "SENDCLOUD_LABEL_POLL_SECONDS", 1.0)) or 0.2
    deadline = time.monotonic() + seconds
    reference = shipment.delivery_order.number
    with client_for(shipment.integration, reference=reference) as client:
        shipment_announcement_wait(shipment, client, deadline=deadline, delay=min(delay, 0.5))
    if shipment.state == Shipment.State.FAILED:
        raise ApplicationError(
            _("%(number)s: Sendcloud refused the label: %(error)s")
            % {"number": reference, "error": shipment.error_message}
        )
    return shipment


def _print(shipment, station, user, *, again: bool) -> PackPrinted:
    try:
        shipment = _announced(shipment)
    except SendcloudError as exc:
        return _not_printed(shipment, exc)
    trackings = _trackings(shipment)
    if shipment.state == Shipment.State.ANNOUNCING:
        return PackPrinted(
            shipment,
            trackings,
            FAILED,
            _(
                "Sendcloud is still announcing the parcels of %(number)s; the label is bought. "
                "“Print again” (F9) prints it in a moment, without buying a new one."
            )
            % {"number": shipment.delivery_order.number},
        )
    if station is None:
        return PackPrinted(
            shipment, trackings, BROWSER, browser_urls=shipment_browser_urls(shipment)
        )
    try:
        if again:
            outcome = shipment_reprint(shipment, station, user=user)
        else:
            outcome = shipment_print(shipment, station, user=user)
    except PrintFailed as exc:
        return PackPrinted(
            shipment, trackings, FAILED, exc.message, browser_urls=exc.outcome.browser_urls
        )
    except (ApplicationError, SendcloudError) as exc:
        return _not_printed(shipment, exc)
    state = PRINTER if outcome.printed else BROWSER
    return PackPrinted(shipment, trackings, state, browser_urls=outcome.browser_urls)


def _not_printed(shipment: Shipment, exc: Exception) -> PackPrinted:
    """The label is bought but its file could not be had: said so, a reprint tries again."""
    return PackPrinted(
        shipment,
        _trackings(shipment),
        FAILED,
        _(
            "The label of %(number)s is bought but could not be printed: %(error)s. “Print "
            "again” (F9) tries once more, without buying a new one."
        )
        % {"number": shipment.delivery_order.number, "error": exc},
    )


def _remember(state: PackState, printed: PackPrinted) -> None:
    shipment = printed.shipment
    parcel = state.parcel(shipment.pk)
    if parcel is None:
        parcel = PackParcel(
            delivery_id=shipment.delivery_order_id,
            number=shipment.delivery_order.number,
            shipment_id=shipment.pk,
            tracking=", ".join(printed.trackings),
            time=timezone.localtime().isoformat(),
            print_state=printed.print_state,
        )
        state.parcels.insert(0, parcel)
    parcel.print_state = printed.print_state
    parcel.tracking = ", ".join(printed.trackings) or parcel.tracking
    parcel.message = printed.message


def packing_ship(
    delivery: DeliveryOrder,
    state: PackState,
    integration: Integration | None,
    station: PackingStation | None,
    *,
    user=None,
) -> PackPrinted:
    """All lines checked → the label (`delivery_order_label_create`: never a second paid one)
    → printed at the station (or URLs for the browser). A printer failure is not raised: the
    label is bought; the answer says so and a reprint sends the same bytes."""
    missing = packing_missing(delivery, state)
    if missing:
        raise PackingRefused(
            _("Not everything is packed yet: %(missing)s.")
            % {
                "missing": ", ".join(
                    f"{count} × {line.product.sku} {line.product.name}" for line, count in missing
                )
            }
        )
    if integration is None:
        raise PackingRefused(_("No Sendcloud integration is connected."))
    try:
        shipment = delivery_order_label_create(delivery, integration)
    except LiveLabelExists as exc:
        _remember(state, PackPrinted(exc.shipment, _trackings(exc.shipment), FAILED, exc.message))
        raise PackingRefused(
            " ".join((exc.message, _("“Print again” prints that label once more.")))
        ) from exc
    if not shipment.is_live:
        # Test mode cancels the label at once: there is nothing valid to print.
        raise ApplicationError(
            _(
                "%(number)s: the label was created and cancelled again (test mode); nothing "
                "to print."
            )
            % {"number": delivery.number}
        )
    printed = _print(shipment, station, user, again=False)
    _remember(state, printed)
    return printed


def _shipment_for(company, shipment_id) -> Shipment:
    shipment = (
        Shipment.objects.filter(pk=shipment_id, delivery_order__company=company)
        .select_related("delivery_order", "integration")
        .first()
    )
    if shipment is None:
        raise PackingRefused(_("There is no such parcel."))
    return shipment


def packing_reprint(
    company, state: PackState, shipment_id, station: PackingStation | None, *, user=None
) -> PackPrinted:
    """The same label again (after a failed print only what failed): no Sendcloud write."""
    shipment = _shipment_for(company, shipment_id)
    printed = _print(shipment, station, user, again=True)
    _remember(state, printed)
    return printed


def packing_undo(company, state: PackState, shipment_id) -> str:
    """Cancel the parcel's label while Sendcloud allows it; returns Sendcloud's answer in words."""
    shipment = _shipment_for(company, shipment_id)
    if not shipment.is_live:
        raise PackingRefused(
            _("The label of %(number)s is not valid any more (%(state)s).")
            % {"number": shipment.delivery_order.number, "state": shipment.get_state_display()}
        )
    shipment = delivery_order_label_cancel(shipment.delivery_order, shipment.integration)
    text = cancel_result_text(shipment)
    parcel = state.parcel(shipment.pk)
    if parcel is not None:
        parcel.message = text
        parcel.cancelled = shipment.state in (
            Shipment.State.CANCELLED,
            Shipment.State.CANCEL_REQUESTED,
        )
    return text
