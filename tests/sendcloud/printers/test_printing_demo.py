"""The demo company gets the sandbox's label printer and "Packtisch 1" in its main warehouse."""

import pytest
from django.core.management import call_command

from sendcloud.models import PackingStation, Printer

pytestmark = pytest.mark.django_db


def test_demo_data_sets_up_the_sandbox_printer_and_a_packing_station(tmp_path, settings):
    settings.SANDBOX_PRINTER_ADDRESS = "127.0.0.1:9123"
    call_command("demo_data", "--orders", "3", "--login-file", str(tmp_path / "login.txt"))
    printer = Printer.objects.get()
    assert (printer.name, printer.address, printer.connection, printer.label_format) == (
        "Sandbox-Etikettendrucker", "127.0.0.1:9123", "raw_tcp", "zpl"
    )  # fmt: skip
    assert printer.warehouse.code == "BER"
    station = PackingStation.objects.get()
    assert (station.name, station.warehouse, station.label_printer) == (
        "Packtisch 1", printer.warehouse, printer
    )  # fmt: skip
    # A demo made before printers existed gets them on the next run; a second run adds nothing.
    Printer.objects.all().delete()
    call_command("demo_data", "--login-file", str(tmp_path / "login.txt"))
    call_command("demo_data", "--login-file", str(tmp_path / "login.txt"))
    assert Printer.objects.count() == 1 and PackingStation.objects.count() == 1
    assert PackingStation.objects.get().label_printer is None  # kept as the user left it
