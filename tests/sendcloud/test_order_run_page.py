from datetime import date

from django.urls import reverse
from django.utils import timezone

from sendcloud.models import OrderPushEvent, OrderPushRun
from tests.factories import DeliveryOrderFactory


def _run(integration, counts):
    return OrderPushRun.objects.create(
        integration=integration,
        since=date(2026, 1, 1),
        state=OrderPushRun.State.SUCCEEDED,
        finished_at=timezone.now(),
        counts=counts,
    )


def test_retry_failed_only_is_disabled_with_a_reason_when_nothing_failed(clerk_client, integration):
    run = _run(integration, {"created": 6})

    page = clerk_client.get(reverse("sendcloud:order-run", args=[run.pk])).content.decode()

    assert 'id="retry-failed" disabled' in page
    assert "Keine Bestellung dieses Laufs ist fehlgeschlagen" in page


def test_retry_failed_only_is_offered_when_some_failed(clerk_client, integration):
    run = _run(integration, {"created": 5, "failed": 1})

    page = clerk_client.get(reverse("sendcloud:order-run", args=[run.pk])).content.decode()

    assert 'id="retry-failed">' in page


def test_delivery_timeline_uses_one_short_date_format(clerk_client, integration):
    delivery = DeliveryOrderFactory(company=integration.company)
    event = OrderPushEvent.objects.create(
        delivery_order=delivery, integration=integration, outcome="created", message="ok"
    )

    url = reverse("sendcloud:delivery-timeline", args=[delivery.pk])
    page = clerk_client.get(url).content.decode()

    local = timezone.localtime(event.created_at)
    assert local.strftime("%d.%m.%Y %H:%M") in page
    assert " Uhr" not in page
