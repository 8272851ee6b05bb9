"""Berichte → Lager → Sendcloud → Dashboard: its figures, counted in the database per company."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from backoffice.companies import roles
from sendcloud.models import (
    Carrier,
    Label,
    LabelJob,
    LabelJobItem,
    OrderOutbox,
    Parcel,
    Shipment,
    SyncRun,
    WebhookEvent,
)
from sendcloud.services import dashboard
from tests.factories import CompanyFactory, DeliveryOrderFactory, UserFactory
from tests.sendcloud.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def ago(days=0, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def parcel(integration, n, code, carrier="dhl", created=None):
    return Parcel.objects.create(
        integration=integration,
        sendcloud_id=n,
        status_code=code,
        carrier_code=carrier,
        sendcloud_created_at=created or ago(1),
    )


def shipment(integration, n, carrier, created, price="4.49", labels=1, **fields):
    delivery = DeliveryOrderFactory(company=integration.company)
    made = Shipment.objects.create(
        delivery_order=delivery,
        integration=integration,
        generation="v3",
        mode="announce",
        external_reference=f"ref-{n}",
        state=fields.pop("state", "live"),
        carrier_code=carrier,
        price=Decimal(price) if price else None,
        currency="EUR",
        **fields,
    )
    Shipment.objects.filter(pk=made.pk).update(created_at=created)
    for collo in range(1, labels + 1):
        Label.objects.create(shipment=made, collo=collo, sendcloud_parcel_id=n * 10 + collo)
    return made


@pytest.fixture
def other(db):
    return IntegrationFactory(company=CompanyFactory())


def test_parcels_by_status_count_the_last_30_days_by_german_name_of_this_company_only(
    integration, other
):
    for n in range(3):
        parcel(integration, n, "DELIVERED")
    parcel(integration, 10, "ANNOUNCED")
    Parcel.objects.create(integration=integration, sendcloud_id=11, status_id=11,
                          sendcloud_created_at=ago(2))  # v2 id of Delivered  # fmt: skip
    parcel(integration, 12, "DELIVERED", created=ago(40))  # older than 30 days
    parcel(other, 1, "DELIVERED")
    with translation.override("de"):
        found = dashboard.parcels_by_status(integration.company)
    assert found == [("Zugestellt", 4), ("Angemeldet", 1)]


def test_labels_per_day_are_counted_by_carrier_and_day_without_test_or_failed_labels(
    integration, other
):
    shipment(integration, 1, "dhl", ago(0), labels=2)
    shipment(integration, 2, "dhl", ago(1))
    shipment(integration, 3, "ups", ago(1))
    shipment(integration, 4, "ups", ago(1), test_mode=True)
    shipment(integration, 5, "ups", ago(1), state="cancelled")
    shipment(integration, 6, "dhl", ago(45))
    shipment(other, 7, "dhl", ago(0), labels=5)
    found = dashboard.labels_per_day(integration.company)
    assert len(found["days"]) == 30 and found["days"][-1] == timezone.localdate()
    assert found["carriers"]["dhl"][-1] == 2 and found["carriers"]["dhl"][-2] == 1
    assert found["carriers"]["ups"][-2] == 2  # the cancelled label was still printed that day
    assert sum(found["carriers"]["dhl"]) == 3 and sum(found["carriers"]["ups"]) == 2


def test_cost_per_carrier_and_month_sums_live_label_prices(integration, other):
    now = timezone.now()
    shipment(integration, 1, "dhl", now, price="4.49")
    shipment(integration, 2, "dhl", now, price="5.51")
    shipment(integration, 3, "ups", now, price="7.00", test_mode=True)
    shipment(integration, 4, "ups", now, price="8.00", state="cancelled")
    shipment(other, 5, "dhl", now, price="99.00")
    found = dashboard.cost_per_carrier_month(integration.company)
    assert len(found["months"]) == 12 and found["months"][-1] == timezone.localdate().replace(day=1)
    assert found["series"] == {("dhl", "EUR"): [0] * 11 + [Decimal("10.00")]}


def test_outbox_webhook_lag_worklist_and_errors_of_this_company(integration, other):
    delivery = DeliveryOrderFactory(company=integration.company)
    elsewhere = DeliveryOrderFactory(company=other.company)
    OrderOutbox.objects.all().delete()  # only the entries below (saving may queue a push)
    entry = OrderOutbox.objects.create(
        delivery_order=delivery, integration=integration, available_at=ago(0), attempts=2
    )
    OrderOutbox.objects.filter(pk=entry.pk).update(created_at=ago(hours=3))
    OrderOutbox.objects.create(
        delivery_order=elsewhere,
        integration=other,
        available_at=ago(0),
    )
    backlog = dashboard.outbox_backlog(integration.company)
    assert backlog["count"] == 1 and backlog["failing"] == 1
    assert 3 * 3600 - 60 < backlog["age_seconds"] < 3 * 3600 + 60

    def event(integ, state, lag=None):
        made = WebhookEvent.objects.create(
            integration=integ, company_id_hint=integ.company_id, headers={}, raw_body=b"{}",
            signature="valid", state=state,
        )  # fmt: skip
        if lag is not None:
            made.processed_at = made.received_at + timedelta(seconds=lag)
            made.save(update_fields=["processed_at"])
        return made

    event(integration, "processed", lag=2)
    event(integration, "processed", lag=4)
    event(integration, "received")
    failed = event(integration, "failed")
    event(other, "received")
    lag = dashboard.webhook_lag(integration.company)
    assert lag["waiting"] == 1
    assert lag["received"][-1] == 4 and lag["average"][-1] == 3.0 and lag["longest"][-1] == 4.0

    shipment(integration, 1, "dhl", ago(0), needs_attention=True)
    job = LabelJob.objects.create(integration=integration)
    refused = LabelJobItem.objects.create(
        job=job, delivery_order=DeliveryOrderFactory(company=integration.company),
        state="needs_fixing", message="Hausnummer fehlt",
    )  # fmt: skip
    assert dashboard.open_worklist(integration.company) == {"flagged": 1, "needs_fixing": 1}
    assert dashboard.open_worklist(other.company) == {"flagged": 0, "needs_fixing": 0}

    run = SyncRun.objects.create(integration=integration, trigger="manual", state="failed")
    SyncRun.objects.create(integration=other, trigger="manual", state="failed")
    errors = dashboard.last_errors(integration.company)
    assert errors["sync_runs"] == [run]
    assert errors["label_items"] == [refused]
    assert errors["webhooks"] == [failed]


@pytest.mark.parametrize("role", [roles.READING, roles.SHIPPING, roles.MANAGEMENT])
def test_every_reading_role_sees_the_dashboard_with_its_charts_in_german(
    client, integration, other, role
):
    Carrier.objects.create(integration=integration, code="dhl", name="DHL")
    parcel(integration, 1, "DELIVERED")
    parcel(other, 2, "EXCEPTION")
    shipment(integration, 1, "dhl", ago(0))
    client.force_login(UserFactory(company=integration.company, role=role))
    page = client.get(reverse("sendcloud:dashboard"), HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    charts = page.context["charts"]
    assert charts["statuses"]["labels"] == ["Zugestellt"]  # not the other company's Ausnahme
    assert [d["label"] for d in charts["labels"]["datasets"]] == ["DHL"]
    body = page.content.decode()
    assert 'id="dashboard-data"' in body and "chart.umd.min.js" in body
    assert 'id="menu-report-dashboard"' in body
    assert "Pakete nach Status" in body


def test_the_dashboard_speaks_english_to_an_english_reader_with_english_money(
    clerk_client, integration
):
    Carrier.objects.create(integration=integration, code="dhl", name="DHL")
    parcel(integration, 1, "DELIVERED")
    shipment(integration, 1, "dhl", ago(0), price="1800.01")
    page = clerk_client.get(reverse("sendcloud:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Parcels by status (last 30 days)" in body
    assert page.context["charts"]["statuses"]["labels"] == ["Delivered"]
    assert page.context["cost_totals"] == ["€1,800.01"]
    german = clerk_client.get(reverse("sendcloud:dashboard"), HTTP_ACCEPT_LANGUAGE="de")
    assert german.context["cost_totals"] == ["1.800,01 €"]


def test_the_page_asks_the_database_the_same_number_of_times_however_much_there_is(
    clerk_client, integration
):
    url = reverse("sendcloud:dashboard")
    with CaptureQueriesContext(connection) as empty:
        clerk_client.get(url)
    for n in range(20):
        parcel(
            integration, n, ("DELIVERED", "ANNOUNCED", "EXCEPTION")[n % 3], ("dhl", "ups")[n % 2]
        )
        shipment(integration, n, ("dhl", "ups")[n % 2], ago(n % 5))
    SyncRun.objects.create(integration=integration, trigger="manual", state="failed")
    with CaptureQueriesContext(connection) as full:
        clerk_client.get(url)
    assert len(full) == len(empty)
