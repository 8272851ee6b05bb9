import io
import json

import pytest
from django.core.management import CommandError, call_command

from sendcloud.models import Invoice, Parcel, SyncRun
from sendcloud.sync import sync_start


@pytest.fixture
def live_integration(sandbox_integration, sandbox_server, settings):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    return sandbox_integration


def test_command_syncs_the_chosen_objects_with_a_progress_bar(live_integration, sandbox_app):
    own = sandbox_app.extensions["sandbox"].store.one(  # the linked integration's parcels only
        "SELECT COUNT(*) FROM parcels WHERE integration_id = ?", (live_integration.sendcloud_id,)
    )[0]
    out, err = io.StringIO(), io.StringIO()

    call_command("sendcloud_sync", "--objects", "parcels", "invoices", stdout=out, stderr=err)

    run = SyncRun.objects.get()
    assert run.trigger == SyncRun.Trigger.CLI and run.state == SyncRun.State.SUCCEEDED
    assert Parcel.objects.count() == own and Invoice.objects.count() == 5
    assert "parcels" in err.getvalue() and "obj" in err.getvalue()  # the bars
    assert f"created {own:>7}" in out.getvalue()


def test_command_refuses_when_a_run_is_active(live_integration):
    sync_start(live_integration, ["parcels"], queue=False, trigger=SyncRun.Trigger.MANUAL)

    with pytest.raises(CommandError):
        call_command("sendcloud_sync", "--full", stdout=io.StringIO(), stderr=io.StringIO())

    assert SyncRun.objects.count() == 1


def test_json_prints_one_document_with_the_run_per_integration(live_integration):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "sendcloud_sync", "--objects", "invoices", "--no-progress", "--json", stdout=out, stderr=err
    )

    document = json.loads(out.getvalue())  # nothing else on stdout
    assert document["ok"] is True and document["exit_code"] == 0
    (result,) = document["results"]
    assert result["integration"] == live_integration.pk and result["state"] == "succeeded"
    assert result["types"][0]["type"] == "invoices" and result["types"][0]["created"] == 5
    assert document["summary"] == {"integrations": 1, "succeeded": 1, "failed": 0}
    assert "Sync of" in err.getvalue()  # the human lines went to stderr


def test_json_exits_1_when_a_run_is_active_and_2_without_integrations(live_integration, db):
    sync_start(live_integration, ["parcels"], queue=False, trigger=SyncRun.Trigger.MANUAL)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("sendcloud_sync", "--json", stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    assert json.loads(out.getvalue())["results"][0]["state"] == "busy"

    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("sendcloud_sync", "--integration", "999999", "--json", stdout=out)
    assert caught.value.returncode == 2 and json.loads(out.getvalue())["ok"] is False
