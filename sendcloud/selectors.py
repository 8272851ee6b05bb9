"""Reads for the Sendcloud pages, always scoped to the user's company."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud import vocabulary
from sendcloud.errors import Problem
from sendcloud.models import (
    ApiCall,
    Carrier,
    Integration,
    Invoice,
    Label,
    ObjectType,
    OrderOutbox,
    OrderPush,
    Parcel,
    ParcelStatus,
    Return,
    Shipment,
    ShippingOption,
    SyncRun,
    SyncState,
    WarehouseSenderAddress,
    WebhookEvent,
)
from sendcloud.services.connect import integration_webhook_url
from sendcloud.services.orders.preflight import delivery_order_preflight
from sendcloud.services.shipping.choice import Fit, fits_for
from sendcloud.services.sync_schedules import DAY, DEFAULT_INTERVALS, sync_next_scheduled
from sendcloud.services.warehouse_addresses import mapping_problems


def integrations_for(company):
    return Integration.objects.filter(company=company).order_by("position", "id")


def integration_default(company) -> Integration | None:
    """The first active, connected integration of the company: where jobs and orders go."""
    return Integration.objects.filter(company=company).connected().first()


def delivery_order_sendcloud_problems(delivery) -> list[str]:
    """What Sendcloud would refuse about a delivery order that is ready to ship with a
    Sendcloud method (pre-flight against the company's default integration); empty otherwise."""
    method = delivery.shipping_method
    if (
        delivery.state != DeliveryOrder.State.READY
        or method is None
        or method.provider != ShippingMethod.Provider.SENDCLOUD
    ):
        return []
    integration = integration_default(delivery.company)
    return delivery_order_preflight(delivery, integration) if integration else []


def integration_get(company, pk) -> Integration:
    return get_object_or_404(Integration, company=company, pk=pk)


def webhook_events_for(company, *, state: str = "", action: str = "", integration=None):
    events = WebhookEvent.objects.filter(company_id_hint=company.pk).select_related("integration")
    if state:
        events = events.filter(state=state)
    if action:
        events = events.filter(action=action)
    if integration:
        events = events.filter(integration=integration)
    return events.defer("raw_body")


def webhook_event_get(company, pk) -> WebhookEvent:
    return get_object_or_404(WebhookEvent, company_id_hint=company.pk, pk=pk)


def webhook_event_actions(company) -> list[str]:
    return list(
        WebhookEvent.objects.filter(company_id_hint=company.pk)
        .exclude(action="")
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )


def api_call_get(company, pk: int) -> ApiCall:
    """One API call of the company (404 for another company's)."""
    return get_object_or_404(ApiCall, company_id_hint=company.pk, pk=pk)


@dataclass(frozen=True)
class IntegrationOverview:
    """Everything the overview shows about one integration."""

    integration: Integration
    webhook_url_ours: str
    problems: dict
    warehouse_senders: list
    drift: list
    backlog: dict
    syncs: list
    sync_active: SyncRun | None
    next_sync: tuple[datetime, list[str]] | None
    needs_fixing: int = 0


def integration_overviews(company, problems_shown: int = 5) -> list[IntegrationOverview]:
    """The overview of every integration of the company, in a fixed number of queries."""
    integrations = list(integrations_for(company))
    ids = [i.pk for i in integrations]
    events = _latest(
        WebhookEvent.objects.filter(
            integration__in=ids,
            state__in=[WebhookEvent.State.FAILED, WebhookEvent.State.REJECTED],
        ).defer("raw_body"),
        "received_at",
        problems_shown,
    )
    calls = _latest(
        ApiCall.objects.filter(integration__in=ids).filter(
            Q(status_code__gte=400) | Q(status_code__isnull=True)
        ),
        "created_at",
        problems_shown,
    )
    counts = _by_integration(
        WebhookEvent.objects.filter(integration__in=ids)
        .values("integration")
        .annotate(
            waiting=Count("id", filter=Q(state=WebhookEvent.State.RECEIVED)),
            failed=Count("id", filter=Q(state=WebhookEvent.State.FAILED)),
        )
    )
    backlogs = _by_integration(
        OrderOutbox.objects.filter(integration__in=ids)
        .values("integration")
        .annotate(count=Count("id"), failing=Count("id", filter=Q(attempts__gt=0)))
        .annotate(oldest=Min("created_at"))
    )
    senders = _grouped(
        WarehouseSenderAddress.objects.filter(integration__in=ids)
        .select_related("warehouse", "sender_address")
        .order_by("warehouse__code")
    )
    fixing = _by_integration(
        OrderPush.objects.filter(
            integration__in=ids,
            state__in=[OrderPush.State.NEEDS_FIXING, OrderPush.State.FAILED],
        )
        .values("integration")
        .annotate(count=Count("id"))
    )
    states = _grouped(SyncState.objects.filter(integration__in=ids).select_related("last_run"))
    active = {
        run.integration_id: run
        for run in SyncRun.objects.filter(
            integration__in=ids, state__in=SyncRun.ACTIVE_STATES
        ).order_by("-id")
    }
    return [
        IntegrationOverview(
            integration=integration,
            webhook_url_ours=integration_webhook_url(integration),
            problems={
                "events": events.get(integration.pk, []),
                "calls": calls.get(integration.pk, []),
                "waiting": counts.get(integration.pk, {}).get("waiting", 0),
                "failed": counts.get(integration.pk, {}).get("failed", 0),
            },
            warehouse_senders=senders.get(integration.pk, []),
            drift=[
                Problem(message, object=row.warehouse.name, field=str(row.warehouse_id))
                for row in senders.get(integration.pk, [])
                for message in mapping_problems(row.warehouse, row.sender_address)
            ],
            backlog=backlogs.get(integration.pk, {"count": 0, "failing": 0, "oldest": None}),
            syncs=_sync_rows(states.get(integration.pk, [])),
            sync_active=active.get(integration.pk),
            next_sync=sync_next_scheduled(
                integration, states=_with_defaults(integration, states.get(integration.pk, []))
            ),
            needs_fixing=fixing.get(integration.pk, {}).get("count", 0),
        )
        for integration in integrations
    ]


def _latest(queryset, newest_by: str, per_integration: int) -> dict[int, list]:
    """The newest rows of each integration, in one query."""
    ranked = queryset.annotate(
        rank=Window(RowNumber(), partition_by=F("integration_id"), order_by=F(newest_by).desc())
    ).filter(rank__lte=per_integration)
    return _grouped(ranked.order_by(f"-{newest_by}"))


def _grouped(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.integration_id, []).append(row)
    return grouped


def _by_integration(values) -> dict[int, dict]:
    return {row.pop("integration"): row for row in values}


def _sync_rows(states: list[SyncState]) -> list[dict]:
    """Last sync of every object type with its outcome."""
    labels = dict(ObjectType.choices)
    by_type = {s.object_type: s for s in states}
    rows = []
    for object_type in ObjectType:
        state = by_type.get(str(object_type))
        if state is None or state.last_finished_at is None:
            continue
        rows.append(
            {
                "type": str(object_type),
                "label": labels[str(object_type)],
                "finished_at": state.last_finished_at,
                "outcome": state.last_outcome,
                "outcome_label": str(SyncRun.State(state.last_outcome).label)
                if state.last_outcome
                else "",
                "error": state.last_error,
                "run": state.last_run,
            }
        )
    return rows


def _with_defaults(integration, states: list[SyncState]) -> list[SyncState]:
    """The stored states, and for each type never scheduled the default it would get."""
    for state in states:
        if state.interval_minutes is None:
            state.interval_minutes = DEFAULT_INTERVALS.get(state.object_type, DAY)
    stored = {s.object_type for s in states}
    for state in states:  # the runner creates rows without a schedule; the default applies
        if state.interval_minutes is None:
            state.interval_minutes = DEFAULT_INTERVALS.get(state.object_type)
    return states + [
        SyncState(integration=integration, object_type=t, interval_minutes=DEFAULT_INTERVALS[t])
        for t in ObjectType
        if str(t) not in stored
    ]


# Berichte → Lager → Sendcloud: rows, totals and the links between parcels and delivery orders.


ID_FIELDS = ("sendcloud_id", "incoming_parcel_id", "outgoing_parcel_id", "v2_id")


def report_rows(model, integration, filters: dict, *, search=(), date_field: str = ""):
    """The mirrored rows of one integration, filtered (a form's cleaned data)."""
    rows = model.objects.filter(integration=integration)
    if model is Return:
        # Attempts of the back office Sendcloud never confirmed are not Sendcloud's returns.
        rows = rows.exclude(sendcloud_id=None)
    if not filters.get("archived"):
        rows = rows.filter(archived_at__isnull=True)
    if filters.get("q"):
        query = Q()
        text = filters["q"].strip()
        for name in search:
            query |= Q(**{f"{name}__icontains": text})
        if text.isdigit() and len(text) < 19:
            # Sendcloud ids are numbers: "123456" finds the parcel, return or invoice itself.
            for name in ID_FIELDS:
                if any(f.name == name for f in model._meta.concrete_fields):
                    query |= Q(**{name: int(text)})
        rows = rows.filter(query)
    if filters.get("status"):
        field = "status" if model is Return else "status_code"
        rows = rows.filter(**{field: filters["status"]})
    if filters.get("carrier"):
        rows = rows.filter(carrier_code=filters["carrier"])
    if filters.get("paid"):
        rows = rows.filter(is_paid=filters["paid"] == "yes")
    if date_field and filters.get("date_from"):
        rows = rows.filter(**{f"{date_field}__date__gte": filters["date_from"]})
    if date_field and filters.get("date_to"):
        rows = rows.filter(**{f"{date_field}__date__lte": filters["date_to"]})
    if filters.get("delivery"):
        rows = rows.filter(pk__in=[p.pk for p in parcels_of_delivery(filters["delivery"])])
    return rows


def report_status_choices(model, integration) -> list[tuple[str, str]]:
    if model is Parcel:
        return [
            (s.v3_code, vocabulary.parcel_status_name(s.v3_code, s.message))
            for s in ParcelStatus.objects.filter(integration=integration).exclude(v3_code="")
        ]
    if model is Return:
        values = Return.objects.filter(integration=integration).exclude(status="")
        codes = values.values_list("status", flat=True).distinct().order_by("status")
        return [(code, vocabulary.name(vocabulary.RETURN_STATUS, code)) for code in codes]
    return []


def report_carrier_choices(integration) -> list[tuple[str, str]]:
    return [(c.code, c.name or c.code) for c in Carrier.objects.filter(integration=integration)]


def report_totals(model, rows) -> list[dict]:
    """Totals of the filtered rows: groups of {title, rows: [(label, count or sums)]}."""
    if model is Parcel:
        statuses = (
            rows.order_by()
            .values("status_code")
            .annotate(count=Count("id"), message=Max("status_message"))
            .order_by("-count", "status_code")
        )
        by_status = [
            (vocabulary.parcel_status_name(row["status_code"], row["message"]) or "–", row["count"])
            for row in statuses
        ]
        return [
            {"title": _("Parcels per status"), "rows": by_status},
            {
                **_counted(rows, "carrier_code", _("Parcels per carrier"), _carrier_names(rows)),
                "proper": True,  # carrier names as Sendcloud gives them ("DHL Parcel")
            },
        ]
    if model is Return:
        catalogue = vocabulary.RETURN_STATUS
        names = {code: vocabulary.name(catalogue, code) for code in catalogue}
        return [_counted(rows, "status", _("Returns per status"), names=names)]
    if model is Invoice:
        months = (
            rows.filter(date__isnull=False)
            .annotate(month=TruncMonth("date"))
            .values("month")
            .annotate(net=Sum("price_excl"), gross=Sum("price_incl"), count=Count("id"))
            .order_by("-month")
        )
        return [
            {
                "title": _("Invoice sums per month"),
                "sums": True,
                "rows": [(m["month"], m["count"], m["net"], m["gross"]) for m in months],
            }
        ]
    if model is ApiCall:
        return [_counted(rows, "status_code", _("Calls per status code"))]
    return []


def _carrier_names(rows) -> dict[str, str]:
    carriers = Carrier.objects.filter(integration__in=rows.values("integration")).exclude(name="")
    return dict(carriers.values_list("code", "name"))


def _counted(rows, field: str, title, names: dict | None = None) -> dict:
    counted = rows.order_by().values(field).annotate(count=Count("id")).order_by("-count", field)
    names = names or {}
    shown = [
        (names.get(row[field], row[field]) if row[field] not in (None, "") else "–", row["count"])
        for row in counted
    ]
    return {"title": title, "rows": shown}


def api_call_rows(company, filters: dict):
    """The API call log (Aktions-Logging) of the company, filtered."""
    calls = ApiCall.objects.filter(company_id_hint=company.pk).select_related("integration")
    if filters.get("failed"):
        calls = calls.filter(Q(status_code__gte=400) | Q(status_code__isnull=True))
    if filters.get("method"):
        calls = calls.filter(method=filters["method"])
    if filters.get("q"):
        text = filters["q"].strip()
        calls = calls.filter(Q(path__icontains=text) | Q(reference__icontains=text))
    if filters.get("date_from"):
        calls = calls.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        calls = calls.filter(created_at__date__lte=filters["date_to"])
    return calls


def delivery_orders_of_parcels(integration, parcels) -> dict[int, DeliveryOrder]:
    """Parcel id (ours) → its delivery order: through our label of the parcel, else the
    shipment's external reference, else the order number (Sendcloud keeps ours there)."""
    parcels = list(parcels)
    found: dict[int, DeliveryOrder] = {}
    by_sendcloud_id = {
        label.sendcloud_parcel_id: label.shipment.delivery_order
        for label in Label.objects.filter(
            shipment__integration=integration,
            sendcloud_parcel_id__in=[p.sendcloud_id for p in parcels],
        ).select_related("shipment__delivery_order")
    }
    references = {
        s.external_reference: s.delivery_order
        for s in Shipment.objects.filter(
            integration=integration,
            external_reference__in=[p.external_reference for p in parcels if p.external_reference],
        ).select_related("delivery_order")
    }
    numbers = {
        d.number: d
        for d in DeliveryOrder.objects.filter(
            company_id=integration.company_id,
            number__in=[p.order_number for p in parcels if p.order_number],
        )
    }
    for parcel in parcels:
        delivery = (
            by_sendcloud_id.get(parcel.sendcloud_id)
            or references.get(parcel.external_reference)
            or numbers.get(parcel.order_number)
        )
        if delivery is not None:
            found[parcel.pk] = delivery
    return found


def delivery_orders_of_returns(integration, returns) -> dict[int, DeliveryOrder]:
    """Return id (ours) → the delivery order it returns: its outgoing parcel's, else the
    order number."""
    returns = list(returns)
    outgoing = Parcel.objects.filter(
        integration=integration,
        sendcloud_id__in=[r.outgoing_parcel_id for r in returns if r.outgoing_parcel_id],
    )
    parcels = {p.sendcloud_id: p for p in outgoing}
    of_parcels = delivery_orders_of_parcels(integration, parcels.values())
    numbers = {
        d.number: d
        for d in DeliveryOrder.objects.filter(
            company_id=integration.company_id,
            number__in=[r.order_number for r in returns if r.order_number],
        )
    }
    found = {}
    created_here = {
        d.pk: d
        for d in DeliveryOrder.objects.filter(
            pk__in=[r.delivery_order_id for r in returns if r.delivery_order_id]
        )
    }
    for item in returns:
        parcel = parcels.get(item.outgoing_parcel_id)
        delivery = (
            created_here.get(item.delivery_order_id)
            or (of_parcels.get(parcel.pk) if parcel else None)
            or numbers.get(item.order_number)
        )
        if delivery is not None:
            found[item.pk] = delivery
    return found


def parcels_of_delivery(delivery: DeliveryOrder):
    """The mirrored parcels of a delivery order (the reverse of `delivery_orders_of_parcels`)."""
    shipments = Shipment.objects.filter(delivery_order=delivery)
    parcel_ids = Label.objects.filter(shipment__in=shipments).exclude(sendcloud_parcel_id=None)
    return Parcel.objects.filter(integration__company_id=delivery.company_id).filter(
        Q(sendcloud_id__in=parcel_ids.values("sendcloud_parcel_id"))
        | Q(external_reference__in=shipments.values("external_reference"))
        | Q(order_number=delivery.number)
    )


# The Sendcloud shipping method of an order: what the order forms offer.


def options_offered(company):
    """The company's active outbound options (return options ship returns, not orders)."""
    return (
        ShippingOption.objects.filter(
            integration__company=company,
            integration__state=Integration.State.CONNECTED,
            archived_at__isnull=True,
            supports_returns=False,
        )
        .select_related("integration")
        .order_by("carrier_name", "carrier_code", "name")
    )


def option_fits(company, *, country: str, origin: str = "", weights=(), **kw) -> list[Fit]:
    """The company's outbound options that ship the route, weights and sizes, with price and
    lead time (what the mirror does not know does not fit)."""
    return fits_for(options_offered(company), country=country, origin=origin, weights=weights, **kw)


def options_fitting(
    company, *, country: str, origin: str = "", weight: Decimal | None = None
) -> list[ShippingOption]:
    """The options that fit the destination country and weight."""
    weights = [weight] if weight else []
    return [f.option for f in option_fits(company, country=country, origin=origin, weights=weights)]
