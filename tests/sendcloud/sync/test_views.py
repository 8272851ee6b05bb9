import pytest
from django.urls import reverse
from django.utils import timezone

from sendcloud.models import Invoice, ObjectType, Parcel, SyncRun
from sendcloud.sync import sync_start
from sendcloud.views.mirror import LISTS
from sendcloud.views.reports import REPORTS
from tests.factories import CompanyFactory, UserFactory


@pytest.fixture
def synced(sandbox_integration, sync):
    sync(sandbox_integration, list(ObjectType.values))
    return sandbox_integration


def test_start_queues_one_run_on_commit_and_shows_it(
    clerk_client, sandbox_integration, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("sendcloud.tasks.sync_run_execute_task.delay", queued.append)
    url = reverse("sendcloud:sync", args=[sandbox_integration.pk])
    assert clerk_client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(url, {"object_types": ["parcels", "invoices"]})

    run = SyncRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sendcloud:sync-run", args=[run.pk])
    assert queued == [run.pk]
    assert run.object_types == ["invoices", "parcels"]
    assert run.trigger == SyncRun.Trigger.MANUAL and run.started_by is not None


def test_second_start_while_running_says_so(clerk_client, sandbox_integration):
    active = sync_start(
        sandbox_integration, ["parcels"], queue=False, trigger=SyncRun.Trigger.SCHEDULE
    )
    url = reverse("sendcloud:sync", args=[sandbox_integration.pk])

    response = clerk_client.post(url, {"object_types": ["parcels"]}, follow=True)

    assert SyncRun.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("sendcloud:sync-run", args=[active.pk])
    assert "läuft bereits ein Abgleich" in response.content.decode()


def test_progress_json_reports_counts_per_object_type(clerk_client, synced):
    run = SyncRun.objects.get()

    data = clerk_client.get(reverse("sendcloud:sync-run-progress", args=[run.pk])).json()

    assert data["state"] == "succeeded" and data["active"] is False
    parcels = next(t for t in data["types"] if t["type"] == "parcels")
    assert parcels["percent"] == 100 and parcels["created"] == Parcel.objects.count()
    page = clerk_client.get(reverse("sendcloud:sync-run", args=[run.pk])).content.decode()
    assert 'id="sync-type-parcels"' in page


def test_parcel_list_filters_by_status_carrier_date_and_search(clerk_client, synced):
    url = reverse("sendcloud:report", args=[synced.pk, "parcels"])
    parcel = Parcel.objects.exclude(tracking_number="").first()

    everything = clerk_client.get(url)
    by_status = clerk_client.get(url, {"status": parcel.status_code})
    by_carrier = clerk_client.get(url, {"carrier": parcel.carrier_code})
    by_search = clerk_client.get(url, {"q": parcel.tracking_number})
    future = clerk_client.get(url, {"date_from": "2999-01-01"})

    assert everything.context["total"] == Parcel.objects.count()
    assert all(
        Parcel.objects.get(pk=pk).status_code == parcel.status_code for pk in listed(by_status)
    )
    assert all(
        Parcel.objects.get(pk=pk).carrier_code == parcel.carrier_code for pk in listed(by_carrier)
    )
    assert listed(by_search) == {parcel.pk}
    assert (
        by_status.context["total"] == Parcel.objects.filter(status_code=parcel.status_code).count()
    )
    assert (
        by_carrier.context["total"]
        == Parcel.objects.filter(carrier_code=parcel.carrier_code).count()
    )
    assert by_search.context["total"] == 1
    assert parcel.tracking_number in by_search.content.decode()
    assert future.context["total"] == 0


def listed(response) -> set:
    """The primary keys of the rows a mirrored list shows on its page."""
    return {row["obj"].pk for row in response.context["table"]}


def test_invoice_list_filters_by_paid(clerk_client, synced):
    url = reverse("sendcloud:report", args=[synced.pk, "invoices"])
    invoices = Invoice.objects.filter(integration=synced)
    paid_ids = set(invoices.filter(is_paid=True).values_list("pk", flat=True))
    unpaid_ids = set(invoices.filter(is_paid=False).values_list("pk", flat=True))
    assert paid_ids and unpaid_ids  # the seed has both, or the filter proves nothing

    assert listed(clerk_client.get(url, {"paid": "yes"})) == paid_ids
    assert listed(clerk_client.get(url, {"paid": "no"})) == unpaid_ids


@pytest.mark.parametrize(
    "kind",
    [
        "sender-addresses",
        "shipping-methods",
        "carriers",
        "parcel-statuses",
        "returns",
        "brands",
    ],
)
def test_every_mirrored_list_shows_the_synced_objects(clerk_client, synced, kind):
    model, search = LISTS[kind].model, LISTS[kind].search[0]
    mirrored = list(model.objects.filter(integration=synced).order_by("pk"))
    first, gone = mirrored[0], mirrored[-1]
    model.objects.filter(pk=gone.pk).update(archived_at=timezone.now())
    current = {obj.pk for obj in mirrored} - {gone.pk}
    route = "sendcloud:report" if kind in REPORTS else "sendcloud:mirror"
    url = reverse(route, args=[synced.pk, kind])

    response = clerk_client.get(url)
    assert response.status_code == 200
    assert response.context["total"] == len(current) > 0
    assert listed(response) <= current and len(listed(response)) == min(50, len(current))
    assert clerk_client.get(url, {"archived": "on"}).context["total"] == len(mirrored)
    found = listed(clerk_client.get(url, {"q": getattr(first, search)}))
    assert first.pk in found and found <= current


def test_lists_of_another_company_are_not_found(client, synced):
    stranger = UserFactory(company=CompanyFactory())
    client.force_login(stranger)

    response = client.get(reverse("sendcloud:mirror", args=[synced.pk, "parcels"]))

    assert response.status_code == 404


def test_overview_shows_last_sync_per_type_and_next_schedule(clerk_client, synced):
    page = clerk_client.get(reverse("sendcloud:integration")).content.decode()

    assert reverse("sendcloud:sync", args=[synced.pk]) in page
    assert 'data-sync-type="parcels"' in page
    assert "Next scheduled sync" in page or "Nächster geplanter Abgleich" in page


def test_schedules_form_saves_intervals(clerk_client, sandbox_integration):
    url = reverse("sendcloud:sync-schedules", args=[sandbox_integration.pk])
    assert clerk_client.get(url).status_code == 200
    data = {}
    for name in ObjectType.values:
        data[f"{name}-enabled"] = "on"
        data[f"{name}-minutes"] = "30"
    data.pop("invoices-enabled")

    response = clerk_client.post(url, data)

    assert response.status_code == 302
    states = {s.object_type: s for s in sandbox_integration.sync_states.all()}
    assert states["parcels"].interval_minutes == 30
    assert states["invoices"].schedule_enabled is False


def test_schedules_offer_intervals_as_words_and_refuse_others_in_german(
    clerk_client, sandbox_integration
):
    url = reverse("sendcloud:sync-schedules", args=[sandbox_integration.pk])
    page = clerk_client.get(url).content.decode()
    assert "alle 15 Minuten" in page and "stündlich" in page and "täglich" in page
    data = {f"{name}-minutes": "60" for name in ObjectType.values}
    data["parcels-minutes"] = "7"

    response = clerk_client.post(url, data)

    assert response.status_code == 200
    assert "Bitte wählen Sie eines der Intervalle aus der Liste." in response.content.decode()
