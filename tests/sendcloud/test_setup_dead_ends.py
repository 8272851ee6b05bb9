"""Setup never leaves a card behind that can neither connect nor be removed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcloud.models import Integration, OrderPush
from sendcloud.services.connect import integration_setup_start
from tests.factories import DeliveryOrderFactory


@pytest.fixture(autouse=True)
def reachable(monkeypatch):
    monkeypatch.setattr("sendcloud.services.connect.probe_url", lambda url, timeout: True)


def test_a_new_setup_reuses_the_abandoned_pending_one(company):
    first, first_url = integration_setup_start(company, shop_name="Shop", return_url="http://x/")
    second, second_url = integration_setup_start(
        company, shop_name="Shop 2", return_url="http://x/"
    )

    assert Integration.objects.filter(company=company).count() == 1
    assert second.pk == first.pk and second.shop_name == "Shop 2"
    assert first.webhook_token in second_url


def test_overview_stops_waiting_for_a_setup_left_long_ago(clerk_client, company):
    integration, _url = integration_setup_start(company, shop_name="Shop", return_url="http://x/")
    url = reverse("sendcloud:integration")
    assert f'data-waiting-for="{integration.pk}"' in clerk_client.get(url).content.decode()

    Integration.objects.filter(pk=integration.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )

    assert "data-waiting-for" not in clerk_client.get(url).content.decode()


def test_disconnecting_a_setup_that_never_reached_sendcloud_removes_it(clerk_client, company):
    integration, _url = integration_setup_start(company, shop_name="Shop", return_url="http://x/")

    response = clerk_client.post(
        reverse("sendcloud:disconnect", args=[integration.pk]), follow=True
    )

    assert not Integration.objects.filter(pk=integration.pk).exists()
    page = response.content.decode()
    assert "entfernt" in page and "Sendcloud-Panel" not in page


def test_a_disconnected_integration_can_be_removed(clerk_client, integration):
    clerk_client.post(reverse("sendcloud:disconnect", args=[integration.pk]))
    integration.refresh_from_db()
    assert integration.state == Integration.State.DISCONNECTED
    page = clerk_client.get(reverse("sendcloud:integration")).content.decode()
    assert f'id="remove-{integration.pk}"' in page

    clerk_client.post(reverse("sendcloud:remove", args=[integration.pk]))

    assert not Integration.objects.filter(pk=integration.pk).exists()


def test_a_connected_integration_is_not_removed(clerk_client, integration):
    clerk_client.post(reverse("sendcloud:remove", args=[integration.pk]))

    assert Integration.objects.filter(pk=integration.pk).exists()


def test_overview_says_just_now_and_counts_orders_that_need_fixing(
    clerk_client, integration, monkeypatch
):
    monkeypatch.setattr("sendcloud.views.integration.worker_last_seen", lambda: timezone.now())
    delivery = DeliveryOrderFactory(company=integration.company)
    OrderPush.objects.update_or_create(
        integration=integration,
        delivery_order=delivery,
        defaults={"state": OrderPush.State.NEEDS_FIXING},
    )

    page = clerk_client.get(reverse("sendcloud:integration")).content.decode()

    assert "gerade eben" in page and "vor 0" not in page
    assert "1 Bestellung, die korrigiert werden muss" in page
    assert f'id="needs-fixing-{integration.pk}" class="status-badge error"' in page
    assert "Details von Sendcloud abgerufen" in page


def test_status_says_a_setup_is_done_only_once_its_details_are_read(clerk_client, integration):
    url = reverse("sendcloud:integration-status")
    integration.details_fetched_at = None
    integration.save()
    assert clerk_client.get(url).json()["integrations"][0]["done"] is False

    integration.details_fetched_at = timezone.now()
    integration.save()

    assert clerk_client.get(url).json()["integrations"][0]["done"] is True
