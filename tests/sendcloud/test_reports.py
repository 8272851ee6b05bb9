"""Berichte → Lager → Sendcloud: filters, search, sort, totals, export, links, old addresses."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sendcloud.models import (
    ApiCall,
    Carrier,
    Invoice,
    Label,
    Parcel,
    ParcelStatus,
    Return,
    Shipment,
)
from tests.factories import DeliveryOrderFactory, UserFactory
from tests.sendcloud.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def when(day, month=11):
    return timezone.make_aware(datetime(2026, month, day, 12, 0))


@pytest.fixture
def parcels(integration):
    for code, message in (("delivered", "Delivered"), ("en_route", "En route to sorting center")):
        ParcelStatus.objects.create(
            integration=integration, key=code, v3_code=code, message=message
        )
    Carrier.objects.create(integration=integration, code="dhl", name="DHL")
    Carrier.objects.create(integration=integration, code="ups", name="UPS")
    rows = [
        ("delivered", "Delivered", "dhl", "2.500", "LA-1001", 1),
        ("delivered", "Delivered", "ups", "0.800", "LA-1002", 2),
        ("en_route", "En route to sorting center", "dhl", "5.000", "=HYPERLINK(1)", 3),
    ]
    return [
        Parcel.objects.create(
            integration=integration,
            sendcloud_id=700 + n,
            tracking_number=f"TRK{n}",
            status_code=code,
            status_message=message,
            carrier_code=carrier,
            weight_kg=Decimal(weight),
            order_number=number,
            to_name="Erika Mustermann",
            sendcloud_created_at=when(n),
        )
        for code, message, carrier, weight, number, n in rows
    ]


def report(client, integration, kind, **query):
    return client.get(reverse("sendcloud:report", args=[integration.pk, kind]), query)


def test_parcels_filtered_by_status_with_totals_per_status_and_carrier(
    clerk_client, integration, parcels
):
    page = report(clerk_client, integration, "parcels", status="delivered")
    assert page.status_code == 200
    rows = [row["obj"].sendcloud_id for row in page.context["table"]]
    assert rows == [702, 701]
    by_status, by_carrier = page.context["totals"]
    assert by_status["rows"] == [("Zugestellt", 2)]
    assert sorted(by_carrier["rows"]) == [("DHL", 1), ("UPS", 1)]
    assert "Pakete pro Status" in page.content.decode()


def test_parcels_searched_and_sorted(clerk_client, integration, parcels):
    page = report(clerk_client, integration, "parcels", q="LA-100", o="-weight_kg")
    assert [row["obj"].order_number for row in page.context["table"]] == ["LA-1001", "LA-1002"]
    page = report(clerk_client, integration, "parcels", o="weight_kg")
    assert [row["obj"].sendcloud_id for row in page.context["table"]] == [702, 701, 703]
    unknown = report(clerk_client, integration, "parcels", o="raw")  # not a column: ignored
    assert unknown.status_code == 200 and unknown.context["order"] == ""


def test_parcels_export_to_csv_keeps_the_filter_and_never_a_formula(
    clerk_client, integration, parcels
):
    response = report(clerk_client, integration, "parcels", carrier="dhl", export="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][:3] == ["Paket-ID", "Trackingnummer", "Status"]
    assert table[0][-1] == "Lieferauftrag"
    assert len(table) == 3
    assert "'=HYPERLINK(1)" in text


def test_parcels_export_to_excel_opens_with_openpyxl(clerk_client, integration, parcels):
    DeliveryOrderFactory(company=integration.company, number="LA-1001")
    response = report(clerk_client, integration, "parcels", status="delivered", export="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Paket-ID"
    assert [r[0] for r in rows[1:]] == [702, 701]
    assert rows[2][-1] == "LA-1001"  # the delivery order column


def test_excel_export_stores_formula_like_text_as_text(clerk_client, integration, parcels):
    response = report(clerk_client, integration, "parcels", export="xlsx", q="HYPERLINK")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = [c for c in sheet[2] if c.value == "=HYPERLINK(1)"][0]
    assert cell.data_type == "s"


def test_invoice_sums_per_month(clerk_client, integration):
    for n, (day, month, net) in enumerate(
        ((3, 10, "10.00"), (20, 10, "5.50"), (2, 11, "100.00")), start=1
    ):
        Invoice.objects.create(
            integration=integration,
            sendcloud_id=n,
            reference=f"R{n}",
            date=when(day, month),
            price_excl=Decimal(net),
            price_incl=Decimal(net) * Decimal("1.19"),
            is_paid=True,
        )
    page = report(clerk_client, integration, "invoices")
    months = page.context["totals"][0]["rows"]
    assert [(m.month, count, net) for m, count, net, _gross in months] == [
        (11, 1, Decimal("100.00")),
        (10, 2, Decimal("15.50")),
    ]
    assert "Rechnungssummen pro Monat" in page.content.decode()


def test_parcel_leads_to_its_delivery_order_by_label_reference_or_number(
    clerk_client, integration, parcels
):
    by_label = DeliveryOrderFactory(company=integration.company, number="LA-7")
    shipment = Shipment.objects.create(
        delivery_order=by_label,
        integration=integration,
        generation="v3",
        mode="announce",
        external_reference="ref-7",
        state="live",
    )
    Label.objects.create(shipment=shipment, sendcloud_parcel_id=701)
    by_number = DeliveryOrderFactory(company=integration.company, number="LA-1002")
    page = report(clerk_client, integration, "parcels")
    linked = {row["obj"].sendcloud_id: row["delivery"] for row in page.context["table"]}
    assert linked == {701: by_label, 702: by_number, 703: None}

    url = reverse("sendcloud:report-parcel", args=[integration.pk, parcels[0].pk])
    detail = clerk_client.get(url)
    change = reverse("admin:sales_deliveryorder_change", args=[by_label.pk])
    assert f'id="report-delivery-link" href="{change}"' in detail.content.decode()


def test_delivery_order_links_back_to_its_parcels(clerk_client, integration, parcels):
    delivery = DeliveryOrderFactory(company=integration.company, number="LA-1001")
    form = clerk_client.get(reverse("admin:sales_deliveryorder_change", args=[delivery.pk]))
    assert 'id="delivery-parcels"' in form.content.decode()
    url = reverse("sendcloud:report-default", args=["parcels"]) + f"?delivery={delivery.pk}"
    page = clerk_client.get(url, follow=True)
    assert [row["obj"].sendcloud_id for row in page.context["table"]] == [701]


def test_return_leads_to_the_delivery_order_of_its_outgoing_parcel(
    clerk_client, integration, parcels
):
    delivery = DeliveryOrderFactory(company=integration.company, number="LA-1002")
    item = Return.objects.create(
        integration=integration, sendcloud_id=55, status="open", outgoing_parcel_id=702
    )
    page = report(clerk_client, integration, "returns", status="open")
    assert page.context["table"][0]["delivery"] == delivery
    detail = clerk_client.get(reverse("sendcloud:report-return", args=[integration.pk, item.pk]))
    assert "LA-1002" in detail.content.decode()


def test_old_addresses_move_permanently(clerk_client, integration):
    old = reverse("sendcloud:mirror", args=[integration.pk, "parcels"])
    response = clerk_client.get(old, {"status": "delivered"})
    assert response.status_code == 301
    assert response["Location"] == (
        reverse("sendcloud:report", args=[integration.pk, "parcels"]) + "?status=delivered"
    )
    assert clerk_client.get(reverse("sendcloud:api-calls"))["Location"] == reverse(
        "sendcloud:report-api-calls"
    )
    assert clerk_client.get(reverse("sendcloud:webhook-inbox")).status_code == 301
    config = clerk_client.get(reverse("sendcloud:mirror", args=[integration.pk, "carriers"]))
    assert config.status_code == 200  # configuration lists stay where they are


def test_old_address_of_another_companys_integration_is_not_found(clerk_client):
    other = IntegrationFactory()
    old = reverse("sendcloud:mirror", args=[other.pk, "parcels"])
    assert clerk_client.get(old).status_code == 404
    assert report(clerk_client, other, "parcels").status_code == 404


def test_reports_need_the_view_permission(client, integration):
    client.force_login(UserFactory(company=integration.company, role=""))
    assert report(client, integration, "parcels").status_code == 403
    assert client.get(reverse("sendcloud:report-api-calls")).status_code == 403


def test_action_logging_filters_totals_and_export(clerk_client, integration):
    for status in (200, 200, 422):
        ApiCall.objects.create(
            integration=integration,
            company_id_hint=integration.company_id,
            method="POST" if status == 422 else "GET",
            path="/api/v3/orders",
            status_code=status,
        )
    ApiCall.objects.create(company_id_hint=IntegrationFactory().company_id, method="GET", path="/x")
    page = clerk_client.get(reverse("sendcloud:report-api-calls"))
    assert page.context["total"] == 3
    assert sorted(page.context["totals"][0]["rows"]) == [(200, 2), (422, 1)]
    failed = clerk_client.get(reverse("sendcloud:report-api-calls"), {"failed": "on"})
    assert failed.context["total"] == 1
    export = clerk_client.get(reverse("sendcloud:report-api-calls"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "Zeit"
