"""Pushed parcels and synced parcels share one row mapping and one "newer status wins" rule."""

from datetime import UTC, datetime, timedelta

import pytest

from sendcloud.models import Parcel
from sendcloud.models.parcels import status_wins
from sendcloud.sync.parcels import ParcelSync
from sendcloud.webhooks.mirror import parcel_status_apply
from tests.sendcloud.webhook_helpers import status_event

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 5, 4, 12, tzinfo=UTC)


def test_a_status_without_a_time_never_replaces_one_with_a_time(integration):
    parcel_status_apply(integration, status_event(7, 11, "Delivered", 0)["parcel"], timestamp=NOON)
    untimed = status_event(7, 3, "En route to sorting center", 0)["parcel"]
    parcel, applied = parcel_status_apply(integration, untimed, timestamp=None)
    assert not applied
    assert Parcel.objects.get().status_message == "Delivered"


def test_the_webhook_row_carries_the_v3_status_code_like_the_sync_row(integration):
    long_name = {**status_event(7, 11, "Delivered", 0)["parcel"], "name": "E" * 500}
    parcel, applied = parcel_status_apply(integration, long_name, timestamp=NOON)
    parcel.refresh_from_db()
    assert applied and parcel.status_code == "DELIVERED" and parcel.status_id == 11
    assert parcel.to_name == "E" * 200 and parcel.to_country == "DE"
    assert parcel.carrier_code == "dhl" and str(parcel.weight_kg) == "1.250"


def test_the_sync_keeps_a_newer_status_by_the_same_rule():
    old = {"status_changed_at": NOON, "status_id": 11, "status_code": "DELIVERED"}
    old["status_message"] = "Delivered"
    for incoming in (None, NOON - timedelta(minutes=1)):
        row = {"status_changed_at": incoming, "status_id": 3, "status_code": "X"}
        row["status_message"] = "older"
        ParcelSync().guard(row, old)
        assert row == old
        assert not status_wins(NOON, incoming)
    assert status_wins(NOON, NOON) and status_wins(None, None)
