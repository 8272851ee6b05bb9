"""`jobs.kick`: a drain queued at most twice a second per process, and only after commit."""

from unittest import mock

import pytest
from django.db import transaction

from sendcloud import jobs


@pytest.fixture
def sent(monkeypatch):
    monkeypatch.setattr(jobs, "_next_kick", {})
    with mock.patch.object(jobs, "_send") as send:
        yield send


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_kick_is_sent_at_once_without_commit_hooks(sent):
    with mock.patch.object(transaction, "on_commit") as on_commit:
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)  # within half a second: dropped

    sent.assert_called_once_with(jobs.WEBHOOK_INBOX_DRAIN, ())
    on_commit.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_kick_waits_for_the_commit_and_is_lost_with_a_rollback(sent):
    with transaction.atomic():
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
        sent.assert_not_called()
    sent.assert_called_once_with(jobs.WEBHOOK_INBOX_DRAIN, ())

    jobs._next_kick.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
        raise RuntimeError
    assert sent.call_count == 1
