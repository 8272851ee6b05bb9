from datetime import timedelta
from decimal import Decimal

from django.utils import translation

from sendcloud import formatting, vocabulary


def test_numbers_follow_the_language():
    with translation.override("de"):
        assert formatting.money(Decimal("1800.01")) == "1.800,01 €"
        assert formatting.weight_kg(Decimal("16.229")) == "16,229 kg"
        assert formatting.weight_range_kg(Decimal("0.001"), Decimal("31.500")) == "0,001–31,5 kg"
        assert formatting.seconds(0.8) == "0,8 s"
        assert formatting.seconds(timedelta(seconds=125)) == "2 min 5 s"
    with translation.override("en"):
        assert formatting.money(Decimal("1800.01")) == "€1,800.01"
        assert formatting.seconds(0.8) == "0.8 s"


def test_tracking_link_gets_the_readers_language_and_other_links_stay():
    url = "https://t.example/forward?carrier=gls&lang=en-us&code=1"
    assert (
        formatting.tracking_url(url, "de")
        == "https://t.example/forward?carrier=gls&lang=de-de&code=1"
    )
    assert (
        formatting.tracking_url("https://t.example/x?code=1", "de") == "https://t.example/x?code=1"
    )


def test_api_reference_and_webhook_actions_read_in_german():
    with translation.override("de"):
        assert vocabulary.api_reference_name("sync run 2") == "Abgleich 2"
        assert vocabulary.api_reference_name("invoice 700052") == "Rechnung 700052"
        assert vocabulary.name(vocabulary.WEBHOOK_ACTION, "integration_connected") == (
            "Integration verbunden"
        )
        assert vocabulary.name(vocabulary.WEBHOOK_ACTION, "brand_new_action") == "brand_new_action"


def test_return_reasons_and_invoice_lines_sent_as_english_prose_read_in_german():
    with translation.override("de"):
        assert vocabulary.return_reason_name("Changed my mind") == "Meinung geändert"
        assert vocabulary.return_reason_name("11") == "Meinung geändert"
        assert vocabulary.invoice_item_name("Fuel surcharge") == "Treibstoffzuschlag"
        assert vocabulary.invoice_item_name("Something new") == "Something new"
