"""Konfiguration → Lager → Drucker and Packplätze in a real browser: a printer is set up, the
Testdruck reaches the sandbox printer, a printer that is off is said plainly, in German."""

import pytest

from sendcloud.models import PackingStation, Printer
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import UserFactory, WarehouseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_verwaltung_sets_up_a_printer_and_a_station_and_test_prints(
    page, live_server, sandbox_printer
):
    user = UserFactory(username="chefin", password="Lager-2026!")
    WarehouseFactory(company=user.company, code="BER", name="Zentrallager Berlin")
    login(page, live_server, "chefin", "Lager-2026!")
    page.hover("#menu-configuration")
    page.hover("#menu-configuration-warehouse")
    page.click("#menu-printers")
    page.wait_for_selector("#changelist")
    assert_german(page)
    page.click("a.addlink")
    page.select_option("#id_warehouse", label="BER – Zentrallager Berlin")
    page.fill("#id_name", "Zebra Packtisch 1")
    page.select_option("#id_connection", "raw_tcp")
    page.fill("#id_address", "zebra packtisch")
    page.click("input[name=_continue]")
    assert "Hostname oder IP-Adresse" in page.inner_text(".errorlist")
    page.fill("#id_address", sandbox_printer.address)
    page.click("input[name=_continue]")
    page.click("#tool-test-print")
    assert "Testdruck an „Zebra Packtisch 1“" in page.inner_text(".messagelist")
    assert b"Testdruck" in sandbox_printer.received()[0]
    assert "gesendet" in page.inner_text(".inline-group")
    assert_german(page)
    page.screenshot(path=str(ARTIFACTS / "printer-test-print.png"), full_page=True)

    sandbox_printer.power(False)
    page.click("#tool-test-print")
    message = page.inner_text(".messagelist")
    assert f"„Zebra Packtisch 1“ ({sandbox_printer.address}) antwortet nicht" in message
    assert "eingeschaltet und im Netz" in message

    page.hover("#menu-configuration")
    page.hover("#menu-configuration-warehouse")
    page.click("#menu-packing-stations")
    page.click("a.addlink")
    page.select_option("#id_warehouse", label="BER – Zentrallager Berlin")
    page.fill("#id_name", "Packtisch 1")
    page.select_option("#id_label_printer", label="Zebra Packtisch 1")
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "Packtisch 1" in page.inner_text("#result_list")
    assert_german(page)
    station = PackingStation.objects.get()
    assert station.label_printer == Printer.objects.get()
