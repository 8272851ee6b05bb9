"""Konfiguration → Lager → Drucker / Packplätze: set up by Verwaltung, read by every role,
company scoped, with a test print button that says plainly what happened."""

import pytest
from django.urls import reverse

from backoffice.companies import roles
from sendcloud.models import PackingStation, Printer, PrintJob
from tests.factories import UserFactory, WarehouseFactory
from tests.ops.test_metrics import scrape, total

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse(company):
    return WarehouseFactory(company=company, name="Hauptlager")


def add_printer(client, warehouse, **fields):
    data = {"warehouse": warehouse.pk, "name": "Zebra Packtisch 1", "connection": "raw_tcp",
            "address": "192.168.1.50", "label_format": "zpl", "is_active": "on"}  # fmt: skip
    data.update(fields)
    return client.post(reverse("admin:sendcloud_printer_add"), data)


def test_verwaltung_adds_a_printer_and_sees_it_with_its_port(clerk_client, warehouse):
    response = add_printer(clerk_client, warehouse)
    assert response.status_code == 302
    printer = Printer.objects.get()
    assert (printer.company, printer.warehouse, printer.address) == (
        warehouse.company, warehouse, "192.168.1.50"
    )  # fmt: skip
    page = clerk_client.get(reverse("admin:sendcloud_printer_changelist")).content.decode()
    assert "Zebra Packtisch 1" in page and "192.168.1.50:9100" in page
    assert "Konfiguration" in page and 'id="menu-printers"' in page


def test_a_bad_address_is_refused_in_german_naming_the_field(clerk_client, warehouse):
    response = add_printer(clerk_client, warehouse, connection="ipp", address="cups")
    page = response.content.decode()
    assert response.status_code == 200 and not Printer.objects.exists()
    assert "IPP-Adresse des Druckers als URL" in page
    assert "für einen IPP/CUPS-Drucker bitte PDF wählen" in page


def test_test_print_reaches_the_printer_and_says_so(clerk_client, warehouse, sandbox_printer):
    add_printer(clerk_client, warehouse, address=sandbox_printer.address)
    printer = Printer.objects.get()
    change = clerk_client.get(reverse("admin:sendcloud_printer_change", args=[printer.pk]))
    assert 'id="tool-test-print"' in change.content.decode()
    url = reverse("admin:sendcloud_printer_test_print", args=[printer.pk])
    assert clerk_client.get(url).status_code == 405
    page = clerk_client.post(url, follow=True).content.decode()
    assert "Testdruck an „Zebra Packtisch 1“" in page
    (received,) = sandbox_printer.received()
    assert b"Testdruck" in received
    assert "gesendet" in page  # the job is listed on the printer's page


def test_a_test_print_to_a_printer_that_is_off_says_so_plainly(
    clerk_client, warehouse, sandbox_printer
):
    add_printer(clerk_client, warehouse, address=sandbox_printer.address)
    printer = Printer.objects.get()
    sandbox_printer.power(False)
    url = reverse("admin:sendcloud_printer_test_print", args=[printer.pk])
    page = clerk_client.post(url, follow=True).content.decode()
    assert "antwortet nicht – ist er eingeschaltet und im Netz?" in page
    assert PrintJob.objects.get().state == "failed"


def test_reading_role_sees_printers_but_neither_changes_nor_test_prints(client, warehouse):
    printer = Printer.objects.create(company=warehouse.company, warehouse=warehouse,
                                     name="Zebra", address="10.0.0.9")  # fmt: skip
    client.force_login(UserFactory(company=warehouse.company, role=roles.READING))
    assert client.get(reverse("admin:sendcloud_printer_changelist")).status_code == 200
    change = client.get(reverse("admin:sendcloud_printer_change", args=[printer.pk]))
    assert 'id="tool-test-print"' not in change.content.decode()
    url = reverse("admin:sendcloud_printer_test_print", args=[printer.pk])
    assert client.post(url).status_code == 403
    assert client.get(reverse("admin:sendcloud_printer_add")).status_code == 403
    assert not PrintJob.objects.exists()


def test_shipping_role_may_test_print(client, warehouse, sandbox_printer):
    printer = Printer.objects.create(company=warehouse.company, warehouse=warehouse,
                                     name="Zebra", address=sandbox_printer.address)  # fmt: skip
    client.force_login(UserFactory(company=warehouse.company, role=roles.SHIPPING))
    url = reverse("admin:sendcloud_printer_test_print", args=[printer.pk])
    assert client.post(url).status_code == 302
    assert len(sandbox_printer.received()) == 1


def test_another_companys_printer_is_neither_shown_nor_printed_to(clerk_client, warehouse):
    other = WarehouseFactory()
    theirs = Printer.objects.create(company=other.company, warehouse=other, name="Fremd",
                                    address="10.0.0.7")  # fmt: skip
    page = clerk_client.get(reverse("admin:sendcloud_printer_changelist")).content.decode()
    assert "Fremd" not in page
    url = reverse("admin:sendcloud_printer_test_print", args=[theirs.pk])
    assert clerk_client.post(url).status_code == 404
    add = clerk_client.get(reverse("admin:sendcloud_packingstation_add")).content.decode()
    assert "Fremd" not in add


def test_a_packing_station_takes_printers_of_its_warehouse(clerk_client, warehouse):
    elsewhere = WarehouseFactory(company=warehouse.company, name="Außenlager")
    printer = Printer.objects.create(company=warehouse.company, warehouse=elsewhere,
                                     name="Zebra Außen", address="10.0.0.8")  # fmt: skip
    url = reverse("admin:sendcloud_packingstation_add")
    form = clerk_client.get(url).content.decode()
    assert "Druckdialog des Browsers" in form
    data = {"warehouse": warehouse.pk, "name": "Packtisch 1", "label_printer": printer.pk,
            "document_printer": "", "is_active": "on"}  # fmt: skip
    page = clerk_client.post(url, data).content.decode()
    assert "Bitte einen Drucker aus dem Lager des Packplatzes wählen." in page
    data["label_printer"] = ""
    assert clerk_client.post(url, data).status_code == 302
    station = PackingStation.objects.get()
    assert station.company == warehouse.company and station.label_printer is None
    listing = clerk_client.get(reverse("admin:sendcloud_packingstation_changelist"))
    assert "Packtisch 1" in listing.content.decode()


def test_print_jobs_are_counted_by_kind_and_result_on_metrics(
    client, clerk_client, warehouse, sandbox_printer
):
    add_printer(clerk_client, warehouse, address=sandbox_printer.address)
    url = reverse("admin:sendcloud_printer_test_print", args=[Printer.objects.get().pk])
    before = scrape(client)
    clerk_client.post(url)
    sandbox_printer.power(False)
    clerk_client.post(url)
    after = scrape(client)
    for state in ("sent", "failed"):
        grew = total(after, "backoffice_print_jobs_total", kind="test", state=state) - total(
            before, "backoffice_print_jobs_total", kind="test", state=state
        )
        assert grew == 1
