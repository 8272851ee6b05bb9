"""Report exports in the reader's locale: a German spreadsheet reads every number and date."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sendcloud.models import ApiCall, Invoice, Parcel, ShippingOption

pytestmark = pytest.mark.django_db


def moment(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def rows(integration):
    ShippingOption.objects.create(
        integration=integration,
        code="gls_de:shop_delivery",
        name="GLS Paketshop",
        carrier_code="gls_de",
    )
    Parcel.objects.create(
        integration=integration, sendcloud_id=701, tracking_number="TRK1", status_code="DELIVERED",
        carrier_code="gls_de", shipping_method="gls_de:shop_delivery", weight_kg=Decimal("3.100"),
        sendcloud_created_at=moment(2026, 12, 7, 1, 21, 5, 123456),
    )  # fmt: skip
    Invoice.objects.create(
        integration=integration, sendcloud_id=1, reference="R1", type="periodic",
        date=moment(2026, 12, 6, 9, 0), price_excl=Decimal("1800.01"),
        price_incl=Decimal("2142.01"), is_paid=True,
    )  # fmt: skip
    ApiCall.objects.create(
        integration=integration, company_id_hint=integration.company_id, method="GET",
        path="/api/v3/shipments", status_code=200, duration_ms=120,
    )  # fmt: skip
    ApiCall.objects.filter(path="/api/v3/shipments").update(
        created_at=moment(2026, 12, 7, 1, 21, 59, 999999)
    )


def download(client, url, language, **query):
    response = client.get(url, {"export": "csv", **query}, headers={"accept-language": language})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if language == "de" else ","
    return text, list(csv.reader(io.StringIO(text), delimiter=delimiter))


def report_url(integration, kind):
    return reverse("sendcloud:report", args=[integration.pk, kind])


def test_german_parcel_csv_has_decimal_commas_and_german_dates(clerk_client, integration, rows):
    text, table = download(clerk_client, report_url(integration, "parcels"), "de")
    assert text.splitlines()[0].count(";") == len(table[0]) - 1
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Gewicht"] == "3,100"  # not "3.100", which German Excel reads as 3100
    assert row["Angelegt"] == "07.12.2026 01:21"
    assert row["Versandart"] == "GLS Paketshop"  # the option's name, not its code
    assert row["Status"] == "Zugestellt"


def test_english_parcel_csv_has_commas_and_decimal_points(clerk_client, integration, rows):
    text, table = download(clerk_client, report_url(integration, "parcels"), "en")
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Weight"] == "3.100"
    assert row["Created"] == "2026-12-07 01:21"
    assert ";" not in text


def test_german_invoice_csv_amounts_read_as_numbers(clerk_client, integration, rows):
    _text, table = download(clerk_client, report_url(integration, "invoices"), "de")
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Netto"] == "1800,01"
    assert row["Brutto"] == "2142,01"
    assert row["Datum"] == "06.12.2026 09:00"
    assert row["Bezahlt"] == "ja"
    assert row["Art"] == "Sammelrechnung"


def test_api_call_csv_times_have_no_seconds_or_microseconds(clerk_client, integration, rows):
    _text, table = download(clerk_client, reverse("sendcloud:report-api-calls"), "de")
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Zeit"] == "07.12.2026 01:21"
    assert row["Dauer (ms)"] == "120"


def test_negative_numbers_stay_numbers_while_formula_text_is_quoted():
    from django.utils import translation

    from sendcloud.views.exports import CsvCells

    with translation.override("de"):
        cells = CsvCells()
        assert cells.text(Decimal("-2.50")) == "-2,50"
        assert cells.text("-2,50") == "'-2,50"
        assert cells.text(Decimal("1E+3")) == "1000"


def test_excel_times_show_in_the_readers_format(clerk_client, integration, rows):
    for language, shown in (("de", "dd.mm.yyyy hh:mm"), ("en", "yyyy-mm-dd hh:mm")):
        response = clerk_client.get(
            report_url(integration, "parcels"), {"export": "xlsx"},
            headers={"accept-language": language},
        )  # fmt: skip
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        created = sheet.cell(
            row=2, column=header.index("Angelegt" if language == "de" else "Created") + 1
        )
        assert created.number_format == shown
        assert (
            created.value == datetime(2026, 12, 7, 1, 21, 5, 123000) or created.value.minute == 21
        )
        assert sheet[1][0].font.b
        assert sheet.freeze_panes == "A2"


def test_german_csv_has_no_english_word(clerk_client, integration, rows):
    import re

    from tests.browser.conftest import ALLOWED_WORDS, ENGLISH_WORDS

    for url in (
        report_url(integration, "parcels"),
        report_url(integration, "invoices"),
        reverse("sendcloud:report-api-calls"),
    ):
        text, _table = download(clerk_client, url, "de")
        prose = re.sub(r"/\S*", "", text)  # API paths are codes, not words
        words = {w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]+", prose)}
        assert not (words & (ENGLISH_WORDS - ALLOWED_WORDS)), (url, words & ENGLISH_WORDS)
