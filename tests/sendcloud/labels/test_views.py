"""The label screens: section, create, cancel, files, bulk job, worklist, and who may do what."""

import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from backoffice.companies import roles
from sendcloud.models import Label, LabelJob, LabelJobItem, Shipment, ShippingMethodOption
from sendcloud.models.shipments import shipment_event
from sendcloud.services.labels import (
    cancel_result_text,
    delivery_order_label_create,
    label_job_execute,
    label_preflight,
)
from sendcloud.templatetags.sendcloud_labels import money, parcel_status, tracking_link
from tests.factories import UserFactory
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping_client(client, shop):
    client.force_login(UserFactory(company=shop["integration"].company, role=roles.SHIPPING))
    return client


@pytest.fixture
def reading_client(client, shop):
    client.force_login(UserFactory(company=shop["integration"].company, role=roles.READING))
    return client


@pytest.fixture
def stranger_client(client, shop):
    client.force_login(UserFactory(role=roles.MANAGEMENT))
    return client


def labelled(shop):
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    return delivery, shipment, shipment.labels.get()


def run_queued_jobs():
    for job in LabelJob.objects.filter(state=LabelJob.State.QUEUED):
        label_job_execute(job.pk)


def test_create_confirms_then_queues_a_job_that_labels_the_order(shop, shipping_client):
    delivery = make_delivery(shop)
    url = reverse("sendcloud:labels-create", args=[delivery.pk])
    page = shipping_client.get(url)
    assert page.status_code == 200 and b"confirm-label-create" in page.content
    assert not LabelJob.objects.exists()  # the GET only asks
    response = shipping_client.post(url)
    assert response.status_code == 302
    run_queued_jobs()
    label = Label.objects.get(shipment__delivery_order=delivery)
    section = shipping_client.get(reverse("sendcloud:labels-delivery", args=[delivery.pk]))
    text = section.content.decode()
    assert label.tracking_number in text
    assert "DHL" in text and "4,49 €" in text
    assert reverse("sendcloud:labels-file", args=[label.pk, "pdf"]) in text


def test_preflight_problems_are_shown_instead_of_a_job(shop, shipping_client):
    delivery = make_delivery(shop, postal_code="", city="")
    response = shipping_client.post(reverse("sendcloud:labels-create", args=[delivery.pk]))
    assert response.status_code == 400
    assert b"label-problems" in response.content
    assert not LabelJob.objects.exists() and not Shipment.objects.exists()


def test_an_unmapped_shipping_method_links_to_where_it_is_mapped(shop, shipping_client):
    ShippingMethodOption.objects.filter(shipping_method=shop["method"]).delete()
    delivery = make_delivery(shop)
    response = shipping_client.get(reverse("sendcloud:labels-create", args=[delivery.pk]))
    text = response.content.decode()
    assert "Konfiguration → Lager → Eigene Versandarten" in text
    assert "Versandregeln" not in text  # no screen offers Sendcloud's rules instead
    fix = reverse("admin:sales_shippingmethod_change", args=[shop["method"].pk])
    assert f'id="fix-shipping-method" href="{fix}"' in text


def test_create_is_refused_on_a_delivery_order_with_a_live_label(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    response = shipping_client.post(reverse("sendcloud:labels-create", args=[delivery.pk]))
    assert response.status_code == 400
    assert "hat schon ein Label" in response.content.decode()
    assert b"label-problems" in response.content
    assert not LabelJob.objects.exists()


def test_the_delivery_order_change_page_shows_the_label_section(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    response = shipping_client.get(reverse("admin:sales_deliveryorder_change", args=[delivery.pk]))
    text = response.content.decode()
    assert 'id="label-section"' in text and label.tracking_number in text
    assert 'id="label-cancel"' in text and 'id="label-create"' not in text


def test_a_reading_user_sees_labels_but_cannot_create_or_cancel(shop, reading_client):
    delivery, shipment, label = labelled(shop)
    page = reading_client.get(reverse("admin:sales_deliveryorder_change", args=[delivery.pk]))
    assert label.tracking_number in page.content.decode()
    assert b'id="label-cancel"' not in page.content
    other = make_delivery(shop)
    create = reverse("sendcloud:labels-create", args=[other.pk])
    cancel = reverse("sendcloud:labels-cancel", args=[delivery.pk])
    assert reading_client.post(create).status_code == 403
    assert reading_client.post(cancel).status_code == 403
    assert not Shipment.objects.filter(delivery_order=other).exists()
    shipment.refresh_from_db()
    assert shipment.state == Shipment.State.LIVE
    file_url = reverse("sendcloud:labels-file", args=[label.pk, "pdf"])
    assert reading_client.get(file_url).status_code == 200


def test_another_company_gets_404_for_pages_files_and_jobs(shop, stranger_client):
    delivery, shipment, label = labelled(shop)
    job = LabelJob.objects.create(integration=shop["integration"])
    for url in (
        reverse("sendcloud:labels-delivery", args=[delivery.pk]),
        reverse("sendcloud:labels-create", args=[delivery.pk]),
        reverse("sendcloud:labels-cancel", args=[delivery.pk]),
        reverse("sendcloud:labels-file", args=[label.pk, "pdf"]),
        reverse("sendcloud:labels-job", args=[job.pk]),
        reverse("sendcloud:labels-job-merged", args=[job.pk]),
    ):
        assert stranger_client.get(url).status_code == 404, url
    cancel = reverse("sendcloud:labels-cancel", args=[delivery.pk])
    assert stranger_client.post(cancel).status_code == 404
    shipment.refresh_from_db()
    assert shipment.state == Shipment.State.LIVE


def test_files_need_a_login(client, shop):
    delivery, shipment, label = labelled(shop)
    response = client.get(reverse("sendcloud:labels-file", args=[label.pk, "pdf"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_label_pdf_is_served_with_a_file_name_and_marks_nothing_printed(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    response = shipping_client.get(reverse("sendcloud:labels-file", args=[label.pk, "pdf"]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="{delivery.number}-1-{label.tracking_number}.pdf"'
        in (response["Content-Disposition"])
    )
    label.refresh_from_db()
    assert label.printed_at is None  # a GET is a look, not a print
    # The file itself is stored outside every served directory: its storage path answers 404.
    assert shipping_client.get("/" + label.label_pdf.name).status_code == 404
    assert shipping_client.get("/media/" + label.label_pdf.name).status_code == 404


def test_zpl_is_fetched_on_demand_and_kept(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    response = shipping_client.get(reverse("sendcloud:labels-file", args=[label.pk, "zpl"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"^XA")
    assert "attachment" in response["Content-Disposition"]
    label.refresh_from_db()
    assert label.label_zpl


def test_an_unknown_file_kind_is_404(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    response = shipping_client.get(reverse("sendcloud:labels-file", args=[label.pk, "customs"]))
    assert response.status_code == 404  # a domestic parcel has no customs documents
    assert shipping_client.get(f"/sendcloud/labels/files/{label.pk}/raw/").status_code == 404


def test_cancel_confirms_then_shows_the_result(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    url = reverse("sendcloud:labels-cancel", args=[delivery.pk])
    assert b"confirm-label-cancel" in shipping_client.get(url).content
    response = shipping_client.post(url)
    assert b'id="cancel-result"' in response.content
    shipment.refresh_from_db()
    assert shipment.state in (Shipment.State.CANCELLED, Shipment.State.CANCEL_REQUESTED)
    section = shipping_client.get(reverse("sendcloud:labels-delivery", args=[delivery.pk]))
    assert b'id="label-create"' in section.content  # a new label may be made now


def test_cancel_without_a_label_says_so(shop, shipping_client):
    delivery = make_delivery(shop)
    response = shipping_client.post(reverse("sendcloud:labels-cancel", args=[delivery.pk]))
    assert b'id="cancel-error"' in response.content


def test_bulk_action_makes_one_job_and_one_merged_pdf(shop, shipping_client):
    deliveries = [make_delivery(shop) for _ in range(5)]
    bad = make_delivery(shop, postal_code="", city="")
    response = shipping_client.post(
        reverse("admin:sales_deliveryorder_changelist"),
        {"action": "labels_create", "_selected_action": [d.pk for d in [*deliveries, bad]]},
    )
    job = LabelJob.objects.get()
    assert response["Location"] == reverse("sendcloud:labels-job", args=[job.pk])
    label_job_execute(job.pk)
    page = shipping_client.get(response["Location"]).content.decode()
    for delivery in deliveries:
        tracking = Label.objects.get(shipment__delivery_order=delivery).tracking_number
        assert tracking in page
    assert job.items.get(delivery_order=bad).state == LabelJobItem.State.NEEDS_FIXING
    assert 'id="retry-failed"' in page and 'id="merged-a4"' in page
    assert 'id="retry-failed" disabled' not in page  # one needs fixing: retry is offered

    a6 = shipping_client.get(reverse("sendcloud:labels-job-merged", args=[job.pk]) + "?paper=a6")
    assert len(PdfReader(io.BytesIO(b"".join(a6.streaming_content))).pages) == 5
    assert Label.objects.filter(printed_at=None).count() == 5  # downloading marks nothing
    a4 = shipping_client.get(reverse("sendcloud:labels-job-merged", args=[job.pk]) + "?paper=a4")
    assert len(PdfReader(io.BytesIO(b"".join(a4.streaming_content))).pages) == 2

    retry = shipping_client.post(reverse("sendcloud:labels-job-retry", args=[job.pk]))
    again = LabelJob.objects.exclude(pk=job.pk).get()
    assert retry["Location"] == reverse("sendcloud:labels-job", args=[again.pk])
    assert list(again.items.values_list("delivery_order", flat=True)) == [bad.pk]


def test_the_job_offers_to_print_a_label_and_to_reprint_only_a_printed_one(shop, shipping_client):
    delivery = make_delivery(shop)
    shipping_client.post(
        reverse("admin:sales_deliveryorder_changelist"),
        {"action": "labels_create", "_selected_action": [delivery.pk]},
    )
    job = LabelJob.objects.get()
    label_job_execute(job.pk)
    url = reverse("sendcloud:labels-job", args=[job.pk])
    page = shipping_client.get(url).content.decode()
    assert 'class="label-print">drucken</a>' in page and "erneut drucken" not in page
    assert 'id="retry-failed" disabled' in page and 'id="retry-none"' in page  # nothing failed
    merged = shipping_client.get(reverse("sendcloud:labels-job-merged", args=[job.pk]))
    b"".join(merged.streaming_content)
    assert "erneut drucken" not in shipping_client.get(url).content.decode()
    page = shipping_client.get(url).content.decode()
    assert 'id="job-mark-printed-button"' in page
    label = Label.objects.get()
    shipping_client.post(reverse("sendcloud:labels-printed"), {"label": [label.pk], "next": url})
    page = shipping_client.get(url).content.decode()
    assert 'class="label-print">erneut drucken</a>' in page
    assert 'id="job-mark-printed-button"' not in page


def test_downloads_never_mark_labels_printed(shop, shipping_client):
    delivery = make_delivery(shop)
    shipping_client.post(
        reverse("admin:sales_deliveryorder_changelist"),
        {"action": "labels_create", "_selected_action": [delivery.pk]},
    )
    job = LabelJob.objects.get()
    label_job_execute(job.pk)
    label = Label.objects.get()
    merged = reverse("sendcloud:labels-job-merged", args=[job.pk])
    for url in (
        reverse("sendcloud:labels-file", args=[label.pk, "pdf"]),
        merged + "?paper=a6&only=unprinted",
        merged + "?paper=a4",
    ):
        response = shipping_client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)
    label.refresh_from_db()
    assert label.printed_at is None


def test_a_reading_user_may_download_a_label_but_not_mark_it_printed(shop, reading_client):
    delivery, shipment, label = labelled(shop)
    download = reading_client.get(reverse("sendcloud:labels-file", args=[label.pk, "pdf"]))
    assert download.status_code == 200
    section = reading_client.get(reverse("sendcloud:labels-delivery", args=[delivery.pk]))
    assert b"label-mark-printed" not in section.content
    response = reading_client.post(reverse("sendcloud:labels-printed"), {"label": [label.pk]})
    assert response.status_code == 403
    label.refresh_from_db()
    assert label.printed_at is None


def test_marking_printed_is_a_post_with_csrf_from_the_button_of_the_label_section(shop):
    delivery, shipment, label = labelled(shop)
    user = UserFactory(company=shop["integration"].company, role=roles.SHIPPING)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = reverse("sendcloud:labels-printed")
    assert browser.get(url).status_code == 405
    assert browser.post(url, {"label": [label.pk]}).status_code == 403  # no CSRF token
    section = browser.get(reverse("sendcloud:labels-delivery", args=[delivery.pk]))
    page = section.content.decode()
    assert f'form="labels-printed-form" name="label" value="{label.pk}"' in page
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        url,
        {"label": [label.pk], "csrfmiddlewaretoken": token, "next": section.request["PATH_INFO"]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sendcloud:labels-delivery", args=[delivery.pk])
    label.refresh_from_db()
    assert label.printed_at is not None


def test_marking_printed_leaves_another_companys_labels_alone(shop, stranger_client):
    delivery, shipment, label = labelled(shop)
    stranger_client.post(reverse("sendcloud:labels-printed"), {"label": [label.pk]})
    label.refresh_from_db()
    assert label.printed_at is None


def test_the_bulk_action_is_not_offered_to_reading_users(shop, reading_client):
    page = reading_client.get(reverse("admin:sales_deliveryorder_changelist"))
    assert b'value="labels_create"' not in page.content
    delivery = make_delivery(shop)
    reading_client.post(
        reverse("admin:sales_deliveryorder_changelist"),
        {"action": "labels_create", "_selected_action": [delivery.pk]},
    )
    assert not LabelJob.objects.exists()


def test_job_status_reports_progress(shop, shipping_client):
    job = LabelJob.objects.create(integration=shop["integration"], total=3, done=1)
    data = shipping_client.get(reverse("sendcloud:labels-job-status", args=[job.pk])).json()
    assert (data["state"], data["done"], data["total"]) == ("queued", 1, 3)


def test_worklist_lists_flagged_parcels_and_orders_to_fix(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    shipment.needs_attention = True
    shipment.attention_message = "Adresse unbekannt"
    shipment.save()
    bad = make_delivery(shop, postal_code="", city="")
    job = LabelJob.objects.create(integration=shop["integration"])
    LabelJobItem.objects.create(
        job=job, delivery_order=bad, state="needs_fixing", problems=[{"message": "PLZ fehlt"}]
    )
    text = shipping_client.get(reverse("sendcloud:labels-worklist")).content.decode()
    assert "Adresse unbekannt" in text and delivery.number in text
    assert "PLZ fehlt" in text and bad.number in text


def test_the_timeline_names_parcel_statuses_in_the_readers_language(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    shipment_event(shipment, "status", f"{label.tracking_number}: Ready to send")
    shipment_event(shipment, "status", f"{label.tracking_number}: Something new")
    url = reverse("admin:sales_deliveryorder_change", args=[delivery.pk])
    text = shipping_client.get(url).content.decode()
    assert f"{label.tracking_number}: Versandbereit" in text
    assert "Ready to send" not in text
    assert f"{label.tracking_number}: Something new" in text  # unknown: Sendcloud's words


def test_a_granted_cancellation_is_said_in_german_only(shop):
    delivery, shipment, _label = labelled(shop)
    shipment.cancel_status, shipment.cancel_message = "queued", "Shipment cancellation queued"
    assert cancel_result_text(shipment) == "Stornierung beantragt"
    shipment.cancel_status, shipment.cancel_message = "rejected", "Parcel already scanned"
    assert cancel_result_text(shipment).endswith(": Parcel already scanned")


def test_weights_in_preflight_problems_use_the_readers_decimal_mark(shop):
    delivery = make_delivery(shop)
    delivery.lines.update(weight_kg=Decimal("40.5"))
    _plan, problems = label_preflight(delivery, shop["integration"])
    text = " ".join(str(p) for p in problems)
    assert "81 kg" in text and "0,001 bis 31,5 kg" in text, text


def test_parcel_status_names_are_german_for_german_users(settings):
    from django.utils import translation

    label = Label(status_code="DELIVERED", status_message="Delivered")
    with translation.override("de"):
        assert parcel_status(label) == "Zugestellt"
    with translation.override("en"):
        assert parcel_status(label) == "Delivered"
    assert parcel_status(Label(status_id=11)) in ("Zugestellt", "Delivered")


def test_tracking_links_are_http_only_and_in_the_users_language():
    from django.utils import translation

    url = "https://tracking.example/forward?carrier=dhl&code=1&lang=en-us&type=parcel"
    with translation.override("de"):
        assert parse_qs(urlsplit(tracking_link(url)).query)["lang"] == ["de-de"]
    assert tracking_link("javascript:alert(1)") == ""
    assert tracking_link("https://carrier.example/t/1") == "https://carrier.example/t/1"


def test_money_is_localized():
    from decimal import Decimal

    from django.utils import translation

    with translation.override("de"):
        assert money(Decimal("1234.5"), "EUR") == "1.234,50 €"
    with translation.override("en"):
        assert money(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert money(None) == "–"


def test_the_delivery_order_list_shows_tracking_number_and_status(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    page = shipping_client.get(reverse("admin:sales_deliveryorder_changelist"))
    assert label.tracking_number in page.content.decode()


def test_the_mark_printed_button_of_the_order_page_submits_its_own_form(shop, shipping_client):
    delivery, shipment, label = labelled(shop)
    url = reverse("admin:sales_deliveryorder_change", args=[delivery.pk])
    page = shipping_client.get(url).content.decode()
    button = page.index(f'id="label-mark-printed-{label.pk}"')
    form = page.index('id="labels-printed-form"')
    assert "</form>" in page[button:form]  # the admin's form ends first: no nested forms
