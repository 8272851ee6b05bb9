"""Parcel status batches of the inbox drain: new parcels inserted with their values in one
statement, known ones updated, a parcel that another writer stores meanwhile still gets the
newer status; a group's lease is renewed only when it has run for a while."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from sendcloud.models import Parcel, WebhookEvent
from sendcloud.webhooks import mirror, processing
from sendcloud.webhooks.mirror import parcel_statuses_apply
from tests.sendcloud.factories import IntegrationFactory
from tests.sendcloud.test_fairness import received

pytestmark = pytest.mark.django_db


def at(minute: int) -> datetime:
    return datetime(2026, 1, 1, 12, minute, tzinfo=UTC)


def parcel(parcel_id: int, status_id: int = 3, message: str = "En route", **extra) -> dict:
    return {"id": parcel_id, "status": {"id": status_id, "message": message}, **extra}


def test_parcels_new_to_the_mirror_are_inserted_with_their_values_in_one_statement(
    django_assert_max_num_queries,
):
    integration = IntegrationFactory()
    items = [(parcel(500 + n, tracking_number=f"T{n}"), at(1)) for n in range(60)]

    # The SELECT of the known parcels and one INSERT, inside the batch's savepoint (before: an
    # INSERT of empty rows, a second SELECT and an UPDATE of every row).
    with django_assert_max_num_queries(4):
        outcomes = parcel_statuses_apply(integration, items)

    assert all(applied for _parcel, applied in outcomes)
    assert all(stored.pk for stored, _applied in outcomes)
    rows = Parcel.objects.filter(integration=integration).order_by("sendcloud_id")
    assert rows.count() == 60
    assert (rows[0].tracking_number, rows[0].status_message) == ("T0", "En route")
    assert rows[59].status_changed_at == at(1)


def test_new_and_known_parcels_in_one_batch_keep_the_newer_status_each():
    integration = IntegrationFactory()
    Parcel.objects.create(
        integration=integration, sendcloud_id=1, status_id=11, status_changed_at=at(30)
    )
    items = [
        (parcel(1, 3, "Older news"), at(10)),  # older than the stored status: skipped
        (parcel(2, 3, "En route"), at(10)),
        (parcel(2, 11, "Delivered"), at(20)),  # same new parcel, newer: wins
        (parcel(2, 1, "Announced"), at(5)),  # same new parcel, older: skipped
    ]

    outcomes = parcel_statuses_apply(integration, items)

    assert [applied for _parcel, applied in outcomes] == [False, True, True, False]
    stored = {p.sendcloud_id: p for p in Parcel.objects.filter(integration=integration)}
    assert (stored[1].status_id, stored[1].status_changed_at) == (11, at(30))
    assert (stored[2].status_id, stored[2].status_message) == (11, "Delivered")


def test_a_parcel_another_writer_stores_meanwhile_gets_the_newer_status_once():
    integration = IntegrationFactory()
    real_insert = mirror.rows_insert_new

    def sync_run_comes_first(objects, unique):
        # A sync run stores parcel 7 between the batch's SELECT and its INSERT (once).
        if Parcel.objects.filter(sendcloud_id=7).exists():
            return real_insert(objects, unique)
        Parcel.objects.create(
            integration=integration,
            sendcloud_id=7,
            status_id=1,
            status_changed_at=at(1),
            tracking_number="FROM-SYNC",
            order_number="A-7",
        )
        return real_insert(objects, unique)

    items = [(parcel(7, 11, "Delivered"), at(9)), (parcel(8, 3, "En route"), at(9))]
    with mock.patch.object(mirror, "rows_insert_new", side_effect=sync_run_comes_first):
        outcomes = parcel_statuses_apply(integration, items)

    assert [applied for _parcel, applied in outcomes] == [True, True]
    assert Parcel.objects.filter(integration=integration).count() == 2
    seven = Parcel.objects.get(integration=integration, sendcloud_id=7)
    assert (seven.status_id, seven.status_changed_at) == (11, at(9))
    assert (seven.tracking_number, seven.order_number) == ("FROM-SYNC", "A-7")  # kept
    assert outcomes[0][0].pk == seven.pk


def test_a_group_taken_right_after_its_claim_is_not_leased_again(
    integration, django_assert_num_queries
):
    events = received(integration, [{"action": "test_webhook", "n": n} for n in range(3)])
    lease, claimed = processing._claim(10)

    with django_assert_num_queries(1):  # the SELECT, no UPDATE of the lease
        taken, kept = processing._take(claimed[integration.pk], lease)

    assert kept == lease
    assert [e.pk for e in taken] == [e.pk for e in events]


def test_a_group_whose_lease_is_running_out_renews_it(integration):
    received(integration, [{"action": "test_webhook"}])
    lease, claimed = processing._claim(10)
    WebhookEvent.objects.update(claimed_until=lease - timedelta(minutes=2))  # groups took long

    taken, renewed = processing._take(claimed[integration.pk], lease - timedelta(minutes=2))

    assert renewed > lease and len(taken) == 1
    assert WebhookEvent.objects.get().claimed_until == renewed
