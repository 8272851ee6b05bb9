"""What the label screens say about announcements, refusals, retries and test mode."""

from decimal import Decimal

import pytest
from django.urls import reverse

from backoffice.companies import roles
from backoffice.sales.models import Package
from sendcloud.models import Integration, Label, LabelJob, LabelJobItem
from sendcloud.services.labels import (
    delivery_order_label_create,
    label_job_create,
    label_job_execute,
)
from tests.factories import UserFactory
from tests.sendcloud.labels.conftest import make_delivery, option_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping_client(client, shop):
    client.force_login(UserFactory(company=shop["integration"].company, role=roles.SHIPPING))
    return client


@pytest.fixture
def admin_client_of_shop(client, shop):
    client.force_login(UserFactory(company=shop["integration"].company, role=roles.MANAGEMENT))
    return client


def refused(shop):
    option_for(shop["integration"], max_weight_kg=Decimal("100"))
    delivery = make_delivery(shop)
    Package.objects.create(delivery_order=delivery, weight_kg=Decimal("40"))
    job = label_job_create(shop["integration"], [delivery], enqueue=False)
    return delivery, label_job_execute(job.pk)


def test_a_refused_order_shows_the_german_reason_and_the_carriers_words_once(shop, shipping_client):
    delivery, job = refused(shop)
    page = shipping_client.get(reverse("sendcloud:labels-job", args=[job.pk])).content.decode()
    assert "Korrektur nötig" in page and "Gewicht: 40 kg" in page
    assert page.count("Service error") == 1
    section = shipping_client.get(reverse("sendcloud:labels-delivery", args=[delivery.pk]))
    section = section.content.decode()
    assert "Gewicht: 40 kg" in section and 'id="label-carrier-text"' in section
    assert section.count("Service error") == 1  # the timeline says what to fix, in German
    worklist = shipping_client.get(reverse("sendcloud:labels-worklist")).content.decode()
    assert "Gewicht: 40 kg" in worklist and worklist.count("Service error") == 1


def test_retry_is_inactive_while_the_only_refused_order_is_unchanged(shop, shipping_client):
    _delivery, job = refused(shop)
    url = reverse("sendcloud:labels-job", args=[job.pk])
    page = shipping_client.get(url).content.decode()
    assert 'id="retry-failed" disabled' in page and "unverändert" in page
    response = shipping_client.post(reverse("sendcloud:labels-job-retry", args=[job.pk]))
    assert response["Location"] == url
    assert LabelJob.objects.count() == 1  # no empty job, nothing resent


def test_retry_is_inactive_on_a_job_without_failures_and_never_resends_skipped_orders(
    shop, shipping_client
):
    labelled = make_delivery(shop)
    delivery_order_label_create(labelled, shop["integration"])
    job = label_job_execute(
        label_job_create(shop["integration"], [labelled], enqueue=False).pk
    )  # skipped: it has a label
    assert job.items.get().state == LabelJobItem.State.SKIPPED
    page = shipping_client.get(reverse("sendcloud:labels-job", args=[job.pk])).content.decode()
    assert 'id="retry-failed" disabled' in page
    shipping_client.post(reverse("sendcloud:labels-job-retry", args=[job.pk]))
    assert LabelJob.objects.count() == 1


def test_the_section_keeps_refreshing_until_the_documents_are_there(shop, shipping_client):
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    status_url = reverse("sendcloud:labels-delivery-status", args=[delivery.pk])
    done = shipping_client.get(status_url).json()
    assert done["pending"] is False

    Label.objects.filter(shipment=shipment).update(label_pdf="")
    waiting = shipping_client.get(status_url).json()
    assert waiting["pending"] is True and waiting["version"] != done["version"]
    section = shipping_client.get(reverse("sendcloud:labels-delivery-section", args=[delivery.pk]))
    html = section.content.decode()
    assert html.lstrip().startswith("<section") and 'data-pending="1"' in html
    assert "Label wird abgerufen" in html


def test_test_mode_is_set_in_the_settings_form_and_never_sent_to_sendcloud(
    shop, admin_client_of_shop, sandbox_client
):
    integration = shop["integration"]
    url = reverse("sendcloud:settings", args=[integration.pk])
    form = admin_client_of_shop.get(url).content.decode()
    assert 'name="test_mode"' in form and "sofort wieder storniert" in form
    response = admin_client_of_shop.post(url, {"shop_name": "Muster Shop", "test_mode": "on"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    integration.refresh_from_db()
    assert integration.test_mode
    remote = sandbox_client.get(f"/api/v3/integrations/{integration.sendcloud_id}").json()["data"]
    assert "test_mode" not in remote
    overview = admin_client_of_shop.get(reverse("sendcloud:integration")).content.decode()
    assert "Testmodus für Labels" in overview and f'id="test-mode-{integration.pk}"' in overview


def test_every_label_made_in_test_mode_says_test_label(shop, shipping_client):
    Integration.objects.filter(pk=shop["integration"].pk).update(test_mode=True)
    shop["integration"].refresh_from_db()
    delivery = make_delivery(shop)
    job = label_job_execute(label_job_create(shop["integration"], [delivery], enqueue=False).pk)
    for url in (
        reverse("sendcloud:labels-delivery", args=[delivery.pk]),
        reverse("sendcloud:labels-job", args=[job.pk]),
        reverse("admin:sales_deliveryorder_changelist"),
    ):
        assert "Testlabel" in shipping_client.get(url).content.decode(), url


def test_the_job_page_and_the_change_form_refresh_while_a_label_file_is_missing(
    shop, shipping_client
):
    delivery = make_delivery(shop)
    job = label_job_execute(label_job_create(shop["integration"], [delivery], enqueue=False).pk)
    status_url = reverse("sendcloud:labels-job-status", args=[job.pk])
    assert shipping_client.get(status_url).json()["waiting"] is False
    Label.objects.update(label_pdf="")
    assert shipping_client.get(status_url).json()["waiting"] is True
    job_page = shipping_client.get(reverse("sendcloud:labels-job", args=[job.pk])).content
    assert b'data-waiting="1"' in job_page
    change = shipping_client.get(reverse("admin:sales_deliveryorder_change", args=[delivery.pk]))
    html = change.content.decode()
    section_url = reverse("sendcloud:labels-delivery-section", args=[delivery.pk])
    assert f'data-section-url="{section_url}"' in html and 'data-pending="1"' in html
