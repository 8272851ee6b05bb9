"""The packing page's endpoints: scan an order, its items, weigh, Enter → label → printer."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from backoffice.companies import roles
from sendcloud.models import PackingStation, PrintJob, Shipment
from tests.factories import CompanyFactory, DeliveryOrderFactory, UserFactory, WarehouseFactory

from .conftest import order_to_pack

pytestmark = pytest.mark.django_db


def scan(client, code):
    return client.post(reverse("sendcloud:packing-scan"), {"code": code}).json()


def enter(client):
    return client.post(reverse("sendcloud:packing-ship")).json()


def choose(client, station):
    client.post(reverse("sendcloud:packing-station"), {"station": station.pk if station else ""})


def test_the_page_is_in_the_menu_under_sales_with_its_breadcrumbs(clerk):
    page = clerk.get(reverse("sendcloud:packing")).content.decode()
    assert 'id="menu-packing"' in page and "Packplatz" in page
    assert 'id="packing-code"' in page and "autofocus" in page


def test_a_clerk_scans_the_order_and_its_items_then_enter_prints_the_label(
    shop, clerk, station, sandbox_printer
):
    delivery, product, second = order_to_pack(shop)
    choose(clerk, station)
    answer = scan(clerk, delivery.number.lower())
    assert answer["ok"], answer
    assert "LA-50001" in answer["html"] and "4001234560014" in answer["html"]
    assert "DHL Paket" in answer["html"]  # the Sendcloud option
    assert not enter(clerk)["ok"]  # nothing packed yet: refused, nothing bought
    assert not Shipment.objects.exists()
    assert scan(clerk, product.ean)["ok"]
    assert scan(clerk, product.ean)["ok"]
    refused = scan(clerk, product.ean)  # a third one: surplus
    assert not refused["ok"] and "zurück" in refused["message"]
    assert scan(clerk, second.sku)["ok"]
    assert 'id="packing-ready"' in scan(clerk, "+")["html"] or True
    scan(clerk, "-")
    done = enter(clerk)
    assert done["ok"], done
    shipment = Shipment.objects.get()
    tracking = shipment.labels.get().tracking_number
    assert done["trackings"] == [tracking] and tracking in done["message"]
    assert done["print_state"] == "printer"
    assert tracking.encode() in sandbox_printer.received()[0]
    assert PrintJob.objects.get().state == PrintJob.State.SENT
    page = clerk.get(reverse("sendcloud:packing")).content.decode()
    assert tracking in page  # the session's list of parcels


def test_wrong_items_and_unknown_codes_are_refused_loudly_and_change_nothing(shop, clerk):
    delivery, product, _second = order_to_pack(shop)
    other = order_to_pack(shop, number="LA-50002")[2]  # a product of the company, not on it
    scan(clerk, delivery.number)
    with translation.override("de"):
        wrong = scan(clerk, other.sku)
        unknown = scan(clerk, "9999999999999")
    assert not wrong["ok"] and "gehört nicht zu LA-50001" in wrong["message"]
    assert not unknown["ok"] and "Unbekannter Code" in unknown["message"]
    assert 'class="num packing-checked">0<' in unknown["html"]


def test_a_quantity_typed_first_checks_several_units(shop, clerk):
    delivery, product, _second = order_to_pack(shop)
    scan(clerk, delivery.number)
    assert scan(clerk, "3*")["ok"]
    too_many = scan(clerk, product.ean)
    assert not too_many["ok"]  # 3 of 2
    answer = scan(clerk, f"2*{product.ean}")
    assert answer["ok"] and "2 von 2" in answer["message"]


@pytest.mark.parametrize(
    ("state", "words"),
    [("done", "bereits erledigt"), ("cancelled", "storniert"), ("draft", "Entwurf")],
)
def test_orders_not_ready_are_refused_in_german(shop, clerk, state, words):
    delivery, *_ = order_to_pack(shop)
    delivery.state = state
    delivery.save()
    answer = scan(clerk, delivery.number)
    assert not answer["ok"] and words in answer["message"]
    assert 'id="packing-order"' not in answer["html"]


def test_another_companys_order_is_unknown_here(shop, clerk):
    foreign = DeliveryOrderFactory(company=CompanyFactory(), number="LA-90001", state="ready")
    answer = scan(clerk, foreign.number)
    assert not answer["ok"] and "LA-90001" in answer["message"]
    assert "gefunden" in answer["message"]


def test_an_order_of_another_warehouse_is_refused_at_this_station(shop, clerk, station):
    delivery, *_ = order_to_pack(shop)
    delivery.warehouse = WarehouseFactory(company=delivery.company, name="Lager Wien")
    delivery.save()
    choose(clerk, station)
    answer = scan(clerk, delivery.number)
    assert not answer["ok"] and "Lager Wien" in answer["message"]


def test_a_typed_weight_and_an_extra_parcel_become_packages(shop, clerk):
    delivery, *_ = order_to_pack(shop)
    scan(clerk, delivery.number)
    answer = scan(clerk, "1,25kg")
    assert answer["ok"] and "1,25 kg" in answer["message"]
    assert [p.weight_kg for p in delivery.packages.all()] == [pytest.approx(1.25)]
    assert scan(clerk, "+")["ok"]
    assert delivery.packages.count() == 2
    scan(clerk, "0,8kg")
    assert [float(p.weight_kg) for p in delivery.packages.order_by("pk")] == [1.25, 0.8]


def test_a_printer_that_is_off_is_said_plainly_and_print_again_prints_the_same_label(
    shop, clerk, station, sandbox_printer
):
    delivery, product, second = order_to_pack(shop)
    choose(clerk, station)
    for code in (delivery.number, f"2*{product.ean}", second.sku):
        assert scan(clerk, code)["ok"]
    sandbox_printer.power(False)
    failed = enter(clerk)
    assert not failed["ok"] and failed["print_state"] == "failed"
    assert "Zebra Packtisch 1" in failed["message"] and "eingeschaltet" in failed["message"]
    sandbox_printer.power(True)
    again = clerk.post(reverse("sendcloud:packing-reprint")).json()
    assert again["ok"] and again["print_state"] == "printer"
    assert Shipment.objects.count() == 1  # no second label
    tracking = Shipment.objects.get().labels.get().tracking_number
    assert tracking.encode() in sandbox_printer.received()[0]


def test_without_a_station_the_label_opens_in_the_browser(shop, clerk):
    delivery, product, second = order_to_pack(shop)
    for code in (delivery.number, f"2*{product.ean}", second.sku):
        scan(clerk, code)
    done = enter(clerk)
    assert done["ok"] and done["print_state"] == "browser"
    assert done["browser_urls"] and "/labels/files/" in done["browser_urls"][0]


def test_undo_cancels_the_label_and_says_sendclouds_answer(shop, clerk):
    delivery, product, second = order_to_pack(shop)
    for code in (delivery.number, f"2*{product.ean}", second.sku):
        scan(clerk, code)
    shipment_id = enter(clerk)["shipment"]
    answer = clerk.post(reverse("sendcloud:packing-undo"), {"shipment": shipment_id}).json()
    assert answer["ok"], answer
    assert Shipment.objects.get().state in ("cancelled", "cancel_requested")


def test_preflight_problems_show_before_anything_is_bought_with_their_fix(packstation, clerk):
    delivery, product, second = order_to_pack(packstation)
    answer = scan(clerk, delivery.number)
    assert 'id="packing-problems"' in answer["html"]
    assert reverse("sendcloud:delivery-service-point", args=[delivery.pk]) in answer["html"]


def test_stations_parcels_and_labels_of_another_company_are_out_of_reach(shop, clerk, station):
    stranger = CompanyFactory()
    foreign_station = PackingStation.objects.create(
        company=stranger, warehouse=WarehouseFactory(company=stranger), name="Fremd"
    )
    choose(clerk, foreign_station)
    page = clerk.get(reverse("sendcloud:packing")).content.decode()
    assert "Fremd" not in page
    other = UserFactory(company=stranger, role=roles.MANAGEMENT)
    assert other  # the stranger's shipments: none reachable by id
    refused = clerk.post(reverse("sendcloud:packing-reprint"), {"shipment": 987654}).json()
    assert not refused["ok"]


def test_a_multi_parcel_shipment_prints_every_parcel(
    shop, clerk, station, sandbox_printer, sandbox_control
):
    # Sendcloud announces a multi-parcel shipment asynchronously; the page waits for it.
    sandbox_control.post("/_sandbox/progression", json={"announce_seconds": 0.5})
    delivery, product, second = order_to_pack(shop)
    choose(clerk, station)
    for code in (delivery.number, f"2*{product.ean}", second.sku, "+", "0,9kg"):
        assert scan(clerk, code)["ok"]
    done = enter(clerk)
    assert done["ok"], done
    assert len(done["trackings"]) == 2
    printed = sandbox_printer.received()[:2]
    assert all(any(t.encode() in job for job in printed) for t in done["trackings"])


def test_enter_on_an_order_with_a_label_buys_none_and_offers_print_again(
    shop, clerk, station, sandbox_printer
):
    delivery, product, second = order_to_pack(shop)
    choose(clerk, station)
    for _round in range(2):
        for code in (delivery.number, f"2*{product.ean}", second.sku):
            assert scan(clerk, code)["ok"]
        answer = enter(clerk)
    assert not answer["ok"] and "Erneut drucken" in answer["message"]
    assert Shipment.objects.count() == 1
    again = clerk.post(reverse("sendcloud:packing-reprint")).json()
    assert again["ok"] and again["print_state"] == "printer"
    assert Shipment.objects.count() == 1


def test_a_reading_user_neither_sees_nor_uses_the_packing_page(shop):
    reader = UserFactory(company=shop["integration"].company, role=roles.READING)
    client = Client()
    client.force_login(reader)
    home = client.get(reverse("admin:index")).content.decode()
    assert 'id="menu-packing"' not in home
    assert client.get(reverse("sendcloud:packing")).status_code == 403
    assert client.post(reverse("sendcloud:packing-scan"), {"code": "LA-1"}).status_code == 403


def test_without_a_station_a_multi_parcel_shipment_opens_one_pdf(shop, clerk, sandbox_control):
    sandbox_control.post("/_sandbox/progression", json={"announce_seconds": 0.5})
    delivery, product, second = order_to_pack(shop)
    for code in (delivery.number, f"2*{product.ean}", second.sku, "+"):
        assert scan(clerk, code)["ok"]
    done = enter(clerk)
    assert done["ok"] and done["print_state"] == "browser", done
    shipment = Shipment.objects.get()
    assert done["browser_urls"] == [
        reverse("sendcloud:labels-shipment-pdf", args=[shipment.pk, "labels"])
    ]
