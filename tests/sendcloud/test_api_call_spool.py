"""The API call log loses no call while the database is locked: the call waits in the spool."""

import os
import sqlite3
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sendcloud.call_spool import CLAIM_STALE_SECONDS, api_calls_unspool
from sendcloud.client import CallRecord
from sendcloud.clients import api_call_recorder
from sendcloud.models import ApiCall
from sendcloud.services.retention import sendcloud_logs_purge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="locks an SQLite database file"),
]


def call(path: str, status: int = 201) -> CallRecord:
    return CallRecord(
        method="POST", path=path, query={}, status=status, duration_ms=12.0, attempt=1
    )


@pytest.fixture
def spool(settings, tmp_path):
    settings.SENDCLOUD_API_CALL_SPOOL_DIR = str(tmp_path / "spool")
    return tmp_path / "spool"


@pytest.fixture
def locked_database():
    """Another connection holds the write lock; ours gives up after 50 ms, not 30 s."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.rollback()
        other.close()


def test_a_call_made_while_the_database_is_locked_is_stored_once_it_is_free_again(
    company, spool, locked_database
):
    record = api_call_recorder(None, reference="LA-1")
    before = timezone.now()

    record(call("/api/v3/orders"))
    assert [p.suffix for p in spool.iterdir()] == [".json"]
    locked_database.rollback()

    record(call("/api/v3/shipments", 200))

    stored = list(ApiCall.objects.order_by("created_at").values_list("path", "status_code"))
    assert stored == [("/api/v3/orders", 201), ("/api/v3/shipments", 200)]
    first = ApiCall.objects.get(path="/api/v3/orders")
    assert first.reference == "LA-1" and first.created_at >= before - timedelta(seconds=1)
    assert list(spool.iterdir()) == []


def test_the_nightly_purge_stores_spooled_calls_when_no_other_call_came(
    company, spool, locked_database
):
    api_call_recorder(None)(call("/api/v3/orders"))
    locked_database.rollback()

    sendcloud_logs_purge()

    assert list(ApiCall.objects.values_list("path", flat=True)) == ["/api/v3/orders"]
    assert list(spool.iterdir()) == []


def test_a_call_claimed_by_a_process_that_died_is_stored_later_and_a_fresh_claim_is_not(
    company, spool, locked_database
):
    for n in range(2):
        api_call_recorder(None)(call(f"/api/v3/orders/{n}"))
    locked_database.rollback()
    dead, busy = sorted(spool.iterdir())
    dead_claim = dead.with_name(dead.name + ".claimed-999999")
    os.replace(dead, dead_claim)
    long_ago = time.time() - CLAIM_STALE_SECONDS - 60
    os.utime(dead_claim, (long_ago, long_ago))
    os.replace(busy, busy.with_name(busy.name + ".claimed-999998"))

    assert api_calls_unspool() == 1

    assert list(ApiCall.objects.values_list("path", flat=True)) == ["/api/v3/orders/0"]
    assert [p.name.endswith(".claimed-999998") for p in spool.iterdir()] == [True]
