import pytest
from django.urls import reverse
from django.utils import timezone

from sendcloud import admin as sendcloud_admin
from sendcloud.errors import ApplicationError
from sendcloud.models import WarehouseSenderAddress
from sendcloud.services.warehouse_addresses import (
    sender_address_for_delivery,
    sender_address_suggest,
    warehouse_drift,
    warehouse_sender_addresses_save,
)
from tests.factories import DeliveryOrderFactory, WarehouseFactory
from tests.sendcloud.factories import IntegrationFactory, SenderAddressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin(company):
    return WarehouseFactory(
        company=company,
        code="BER",
        name="Zentrallager Berlin",
        postal_code="10115",
        city="Berlin",
        country="DE",
    )


@pytest.fixture
def vienna(company):
    return WarehouseFactory(
        company=company,
        code="VIE",
        name="Lager Wien",
        street="Ring",
        postal_code="1110",
        city="Wien",
        country="AT",
    )


def test_save_maps_every_warehouse(integration, berlin, vienna):
    de = SenderAddressFactory(integration=integration)
    at = SenderAddressFactory(
        integration=integration, country="AT", postal_code="1110", city="Wien"
    )
    assert warehouse_sender_addresses_save(integration, {berlin.pk: de.pk, vienna.pk: at.pk}) == 2
    mapping = dict(WarehouseSenderAddress.objects.values_list("warehouse", "sender_address"))
    assert mapping == {berlin.pk: de.pk, vienna.pk: at.pk}


def test_country_mismatch_refuses_all_rows_and_names_each(integration, berlin, vienna):
    de = SenderAddressFactory(integration=integration)
    nl = SenderAddressFactory(
        integration=integration, country="NL", postal_code="1013 AB", city="Amsterdam"
    )
    with pytest.raises(ApplicationError) as error:
        warehouse_sender_addresses_save(integration, {berlin.pk: nl.pk, vienna.pk: de.pk})
    problems = {p.field: p.message for p in error.value.problems}
    assert "Zentrallager Berlin ist in DE" in problems[str(berlin.pk)]
    assert "in NL" in problems[str(berlin.pk)]
    assert "Lager Wien ist in AT" in problems[str(vienna.pk)]
    assert not WarehouseSenderAddress.objects.exists()


def test_archived_address_cannot_be_chosen(integration, berlin):
    gone = SenderAddressFactory(integration=integration, archived_at=timezone.now())
    with pytest.raises(ApplicationError) as error:
        warehouse_sender_addresses_save(integration, {berlin.pk: gone.pk})
    assert "existiert bei Sendcloud nicht mehr" in error.value.problems[0].message


def test_address_of_another_integration_is_unknown(integration, berlin):
    from sendcloud.models import Integration

    other = Integration.objects.create(company=integration.company, shop_name="Zweiter Shop")
    foreign = SenderAddressFactory(integration=other)
    with pytest.raises(ApplicationError) as error:
        warehouse_sender_addresses_save(integration, {berlin.pk: foreign.pk})
    assert "unbekannte Absenderadresse" in error.value.problems[0].message


def test_suggestion_prefers_a_label_naming_the_warehouse_then_the_closest_postal_code(
    integration, berlin
):
    far = SenderAddressFactory(integration=integration, postal_code="80331", city="München")
    near = SenderAddressFactory(integration=integration, postal_code="10117")
    SenderAddressFactory(integration=integration, country="AT", postal_code="1010")
    assert sender_address_suggest(berlin, [far, near]) == near
    labelled = SenderAddressFactory(
        integration=integration, postal_code="90000", label="Zentrallager Berlin"
    )
    assert sender_address_suggest(berlin, [far, near, labelled]) == labelled


def test_suggestion_is_never_applied_silently(clerk_client, integration, berlin):
    SenderAddressFactory(integration=integration)
    response = clerk_client.get(reverse("sendcloud:warehouses", args=[integration.pk]))
    assert "Vorschlag" in response.content.decode()
    assert not WarehouseSenderAddress.objects.exists()


def post_rows(client, integration, rows: dict):
    """Lager konfigurieren as the browser posts it: the formset's management form and a row
    per warehouse."""
    data = {"warehouse-TOTAL_FORMS": len(rows), "warehouse-INITIAL_FORMS": len(rows)}
    data.update({f"warehouse-{w.pk}-sender_address": value for w, value in rows.items()})
    return client.post(reverse("sendcloud:warehouses", args=[integration.pk]), data)


def test_page_saves_all_rows(clerk_client, integration, berlin, vienna):
    de = SenderAddressFactory(integration=integration)
    at = SenderAddressFactory(integration=integration, country="AT", postal_code="1110")
    response = post_rows(clerk_client, integration, {berlin: de.pk, vienna: at.pk})
    assert response.status_code == 302
    assert WarehouseSenderAddress.objects.count() == 2


def test_page_refuses_mismatch_with_the_row_named(clerk_client, integration, berlin):
    at = SenderAddressFactory(integration=integration, country="AT", postal_code="1110")
    response = post_rows(clerk_client, integration, {berlin: at.pk})
    assert response.status_code == 400
    assert "Zentrallager Berlin ist in DE" in response.content.decode()


@pytest.mark.parametrize("value", ["99999999999999999999999", "abc", "-1"])
def test_page_refuses_a_value_that_is_no_address_as_a_row_error_and_saves_nothing(
    clerk_client, integration, berlin, vienna, value
):
    de = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {berlin.pk: de.pk})
    at = SenderAddressFactory(integration=integration, country="AT", postal_code="1110")
    response = post_rows(clerk_client, integration, {berlin: value, vienna: at.pk})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) == 1 and errors[0].startswith("Zentrallager Berlin: ")
    mapping = dict(WarehouseSenderAddress.objects.values_list("warehouse", "sender_address"))
    assert mapping == {berlin.pk: de.pk}  # neither unmapped nor the other row saved


def test_page_without_addresses_says_so(clerk_client, integration, berlin):
    response = clerk_client.get(reverse("sendcloud:warehouses", args=[integration.pk]))
    assert "Noch keine Absenderadressen" in response.content.decode()


def test_drift_flags_warehouse_when_address_is_archived_or_moves(integration, berlin):
    address = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {berlin.pk: address.pk})
    assert warehouse_drift(integration) == []
    address.country = "AT"
    address.save()
    assert [p.field for p in warehouse_drift(integration)] == [str(berlin.pk)]
    address.country, address.archived_at = "DE", timezone.now()
    address.save()
    assert "existiert bei Sendcloud nicht mehr" in warehouse_drift(integration)[0].message


def test_overview_shows_mapping_and_drift(clerk_client, integration, berlin):
    address = SenderAddressFactory(integration=integration, label="Hauptlager")
    warehouse_sender_addresses_save(integration, {berlin.pk: address.pk})
    page = clerk_client.get(reverse("sendcloud:integration")).content.decode()
    assert "Zentrallager Berlin → Hauptlager" in page
    address.archived_at = timezone.now()
    address.save()
    page = clerk_client.get(reverse("sendcloud:integration")).content.decode()
    assert "existiert bei Sendcloud nicht mehr" in page


def test_delivery_order_sender_selector_points_to_the_page(integration, berlin):
    delivery = DeliveryOrderFactory(company=integration.company, warehouse=berlin)
    with pytest.raises(ApplicationError, match="Lager konfigurieren"):
        sender_address_for_delivery(delivery, integration)
    address = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {berlin.pk: address.pk})
    assert sender_address_for_delivery(delivery, integration) == address
    address.archived_at = timezone.now()
    address.save()
    with pytest.raises(ApplicationError, match="Lager konfigurieren"):
        sender_address_for_delivery(delivery, integration)


INLINE = "sendcloud_senders"


def warehouse_form(berlin, integration, address, row=None, **extra) -> dict:
    """The warehouse's admin form with one Sendcloud inline row (`row`: an existing mapping)."""
    data = {
        "code": "BER",
        "name": berlin.name,
        "is_active": "on",
        "street": berlin.street,
        "house_number": "1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
        f"{INLINE}-TOTAL_FORMS": "1",
        f"{INLINE}-INITIAL_FORMS": "1" if row else "0",
        f"{INLINE}-0-integration": integration.pk,
        f"{INLINE}-0-sender_address": address.pk,
    }
    if row is not None:
        data.update({f"{INLINE}-0-id": row.pk, f"{INLINE}-0-warehouse": berlin.pk})
    return {**data, **{f"{INLINE}-0-{name}": value for name, value in extra.items()}}


def test_warehouse_form_edits_the_mapping_and_checks_the_country(clerk_client, integration, berlin):
    at = SenderAddressFactory(integration=integration, country="AT", postal_code="1110")
    url = reverse("admin:inventory_warehouse_change", args=[berlin.pk])
    response = clerk_client.post(url, warehouse_form(berlin, integration, at))
    assert response.status_code == 200
    assert "Zentrallager Berlin ist in DE" in response.content.decode()
    de = SenderAddressFactory(integration=integration)
    assert clerk_client.post(url, warehouse_form(berlin, integration, de)).status_code == 302
    assert WarehouseSenderAddress.objects.get().sender_address == de


def test_warehouse_form_saves_through_the_lager_konfigurieren_service(
    clerk_client, integration, berlin, monkeypatch
):
    saved = []
    real = sendcloud_admin.warehouse_sender_addresses_save
    monkeypatch.setattr(
        sendcloud_admin,
        "warehouse_sender_addresses_save",
        lambda *args: saved.append(args) or real(*args),
    )
    de = SenderAddressFactory(integration=integration)
    url = reverse("admin:inventory_warehouse_change", args=[berlin.pk])
    assert clerk_client.post(url, warehouse_form(berlin, integration, de)).status_code == 302
    assert saved == [(integration, {berlin.pk: de.pk})]
    row = WarehouseSenderAddress.objects.get()
    data = warehouse_form(berlin, integration, de, row=row, DELETE="on")
    assert clerk_client.post(url, data).status_code == 302
    assert saved[-1] == (integration, {berlin.pk: None})
    assert not WarehouseSenderAddress.objects.exists()


def test_moving_an_inline_row_to_another_integration_unmaps_the_old_one(
    clerk_client, integration, berlin
):
    old_address = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {berlin.pk: old_address.pk})
    other = IntegrationFactory(company=integration.company, shop_name="Zweit", sendcloud_id=4712)
    new_address = SenderAddressFactory(integration=other)
    data = warehouse_form(berlin, other, new_address, row=WarehouseSenderAddress.objects.get())
    url = reverse("admin:inventory_warehouse_change", args=[berlin.pk])
    assert clerk_client.post(url, data).status_code == 302
    mapping = WarehouseSenderAddress.objects.values_list("integration", "sender_address")
    assert list(mapping) == [(other.pk, new_address.pk)]


def test_page_marks_the_refused_row_in_the_table(clerk_client, integration, berlin, vienna):
    at = SenderAddressFactory(integration=integration, country="AT", postal_code="1110")
    response = post_rows(clerk_client, integration, {berlin: at.pk, vienna: at.pk})
    page = response.content.decode()

    assert f'<tr id="warehouse-row-{berlin.pk}" class="refused errors" aria-invalid="true">' in page
    assert f'<tr id="warehouse-row-{vienna.pk}" class="">' in page
    assert 'class="errornote refused-note"' in page
