"""Create a delivery order's label: preflight, claim, one request, never a second paid label.

The sequence that makes a second paid label impossible:
1. a live, announcing or being-created shipment of the delivery order is looked at first: a live
   one refuses (`LiveLabelExists`); one whose answer was lost is resolved by asking Sendcloud for
   its external reference before anything else happens;
2. the new attempt's row (state "creating", a fresh external reference) is committed BEFORE the
   request; the partial unique index `one_live_shipment_per_delivery_order` lets only one worker
   hold it;
3. the create is sent once (the client never retries it); a timeout, 5xx or dropped connection
   leads to a lookup by reference, never to a second create.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud import jobs
from sendcloud.client import (
    AnnouncementFailed,
    ConnectionError,
    InvalidResponse,
    RateLimited,
    SendcloudClient,
    SendcloudError,
    ServerError,
    ShipmentExists,
)
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration, LabelJob, Shipment
from sendcloud.models.shipments import shipment_event as event
from sendcloud.refusals import LabelRefused, is_definite, refusal_for_error, refusal_for_text

from .cancel import shipment_cancel_now
from .documents import label_documents_fetch
from .mapping import shipment_request_for
from .preflight import label_preflight
from .price import shipment_route_price
from .records import shipment_apply_v2, shipment_apply_v3
from .resolve import LabelPending, blocking_shipment, shipment_fail, shipment_poll, shipment_resolve


class LiveLabelExists(ApplicationError):
    """The delivery order has a label already; cancel it first. `shipment` is that label."""

    def __init__(self, shipment: Shipment):
        super().__init__(
            _("%(number)s already has a label (%(tracking)s); cancel it before creating another.")
            % {
                "number": shipment.delivery_order.number,
                "tracking": ", ".join(
                    t for t in shipment.labels.values_list("tracking_number", flat=True) if t
                )
                or shipment.external_reference,
            }
        )
        self.shipment = shipment


def _new_reference(delivery: DeliveryOrder) -> str:
    # Stable per attempt, unique per account: the number for people, a random tail for Sendcloud.
    return f"{delivery.number}-{uuid.uuid4().hex[:12]}"


def _claim(delivery, integration, plan, job, use_rules) -> Shipment:
    attempt = Shipment.objects.filter(delivery_order=delivery).count() + 1
    option = plan.option
    raw = {}
    price = shipment_route_price(plan)
    if plan.reason:
        raw["_choice_reason"] = plan.reason
    try:
        with transaction.atomic():
            return Shipment.objects.create(
                delivery_order=delivery,
                integration=integration,
                job=job,
                generation=integration.label_api,
                mode=_mode(integration, plan),
                external_reference=_new_reference(delivery),
                attempt=attempt,
                shipping_option_code=option.code if option else "",
                shipping_option_name=(option.name or option.code) if option else "",
                carrier_code=option.carrier_code if option else "",
                carrier_name=option.carrier_name if option else "",
                test_mode=integration.test_mode,
                price=price.amount if price else None,
                currency=price.currency if price else "",
                raw=raw,
            )
    except IntegrityError:
        raise LabelPending(
            _("%(number)s: another job is creating its label right now.")
            % {"number": delivery.number}
        ) from None


def _mode(integration: Integration, plan) -> str:
    if integration.label_api == Integration.LabelApi.V2:
        return Shipment.Mode.V2
    # Sync announce for one parcel (label bytes inline); async create for multicollo (v3 §6).
    return Shipment.Mode.ANNOUNCE if len(plan.packages) == 1 else Shipment.Mode.CREATE


def _send(client: SendcloudClient, shipment: Shipment, request) -> Shipment:
    if shipment.generation == "v2":
        return shipment_apply_v2(shipment, client.labels_v2.create(request))
    if shipment.mode == Shipment.Mode.ANNOUNCE:
        return shipment_apply_v3(shipment, client.labels_v3.announce(request))
    return shipment_apply_v3(shipment, client.labels_v3.create(request))


def _settle(shipment: Shipment, client: SendcloudClient) -> Shipment:
    """After an answer: poll an async create, fetch documents, cancel in test mode."""
    if shipment.state == Shipment.State.ANNOUNCING and shipment.generation == "v3":
        # Documents are fetched below, inline; a refusal found by the poll is on the timeline.
        shipment_poll(shipment, client, queue_documents=False)
    elif shipment.state == Shipment.State.FAILED:
        event(shipment, "refused", shipment.error_message)
    if shipment.state == Shipment.State.FAILED:
        raise LabelRefused(shipment.delivery_order.number, refusal_for_text(shipment.error_message))
    if shipment.state == Shipment.State.LIVE:
        tracking = ", ".join(
            t for t in shipment.labels.values_list("tracking_number", flat=True) if t
        )
        event(shipment, "created", tracking)
        try:
            label_documents_fetch(shipment, client)
        except SendcloudError as exc:
            # The label exists and is paid for; only its file is missing: the worker fetches it.
            event(shipment, "documents", str(exc))
            jobs.enqueue(jobs.LABEL_DOCUMENTS_FETCH, shipment.pk)
        if shipment.test_mode:
            from_cancel = shipment_cancel_now(shipment, client)
            event(shipment, "cancel", _("Test mode: %(result)s") % {"result": from_cancel})
    return shipment


def _refused_or_failed(shipment: Shipment, exc: SendcloudError) -> None:
    """A validation answer is a refusal to correct (`LabelRefused`); anything else (429, auth)
    fails this attempt only and passes on."""
    if is_definite(exc):
        shipment_fail(shipment, exc.message or str(exc), "refused")
        raise LabelRefused(shipment.delivery_order.number, refusal_for_error(exc)) from exc
    shipment_fail(shipment, exc.message or str(exc))


def delivery_order_label_create(
    delivery: DeliveryOrder,
    integration: Integration,
    *,
    job: LabelJob | None = None,
    use_rules: bool = False,
    client: SendcloudClient | None = None,
    lookups: dict | None = None,
) -> Shipment:
    """The label of one delivery order (all its parcels). Raises `LiveLabelExists` when it has
    one, `LabelPending` while an earlier answer is unknown, `ApplicationError` with the problems
    to fix or the carrier's refusal; client errors pass through."""
    client = client or client_for(integration, reference=delivery.number)
    blocking = blocking_shipment(delivery)
    if blocking is not None:
        if blocking.state == Shipment.State.CREATING:
            blocking = shipment_resolve(blocking, client)
        elif blocking.state == Shipment.State.ANNOUNCING:
            shipment_poll(blocking, client, tries=1)
        if blocking.is_live:
            raise LiveLabelExists(blocking)
    plan, problems = label_preflight(delivery, integration, use_rules=use_rules, lookups=lookups)
    if problems:
        event(delivery, "preflight", "\n".join(str(p) for p in problems))
        raise ApplicationError(
            _("%(number)s cannot get a label yet.") % {"number": delivery.number}, problems
        )
    shipment = _claim(delivery, integration, plan, job, use_rules)
    request = shipment_request_for(
        delivery,
        integration,
        reference=shipment.external_reference,
        option=plan.option,
        sender=plan.sender,
        packages=plan.packages,
        use_rules=use_rules,
    )
    event(shipment, "requested", shipment.external_reference)
    try:
        _send(client, shipment, request)
    except ShipmentExists as exc:
        if exc.shipment is not None:
            shipment_apply_v3(shipment, exc.shipment)
            event(shipment, "adopted", _("Sendcloud already had this attempt; adopted."))
        else:
            shipment_resolve(shipment, client, ours=True)
    except AnnouncementFailed as exc:
        shipment_fail(shipment, exc.message, "refused")
        raise LabelRefused(delivery.number, refusal_for_error(exc)) from exc
    except (ConnectionError, ServerError, InvalidResponse) as exc:
        if getattr(exc, "request_not_sent", False):
            shipment_fail(shipment, str(exc))
            raise
        shipment.error_message = str(exc)
        shipment.save(update_fields=["error_message", "updated_at"])
        event(shipment, "failed", _("No answer from Sendcloud; asking it by reference."))
        shipment_resolve(shipment, client, ours=True)
    except (RateLimited, SendcloudError) as exc:
        # A definite answer (4xx, or 429 after the client's retries): nothing was created.
        _refused_or_failed(shipment, exc)
        raise
    if plan.reason:
        event(shipment, "chosen", plan.reason)
    return _settle(shipment, client)
