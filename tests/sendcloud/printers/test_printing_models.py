"""Printers and packing stations refuse what cannot print, naming the field in German."""

import pytest
from django.core.exceptions import ValidationError

from sendcloud.models import PackingStation, Printer
from tests.factories import WarehouseFactory

pytestmark = pytest.mark.django_db


def printer(warehouse, **fields) -> Printer:
    values = {"name": "Zebra", "connection": "raw_tcp", "address": "192.168.1.50",
              "label_format": "zpl"}  # fmt: skip
    values.update(fields)
    return Printer(company=warehouse.company, warehouse=warehouse, **values)


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def test_a_raw_printer_shows_its_default_port(company):
    zebra = printer(WarehouseFactory(company=company), address=" 192.168.1.50 ")
    zebra.full_clean()
    assert zebra.address == "192.168.1.50" and zebra.display_address == "192.168.1.50:9100"


def test_a_raw_printer_needs_host_and_port(company):
    errors = errors_of(printer(WarehouseFactory(company=company), address="http://zebra/"))
    assert "Hostname oder IP-Adresse" in errors["address"][0]


def test_an_ipp_printer_needs_an_ipp_url_and_prints_pdf_not_zpl(company):
    warehouse = WarehouseFactory(company=company)
    errors = errors_of(printer(warehouse, connection="ipp", address="cups.local"))
    assert "ipp://" in errors["address"][0]
    assert "für einen IPP/CUPS-Drucker bitte PDF" in errors["label_format"][0]
    printer(warehouse, connection="ipp", address="ipp://cups.local:631/printers/L",
            label_format="pdf_a6").full_clean()  # fmt: skip


def test_printer_names_are_unique_per_warehouse(company):
    warehouse = WarehouseFactory(company=company)
    printer(warehouse).save()
    assert "Drucker mit diesem Namen" in str(errors_of(printer(warehouse)))
    printer(WarehouseFactory(company=company)).full_clean()  # another warehouse may


def test_a_station_takes_printers_of_its_own_warehouse_that_fit(company):
    here, there = WarehouseFactory(company=company), WarehouseFactory(company=company)
    a4 = printer(
        here, name="Laser", connection="ipp", address="ipp://cups/p", label_format="pdf_a4"
    )
    zpl_here, zpl_there = printer(here), printer(there)
    for each in (a4, zpl_here, zpl_there):
        each.save()
    station = PackingStation(company=company, warehouse=here, name="Packtisch 1",
                             label_printer=zpl_there, document_printer=zpl_here)  # fmt: skip
    errors = errors_of(station)
    assert "aus dem Lager des Packplatzes" in errors["label_printer"][0]
    assert "Zolldokumente sind A4-PDFs" in errors["document_printer"][0]
    station.label_printer = a4
    assert "druckt A4" in errors_of(station)["label_printer"][0]
    station.label_printer, station.document_printer = zpl_here, a4
    station.full_clean()
    station.save()
    other = PackingStation(company=company, warehouse=here, name="Packtisch 1")
    assert "Packplatz mit diesem Namen" in str(errors_of(other))
