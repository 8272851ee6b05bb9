"""A label job item ends only when its shipment is live or refused; refusals are German and are
not sent again unchanged; live labels get their documents whatever the webhooks did."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from backoffice.sales.models import Package
from sendcloud import jobs
from sendcloud.models import Label, LabelJob, LabelJobItem, Shipment
from sendcloud.services.labels import (
    delivery_order_label_create,
    label_job_create,
    label_job_execute,
    label_job_retry_failed,
    label_status_apply,
    labels_reconcile,
    labels_reconcile_all,
    shipment_documents_fetch,
    sweep,
)
from sendcloud.services.labels.wait import label_job_announcements_wait
from tests.sendcloud.labels.conftest import make_delivery, option_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture
def held_announcements(sandbox_control):
    """Parcels of an async create stay "being announced" until the test moves them."""
    sandbox_control.post("/_sandbox/progression", json={"enabled": False})


@pytest.fixture
def queued_documents(monkeypatch):
    """Shipments whose documents fetch was queued for the worker (recorded, not sent)."""
    queued: list[int] = []

    def enqueue(name, *args):
        if name == jobs.LABEL_DOCUMENTS_FETCH:
            queued.append(*args)

    monkeypatch.setattr(jobs, "enqueue", enqueue)
    return queued


@pytest.fixture
def poll_at_once(monkeypatch, settings):
    settings.SENDCLOUD_LABEL_POLL_TRIES = 1
    monkeypatch.setattr(sweep, "ANNOUNCING_POLL_AFTER", timedelta(0))


def two_parcels(shop):
    delivery = make_delivery(shop)
    for weight in ("2.0", "3.5"):
        Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))
    return delivery


def labelled_by_job(shop, *deliveries) -> LabelJob:
    job = label_job_create(shop["integration"], deliveries, enqueue=False)
    return label_job_execute(job.pk)


def move_parcels(sandbox_control, shipment, status_id):
    for parcel_id in shipment.labels.values_list("sendcloud_parcel_id", flat=True):
        response = sandbox_control.post(
            f"/_sandbox/parcels/{parcel_id}/status", json={"status": status_id}
        )
        assert response.status_code == 200, response.get_json()


def test_an_announcing_multi_parcel_label_is_never_called_succeeded(
    shop, held_announcements, poll_at_once
):
    job = labelled_by_job(shop, two_parcels(shop))
    item = job.items.get()
    assert item.state == LabelJobItem.State.ANNOUNCING
    assert item.get_state_display() == "wird angemeldet"
    assert job.state == LabelJob.State.WAITING and job.get_state_display() == "wartet auf Sendcloud"
    assert item.shipment.state == Shipment.State.ANNOUNCING


def test_a_poll_of_the_reconciliation_ends_the_announcement_queues_documents_and_the_job(
    shop, held_announcements, poll_at_once, sandbox_control, queued_documents
):
    job = labelled_by_job(shop, two_parcels(shop))
    shipment = job.items.get().shipment
    move_parcels(sandbox_control, shipment, 1000)  # announced; no webhook reaches us

    labels_reconcile(shop["integration"])

    shipment.refresh_from_db()
    item = job.items.get()
    job.refresh_from_db()
    assert shipment.state == Shipment.State.LIVE
    assert shipment.pk in queued_documents
    assert item.state == LabelJobItem.State.SUCCEEDED
    assert all(t in item.message for t in shipment.labels.values_list("tracking_number", flat=True))
    assert job.state == LabelJob.State.SUCCEEDED and job.counts == {"succeeded": 1}
    assert shipment_documents_fetch(shipment.pk) >= 1
    assert not shipment.labels.filter(label_pdf="").exists()


def test_the_webhook_of_the_last_parcel_ends_the_announcement_and_the_job(
    shop, held_announcements, poll_at_once, sandbox_control, queued_documents
):
    job = labelled_by_job(shop, two_parcels(shop))
    shipment = job.items.get().shipment
    first, second = shipment.labels.order_by("collo")
    at = datetime.now(UTC)
    announced = {"id": 1000, "message": "Ready to send"}

    label_status_apply(shop["integration"], {"id": first.sendcloud_parcel_id, "status": announced},
                       timestamp=at)  # fmt: skip
    shipment.refresh_from_db()
    assert shipment.state == Shipment.State.ANNOUNCING  # one parcel is still being announced
    assert job.items.get().state == LabelJobItem.State.ANNOUNCING

    label_status_apply(
        shop["integration"], {"id": second.sendcloud_parcel_id, "status": announced}, timestamp=at
    )
    shipment.refresh_from_db()
    job.refresh_from_db()
    assert shipment.state == Shipment.State.LIVE and shipment.pk in queued_documents
    assert job.items.get().state == LabelJobItem.State.SUCCEEDED
    assert job.state == LabelJob.State.SUCCEEDED


def test_an_announcement_the_carrier_refuses_ends_as_correction_needed_in_german(
    shop, held_announcements, poll_at_once, sandbox_control
):
    job = labelled_by_job(shop, two_parcels(shop))
    shipment = job.items.get().shipment
    move_parcels(sandbox_control, shipment, 1002)

    labels_reconcile(shop["integration"])

    item = job.items.get()
    job.refresh_from_db()
    assert item.state == LabelJobItem.State.NEEDS_FIXING
    assert item.get_state_display() == "Korrektur nötig"
    assert item.problems and item.carrier_text
    assert "abgelehnt" in item.message and item.carrier_text not in item.message
    assert job.state == LabelJob.State.PARTIAL
    assert label_job_retry_failed(job, enqueue=False) is None  # refused: not resent unchanged


def refused_by_weight(shop):
    """Our option allows 100 kg (pre-flight passes); the carrier takes 31.5 kg at most."""
    option_for(shop["integration"], max_weight_kg=Decimal("100"))
    delivery = make_delivery(shop)
    Package.objects.create(delivery_order=delivery, weight_kg=Decimal("40"))
    return delivery


def test_a_carrier_refusal_is_correction_needed_with_the_reason_and_its_words_once(shop):
    job = labelled_by_job(shop, refused_by_weight(shop))
    item = job.items.get()
    assert item.state == LabelJobItem.State.NEEDS_FIXING
    [problem] = item.problems
    assert problem["field"] == "weight" and problem["message"].startswith("Gewicht: 40 kg")
    assert "Service error" in item.carrier_text
    assert "Service error" not in item.message + problem["message"]
    assert item.refused_input


def test_retry_failed_does_not_resend_a_refused_order_until_it_changed(
    shop, sandbox_control, sandbox_account
):
    delivery = refused_by_weight(shop)
    job = labelled_by_job(shop, delivery)

    assert label_job_retry_failed(job, enqueue=False) is None  # nothing to send again

    other = make_delivery(shop, postal_code="", city="")  # fails pre-flight: retried as is
    both = labelled_by_job(shop, delivery, other)
    retry = label_job_retry_failed(both, enqueue=False)
    skipped = retry.items.get(delivery_order=delivery)
    assert skipped.state == LabelJobItem.State.SKIPPED
    assert skipped.message == "unverändert – erst korrigieren"
    assert retry.items.get(delivery_order=other).state == LabelJobItem.State.QUEUED
    assert retry.total == 2

    package = delivery.packages.get()
    package.weight_kg = Decimal("20")
    package.save()
    again = label_job_retry_failed(job, enqueue=False)
    assert again.items.get().state == LabelJobItem.State.QUEUED
    assert label_job_execute(again.pk).items.get().state == LabelJobItem.State.SUCCEEDED


def test_a_transient_failure_is_retried_unchanged(shop):
    delivery = make_delivery(shop)
    job = label_job_create(shop["integration"], [delivery], enqueue=False)
    job.items.update(state=LabelJobItem.State.FAILED, message="HTTP 502")
    retry = label_job_retry_failed(job, enqueue=False)
    assert list(retry.items.values_list("delivery_order", "state")) == [(delivery.pk, "queued")]


def test_the_sweep_queues_documents_live_labels_lack_once_per_hour(shop, queued_documents):
    shipment = delivery_order_label_create(make_delivery(shop), shop["integration"])
    complete = delivery_order_label_create(make_delivery(shop), shop["integration"])
    Label.objects.filter(shipment=shipment).update(label_pdf="")  # the file never came
    queued_documents.clear()

    assert sweep.documents_missing_queue(shop["integration"]) == 1
    assert queued_documents == [shipment.pk] and complete.pk not in queued_documents
    assert sweep.documents_missing_queue(shop["integration"]) == 0  # asked an hour later again
    Shipment.objects.filter(pk=shipment.pk).update(
        documents_checked_at=timezone.now() - timedelta(hours=2)
    )
    assert sweep.documents_missing_queue(shop["integration"]) == 1

    shipment_documents_fetch(shipment.pk)
    assert sweep.shipments_missing_documents(shop["integration"]) == []


def test_the_sweep_is_bounded_per_pass(shop, queued_documents):
    for _ in range(3):
        delivery_order_label_create(make_delivery(shop), shop["integration"])
    Label.objects.update(label_pdf="")
    assert sweep.documents_missing_queue(shop["integration"], limit=2) == 2
    assert sweep.documents_missing_queue(shop["integration"], limit=2) == 1


def test_the_command_line_follows_announcements_itself_and_fetches_their_documents(
    shop, held_announcements, poll_at_once, sandbox_control
):
    job = labelled_by_job(shop, two_parcels(shop))
    shipment = job.items.get().shipment
    move_parcels(sandbox_control, shipment, 1000)

    job = label_job_announcements_wait(job.pk, seconds=30)

    assert job.state == LabelJob.State.SUCCEEDED
    assert job.items.get().state == LabelJobItem.State.SUCCEEDED
    assert not shipment.labels.filter(label_pdf="").exists()


def test_waiting_for_announcements_gives_up_after_its_time_and_leaves_the_job_waiting(
    shop, held_announcements, poll_at_once
):
    job = labelled_by_job(shop, two_parcels(shop))
    job = label_job_announcements_wait(job.pk, seconds=0)
    assert job.state == LabelJob.State.WAITING


def test_the_reconciliation_ends_a_waiting_job_whose_shipment_ended_unnoticed(
    shop, held_announcements, poll_at_once
):
    job = labelled_by_job(shop, two_parcels(shop))
    # The shipment ended while its item was being saved (a webhook raced the job's worker).
    Shipment.objects.update(
        state=Shipment.State.FAILED, error_message="Service error: Something broke."
    )

    labels_reconcile_all()

    job.refresh_from_db()
    item = job.items.get()
    assert item.state == LabelJobItem.State.NEEDS_FIXING and item.carrier_text
    assert job.state == LabelJob.State.PARTIAL and job.finished_at
