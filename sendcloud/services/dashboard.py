"""The integration's dashboard: the figures of its charts, each one query computed in the database.

Everything is scoped to one company (all its integrations). The shipping cost per carrier comes
from the labels' prices (Shipment.price): Sendcloud's invoices carry only their total and item
lines of id and name (sync/invoices.py), nothing that names a carrier, so an invoice cannot be
split by carrier.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from sendcloud import vocabulary
from sendcloud.models import (
    Carrier,
    Label,
    LabelJobItem,
    OrderOutbox,
    Parcel,
    Shipment,
    SyncRun,
    WebhookEvent,
)
from sendcloud.services.labels.queries import label_worklist

DAYS = 30
# Webhook lag is an operator's figure for the last days; a month of webhooks is several per
# parcel, and the per-day grouping and the lag are computed row by row (SQLite does both in
# Python functions), so the chart looks back a week.
WEBHOOK_DAYS = 7
MONTHS = 12
LAST_ERRORS = 5


def _since(days: int):
    return timezone.now() - timedelta(days=days)


def carrier_names(company) -> dict[str, str]:
    """Carrier code → the name Sendcloud gives it (one query over the company's integrations)."""
    return {
        code: name
        for code, name in Carrier.objects.filter(integration__company=company).values_list(
            "code", "name"
        )
        if name
    }


def parcels_by_status(company, days: int = DAYS) -> list[tuple[str, int]]:
    """(German/English status name, count) of the parcels created in the last `days`, most first.
    Codes that mean the same status (a v3 code and a v2 id) are added up under their name."""
    rows = (
        Parcel.objects.filter(
            integration__company=company,
            sendcloud_created_at__gte=_since(days),
            archived_at__isnull=True,
        )
        .values("status_code", "status_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    totals: dict[str, int] = {}
    for row in rows:
        # Sendcloud's message is left out: the index covers the query without it, and an
        # unknown code is shown as it came (a new status is never hidden).
        name = vocabulary.parcel_status_name(row["status_code"], "", row["status_id"])
        totals[name or "–"] = totals.get(name or "–", 0) + row["count"]
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def _days(days: int) -> list[date]:
    today = timezone.localdate()
    return [today - timedelta(days=n) for n in range(days - 1, -1, -1)]


def labels_per_day(company, days: int = DAYS) -> dict:
    """Labels created per day and carrier over the last `days` (cancelled ones included: they were
    printed that day). {"days": [date…], "carriers": {code: [count per day]}}."""
    rows = (
        Label.objects.filter(
            shipment__integration__company=company,
            shipment__created_at__gte=_since(days),
            shipment__test_mode=False,
        )
        .exclude(shipment__state=Shipment.State.FAILED)
        .annotate(day=TruncDate("shipment__created_at"))
        .values("day", "shipment__carrier_code")
        .annotate(count=Count("id"))
        .order_by()
    )
    axis = _days(days)
    index = {day: n for n, day in enumerate(axis)}
    carriers: dict[str, list[int]] = {}
    for row in rows:
        if row["day"] not in index:
            continue
        series = carriers.setdefault(row["shipment__carrier_code"] or "", [0] * len(axis))
        series[index[row["day"]]] += row["count"]
    return {"days": axis, "carriers": dict(sorted(carriers.items()))}


def cost_per_carrier_month(company, months: int = MONTHS) -> dict:
    """Label prices summed per carrier and month (live labels, no test labels), per currency.
    {"months": [date…], "series": {(carrier, currency): [Decimal per month]}}."""
    today = timezone.localdate()
    first = today.replace(day=1)
    axis = []
    for _n in range(months):
        axis.insert(0, first)
        first = (first - timedelta(days=1)).replace(day=1)
    rows = (
        Shipment.objects.filter(
            integration__company=company,
            # A time, not `__date`: SQLite would convert every row's time in Python to compare.
            created_at__gte=timezone.make_aware(datetime.combine(axis[0], time.min)),
            test_mode=False,
            price__isnull=False,
            state__in=(Shipment.State.LIVE, Shipment.State.CANCEL_REQUESTED),
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month", "carrier_code", "currency")
        .annotate(total=Sum("price"))
        .order_by()
    )
    index = {month: n for n, month in enumerate(axis)}
    series: dict[tuple[str, str], list] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        if month not in index:
            continue
        key = (row["carrier_code"] or "", row["currency"] or "EUR")
        series.setdefault(key, [0] * len(axis))[index[month]] += row["total"]
    return {"months": axis, "series": dict(sorted(series.items()))}


def outbox_backlog(company) -> dict:
    """Orders waiting to be pushed: how many, how many have failed at least once, the oldest."""
    found = OrderOutbox.objects.filter(integration__company=company).aggregate(
        count=Count("id"), failing=Count("id", filter=Q(attempts__gt=0)), oldest=Min("created_at")
    )
    oldest = found["oldest"]
    found["age_seconds"] = (timezone.now() - oldest).total_seconds() if oldest else None
    return found


def webhook_lag(company, days: int = WEBHOOK_DAYS) -> dict:
    """Per day: webhooks received, the average and longest time from receipt to processing (s),
    and how many still wait. {"days": [...], "received": [...], "average": [...], "longest":
    [...], "waiting": int}."""
    lag = ExpressionWrapper(F("processed_at") - F("received_at"), output_field=DurationField())
    rows = (
        WebhookEvent.objects.filter(company_id_hint=company.pk, received_at__gte=_since(days))
        .annotate(day=TruncDate("received_at"))
        .values("day")
        .annotate(
            received=Count("id"),
            average=Avg(lag, filter=Q(processed_at__isnull=False)),
            longest=Max(lag, filter=Q(processed_at__isnull=False)),
            waiting=Count("id", filter=Q(state=WebhookEvent.State.RECEIVED)),
        )
        .order_by()
    )
    axis = _days(days)
    index = {day: n for n, day in enumerate(axis)}
    out = {
        "days": axis,
        "received": [0] * len(axis),
        "average": [None] * len(axis),
        "longest": [None] * len(axis),
        "waiting": 0,
    }
    for row in rows:
        out["waiting"] += row["waiting"]
        if row["day"] not in index:
            continue
        n = index[row["day"]]
        out["received"][n] = row["received"]
        out["average"][n] = _seconds(row["average"])
        out["longest"][n] = _seconds(row["longest"])
    return out


def _seconds(value) -> float | None:
    """A duration from the database (a timedelta; microseconds on some backends) in seconds."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds(), 3)
    return round(float(value) / 1_000_000, 3)


def open_worklist(company) -> dict:
    """The label worklist's open items: shipments flagged by a status, orders needing fixing."""
    worklist = label_worklist(company)
    return {
        "flagged": worklist["flagged"].count(),
        "needs_fixing": worklist["needs_fixing"].count(),
    }


def last_errors(company, limit: int = LAST_ERRORS) -> dict:
    """The newest failed Abgleiche, refused label job items and failed webhooks."""
    return {
        "sync_runs": list(
            SyncRun.objects.filter(
                integration__company=company,
                state__in=(SyncRun.State.FAILED, SyncRun.State.PARTIAL),
            )
            .select_related("integration")
            .order_by("-queued_at")[:limit]
        ),
        "label_items": list(
            LabelJobItem.objects.filter(
                job__integration__company=company,
                state__in=(LabelJobItem.State.FAILED, LabelJobItem.State.NEEDS_FIXING),
            )
            .select_related("delivery_order")
            .order_by("-updated_at")[:limit]
        ),
        "webhooks": list(
            WebhookEvent.objects.filter(company_id_hint=company.pk, state=WebhookEvent.State.FAILED)
            .defer("raw_body", "headers")
            .order_by("-received_at")[:limit]
        ),
    }
