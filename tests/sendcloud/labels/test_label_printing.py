"""Printing at a packing station: labels to the label printer (ZPL or A6 PDF), customs to the
document printer, the browser when there is none; a failure is said and recorded, a reprint
sends the same bytes and writes nothing to Sendcloud."""

import io

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from pypdf import PdfReader

from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import (
    ApiCall,
    Label,
    PackingStation,
    Printer,
    PrintJob,
    Shipment,
    ShippingMethodOption,
)
from sendcloud.services.labels import delivery_order_label_create
from sendcloud.services.labels.documents import label_documents_fetch
from sendcloud.services.labels.resolve import shipment_poll
from sendcloud.services.printing import (
    PrintFailed,
    printer_test_print,
    shipment_browser_urls,
    shipment_print,
    shipment_reprint,
)
from tests.factories import UserFactory
from tests.sendcloud.labels.conftest import make_delivery, option_for
from tests.sendcloud.labels.test_customs import uk_delivery

pytestmark = pytest.mark.django_db


def printer_for(shop, address, **fields) -> Printer:
    values = {"name": "Zebra Packtisch 1", "connection": "raw_tcp", "label_format": "zpl"}
    values.update(fields)
    printer = Printer(company=shop["integration"].company, warehouse=shop["warehouse"],
                      address=address, **values)  # fmt: skip
    printer.full_clean()
    printer.save()
    return printer


def station_for(shop, label_printer=None, document_printer=None) -> PackingStation:
    return PackingStation.objects.create(
        company=shop["integration"].company,
        warehouse=shop["warehouse"],
        name="Packtisch 1",
        label_printer=label_printer,
        document_printer=document_printer,
    )


@pytest.fixture
def labelled(shop):
    delivery = make_delivery(shop)
    return delivery_order_label_create(delivery, shop["integration"])


def test_zpl_label_reaches_the_station_printer_with_its_tracking_number(
    shop, labelled, sandbox_printer
):
    station = station_for(shop, printer_for(shop, sandbox_printer.address))
    outcome = shipment_print(labelled, station)
    label = labelled.labels.get()
    (received,) = sandbox_printer.received()
    assert received.startswith(b"^XA") and label.tracking_number.encode() in received
    assert (outcome.printed, outcome.browser_urls) == (1, [])
    (job,) = outcome.jobs
    assert (job.state, job.kind, job.label, job.byte_count) == (
        "sent",
        "label",
        label,
        len(received),
    )
    assert job.station == station and job.printer_name == "Zebra Packtisch 1"
    label.refresh_from_db()
    assert label.printed_at is not None and label.label_zpl  # the ZPL is kept
    event = labelled.events.filter(kind="printed").get()
    assert event.message == "1 Dokument an Zebra Packtisch 1 gesendet."


def test_pdf_printer_gets_the_stored_a6_label_pdf(shop, labelled, sandbox_printer):
    printer = printer_for(shop, sandbox_printer.address, label_format="pdf_a6")
    shipment_print(labelled, station_for(shop, printer))
    with labelled.labels.get().label_pdf.open("rb") as handle:
        assert sandbox_printer.received() == [handle.read()]


def test_a_printer_switched_off_fails_plainly_in_german_and_keeps_a_failed_job(
    shop, labelled, sandbox_printer
):
    station = station_for(shop, printer_for(shop, sandbox_printer.address))
    sandbox_printer.power(False)
    with translation.override("de"), pytest.raises(PrintFailed) as caught:
        shipment_print(labelled, station)
    message = caught.value.message
    assert f"Drucker „Zebra Packtisch 1“ ({sandbox_printer.address}) antwortet nicht" in message
    assert "eingeschaltet" in message and "„Erneut drucken“" in message
    (job,) = caught.value.outcome.jobs
    assert job.state == PrintJob.State.FAILED and "antwortet nicht" in job.error
    assert "(technisch: " in job.error and "technisch" not in message  # the page says it plainly
    assert PrintJob.objects.get() == job
    assert labelled.labels.get().printed_at is None
    assert Shipment.objects.get() == labelled  # the label is kept, nothing else changed


def test_reprint_sends_the_same_bytes_and_writes_nothing_to_sendcloud(
    shop, labelled, sandbox_printer
):
    station = station_for(shop, printer_for(shop, sandbox_printer.address))
    sandbox_printer.power(False)
    with pytest.raises(PrintFailed):
        shipment_print(labelled, station)
    sandbox_printer.power(True)
    shipment_reprint(labelled, station)
    calls = ApiCall.objects.count()
    writes = ApiCall.objects.exclude(method="GET").count()
    outcome = shipment_reprint(labelled, station)
    first, second = sandbox_printer.received()
    assert first == second and outcome.printed == 1
    assert ApiCall.objects.count() == calls  # the ZPL is stored: no call at all
    assert ApiCall.objects.exclude(method="GET").count() == writes
    assert Shipment.objects.count() == 1 and Label.objects.count() == 1
    states = list(PrintJob.objects.order_by("id").values_list("state", flat=True))
    assert states == ["failed", "sent", "sent"]


def test_without_printers_labels_and_customs_go_to_the_browser(shop, labelled):
    station = station_for(shop)
    outcome = shipment_print(labelled, station)
    label = labelled.labels.get()
    assert outcome.browser_urls == [f"/sendcloud/labels/files/{label.pk}/pdf/"]
    assert (outcome.jobs, outcome.printed) == ([], 0)
    assert shipment_browser_urls(labelled) == outcome.browser_urls


def test_an_inactive_printer_counts_as_none(shop, labelled, sandbox_printer):
    printer = printer_for(shop, sandbox_printer.address, is_active=False)
    outcome = shipment_print(labelled, station_for(shop, printer))
    assert len(outcome.browser_urls) == 1 and sandbox_printer.received() == []


def test_a_shipment_without_a_live_label_is_refused(shop, labelled, sandbox_printer):
    Shipment.objects.filter(pk=labelled.pk).update(state=Shipment.State.CANCELLED)
    labelled.refresh_from_db()
    station = station_for(shop, printer_for(shop, sandbox_printer.address))
    with pytest.raises(ApplicationError, match="kein gültiges Label"):
        shipment_print(labelled, station)
    assert not PrintJob.objects.exists()


def test_test_print_says_testdruck_in_zpl_and_records_the_job(shop, sandbox_printer):
    printer = printer_for(shop, sandbox_printer.address)
    with translation.override("de"):
        job = printer_test_print(printer)
    (received,) = sandbox_printer.received()
    assert b"Testdruck" in received and b"Zebra Packtisch 1" in received
    assert (job.kind, job.state, job.station, job.label) == ("test", "sent", None, None)


def test_test_print_on_a_pdf_printer_is_one_page(shop, sandbox_printer):
    printer = printer_for(shop, sandbox_printer.address, label_format="pdf_a6")
    printer_test_print(printer)
    (received,) = sandbox_printer.received()
    assert len(PdfReader(io.BytesIO(received)).pages) == 1


def test_a_failed_test_print_is_a_failed_job_not_an_exception(shop, sandbox_printer):
    printer = printer_for(shop, sandbox_printer.address)
    sandbox_printer.power(False)
    with translation.override("de"):
        job = printer_test_print(printer)
    assert job.state == "failed" and "antwortet nicht" in job.error
    assert "Erneut drucken" not in job.error  # nothing was bought


@pytest.fixture
def uk_shipment(shop, sandbox_control):
    """A live two-parcel UPS shipment to London with its labels and customs documents."""
    ups = {**shop, **_ups(shop)}
    shipment = delivery_order_label_create(uk_delivery(ups), ups["integration"])
    sandbox_control.post("/_sandbox/clock", json={"advance": 120})
    sandbox_control.post("/_sandbox/progression/run")
    with client_for(ups["integration"]) as client:
        shipment_poll(shipment, client)
        label_documents_fetch(shipment, client)
    return shipment


def test_multi_parcel_labels_go_to_the_label_printer_and_customs_to_the_ipp_printer(
    shop, uk_shipment, sandbox_printer, sandbox_server
):
    shipment = uk_shipment
    documents = printer_for(
        shop, f"{sandbox_server}/ipp/print", name="Laser Büro", connection="ipp",
        label_format="pdf_a4",
    )  # fmt: skip
    station = station_for(shop, printer_for(shop, sandbox_printer.address), documents)
    outcome = shipment_print(shipment, station)
    labels = list(shipment.labels.order_by("collo"))
    assert outcome.printed == 4 and outcome.browser_urls == []
    raw = [job for job in sandbox_printer.jobs.list() if job["via"] == "raw"]
    ipp = [job for job in sandbox_printer.jobs.list() if job["via"] == "ipp"]
    assert [job["format"] for job in raw] == ["zpl", "zpl"]
    assert [job["format"] for job in ipp] == ["pdf", "pdf"]
    assert {job["job_name"] for job in ipp} == {
        f"{shipment.delivery_order.number}-{label.collo}-customs" for label in labels
    }
    kinds = sorted(PrintJob.objects.values_list("kind", "printer_name"))
    assert kinds == [("customs", "Laser Büro")] * 2 + [("label", "Zebra Packtisch 1")] * 2


def test_customs_without_a_document_printer_go_to_the_browser(shop, sandbox_printer):
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    label = shipment.labels.get()
    label.customs_pdf.save("customs.pdf", ContentFile(b"%PDF-1.4 customs"), save=True)
    station = station_for(shop, printer_for(shop, sandbox_printer.address))
    outcome = shipment_print(shipment, station)
    assert outcome.printed == 1
    assert outcome.browser_urls == [f"/sendcloud/labels/files/{label.pk}/customs/"]


def _ups(shop):
    from decimal import Decimal

    option = option_for(
        shop["integration"], "ups:standard", name="UPS Standard", carrier_name="UPS",
        max_weight_kg=Decimal("70"),
    )  # fmt: skip
    ShippingMethodOption.objects.filter(shipping_method=shop["method"]).update(
        shipping_option=option
    )
    return {"option": option}


def test_without_printers_a_multi_parcel_shipment_opens_one_pdf_of_each_kind(
    shop, uk_shipment, clerk_client
):
    outcome = shipment_print(uk_shipment, station_for(shop))
    labels_url = f"/sendcloud/labels/shipments/{uk_shipment.pk}/labels.pdf"
    customs_url = f"/sendcloud/labels/shipments/{uk_shipment.pk}/customs.pdf"
    assert outcome.browser_urls == [labels_url, customs_url]
    assert shipment_browser_urls(uk_shipment) == outcome.browser_urls  # no station at all
    labels = clerk_client.get(labels_url)
    assert labels.status_code == 200 and labels["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(labels.streaming_content))).pages) == 2
    customs = clerk_client.get(customs_url)
    customs_pages = PdfReader(io.BytesIO(b"".join(customs.streaming_content))).pages
    assert len(customs_pages) >= 2 and round(float(customs_pages[0].mediabox.width)) == 595
    assert (
        clerk_client.get(f"/sendcloud/labels/shipments/{uk_shipment.pk}/zpl.pdf").status_code == 404
    )


def test_another_companys_merged_labels_are_not_found(shop, uk_shipment, client):
    client.force_login(UserFactory())
    url = f"/sendcloud/labels/shipments/{uk_shipment.pk}/labels.pdf"
    assert client.get(url).status_code == 404


def test_sendcloud_not_handing_out_the_zpl_is_said_and_a_reprint_fetches_it_again(
    shop, labelled, sandbox_printer, sandbox_control
):
    station = station_for(shop, printer_for(shop, sandbox_printer.address))
    fault = {"kind": "server_error", "count": 50, "path": "/api/v3/parcels/"}
    sandbox_control.put("/_sandbox/faults", json={"faults": [fault]})
    with translation.override("de"), pytest.raises(PrintFailed) as caught:
        shipment_print(labelled, station)
    assert "Sendcloud hat das Label von Paket 1 nicht herausgegeben" in caught.value.message
    assert sandbox_printer.received() == [] and not PrintJob.objects.exists()
    sandbox_control.delete("/_sandbox/faults")
    assert shipment_reprint(labelled, station).printed == 1
    assert labelled.labels.get().tracking_number.encode() in sandbox_printer.received()[0]
