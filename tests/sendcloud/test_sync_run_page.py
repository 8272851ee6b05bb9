from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sendcloud.models import SyncRun


def test_sync_run_names_the_units_of_its_counts_and_a_german_duration(clerk_client, integration):
    started = timezone.now() - timedelta(minutes=5)
    run = SyncRun.objects.create(
        integration=integration,
        trigger=SyncRun.Trigger.MANUAL,
        object_types=["parcels"],
        state=SyncRun.State.SUCCEEDED,
        started_at=started,
        finished_at=started + timedelta(milliseconds=800),
        progress={"parcels": {"state": "done", "objects": 1974, "created": 2000}},
    )

    page = clerk_client.get(reverse("sendcloud:sync-run", args=[run.pk])).content.decode()
    listing = clerk_client.get(reverse("sendcloud:sync", args=[integration.pk])).content.decode()

    assert '1974</span> <span class="unit">Sendungen</span>' in page
    assert '2000</span> <span class="unit">Pakete</span>' in page
    assert "0,8 s" in page and "0,8 s" in listing
