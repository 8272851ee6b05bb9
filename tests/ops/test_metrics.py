import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from sandbox.testing import SANDBOX_BASE_URL
from sendcloud.clients import sendcloud_client
from sendcloud.metrics import endpoint_of
from sendcloud.models import SyncRun
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from sendcloud.webhooks import account
from sendcloud.webhooks.processing import webhook_inbox_drain
from tests.sendcloud.factories import IntegrationFactory
from tests.sendcloud.webhook_helpers import post_webhook


def scrape(client, **headers) -> dict[tuple, float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    figures = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            figures[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return figures


def total(figures, name, **labels) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in figures.items() if n == name and wanted <= set(ls))


@pytest.fixture
def sandbox_integration(company, sandbox_account, settings):
    settings.SENDCLOUD_BASE_URL = SANDBOX_BASE_URL
    return IntegrationFactory(company=company, account=sandbox_account)


def test_metrics_show_the_calls_429s_retries_sync_and_webhooks_of_a_small_flow(
    client, sandbox_integration, sandbox_transport, sandbox_control
):
    before = scrape(client)
    sandbox_control.put(
        "/_sandbox/faults", json={"faults": [{"kind": "rate_limit", "count": 1, "path": "/api/"}]}
    )
    own = sendcloud_client(
        sandbox_integration.public_key,
        sandbox_integration.secret_key,
        integration=sandbox_integration,
        transport=sandbox_transport,
        rate_limit=False,
        sleep=lambda seconds: None,
    )
    run = sync_start(sandbox_integration, ["sender_addresses"], queue=False, trigger="manual")
    run = sync_run_execute(run.pk, client=own)
    own.close()
    assert run.state == SyncRun.State.SUCCEEDED
    secret = sandbox_integration.secret_key
    post_webhook(client, sandbox_integration, {"action": "test_webhook"}, secret=secret)
    post_webhook(client, sandbox_integration, {"action": "test_webhook"}, secret=secret)
    waiting = scrape(client)
    webhook_inbox_drain()

    after = scrape(client)

    def grew(name, **labels):
        return total(after, name, **labels) - total(before, name, **labels)

    assert grew("sendcloud_api_calls_total", status="429") == 1
    assert grew("sendcloud_api_calls_total", status="200") >= 1
    assert grew("sendcloud_api_rate_limited_total") == 1
    assert grew("sendcloud_api_retries_total") == 1
    assert grew("sendcloud_api_call_duration_seconds_count") == grew("sendcloud_api_calls_total")
    assert grew("sendcloud_rate_limiter_wait_seconds_count") == grew("sendcloud_api_calls_total")
    assert grew("sendcloud_runs_finished_total", kind="syncrun", state="succeeded") == 1
    assert grew("sendcloud_run_duration_seconds_count", kind="syncrun") == 1
    assert grew("sendcloud_sync_objects_total", object_type="sender_addresses") >= 1
    assert grew("sendcloud_webhooks_received_total", action="test_webhook", status="200") == 2
    assert total(waiting, "sendcloud_webhook_inbox_backlog") == 2
    assert total(after, "sendcloud_webhook_inbox_backlog") == 0
    assert grew("sendcloud_webhooks_processed_total") == 2
    assert grew("sendcloud_webhook_processing_lag_seconds_count") == 2
    assert ("sendcloud_outbox_backlog", ()) in after
    assert ("sendcloud_labels_created_total", ()) in after


def benchmark(name: str):
    """A script of benchmarks/ imported as a module (its `run` is the benchmark's own code)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_metrics_show_the_figures_the_shipping_day_benchmark_printed(
    client,
    db,
    sandbox_clients,
    sandbox_control,
    capsys,
    monkeypatch,
):
    """The benchmark's real code path (demo, keys, Abgleich, mapping, sendcloud_labels) with a
    few orders against the in-process sandbox; /metrics then shows what it printed."""
    shipping_day = benchmark("shipping_day_benchmark")
    monkeypatch.setattr(account, "sendcloud_client", sandbox_clients)  # the keys' check
    before = scrape(client)

    def control_post(path, body):
        response = sandbox_control.post(f"/_sandbox{path}", json=body)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.get_json()

    out = shipping_day.run(orders=12, control_post=control_post)
    shipping_day.report(out)
    printed = capsys.readouterr().out
    after = scrape(client)

    def grew(name, **labels):
        return total(after, name, **labels) - total(before, name, **labels)

    day, sync = out["day"], out["sync"]
    assert day["labelled"] >= 1 and sync["state"] == "succeeded"
    # Labels created: the figure printed, and the labels the database gauge counts.
    assert f"labels created                  {day['labels']}" in printed
    assert total(after, "sendcloud_labels_created_total") == day["labels"]
    # Sendcloud calls by endpoint and status: every printed line is what /metrics counted.
    assert out["calls"]
    for (endpoint, status), count in out["calls"].items():
        method, path = endpoint.split(" ", 1)
        assert f"{count:>5} × {status} {endpoint}" in printed
        assert grew("sendcloud_api_calls_total", method=method, endpoint=path, status=status) == (
            count
        ), (endpoint, status)
    assert grew("sendcloud_api_calls_total") == sum(out["calls"].values())
    # The Abgleich: one run, its duration, the routes it wrote.
    assert grew("sendcloud_runs_finished_total", kind="syncrun", state="succeeded") == 1
    assert grew("sendcloud_run_duration_seconds_count", kind="syncrun") == 1
    assert grew("sendcloud_run_duration_seconds_sum", kind="syncrun") == pytest.approx(
        sync["run_seconds"], abs=1e-3
    )
    assert f"Abgleich run duration           {sync['run_seconds']:.3f} s" in printed
    assert (
        grew("sendcloud_sync_objects_total", object_type="routes", outcome="created")
        == (sync["routes"]["created"])
    )
    assert grew("sendcloud_runs_finished_total", kind="labeljob") == 1


def test_metrics_refuse_callers_outside_the_allowed_networks_without_the_token(
    client, db, settings
):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.METRICS_TOKEN = "s3cret-token"

    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_metrics_with_networks_none_open_only_to_the_token(client, db, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["none"]
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 403


def test_ids_in_paths_become_one_endpoint_label():
    assert endpoint_of("/api/v2/parcels/123456") == "/api/v2/parcels/{id}"
    assert endpoint_of("/api/v3/shipments/0a1b2c3d-4e5f-6789-abcd-ef0123456789/cancel") == (
        "/api/v3/shipments/{id}/cancel"
    )
    assert endpoint_of("/api/v3/shipping-options") == "/api/v3/shipping-options"


def test_counts_of_another_process_show_in_this_ones_metrics(client, db, settings):
    """Gunicorn workers and Celery processes count in their own files; a scrape sums them."""
    before = total(scrape(client), "sendcloud_webhooks_received_total", action="from_elsewhere")
    code = (
        "import django; django.setup();"
        "from sendcloud.metrics import webhook_received;"
        "[webhook_received('from_elsewhere', 200) for _ in range(3)]"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, check=True,
                   timeout=120)  # fmt: skip

    after = total(scrape(client), "sendcloud_webhooks_received_total", action="from_elsewhere")
    assert after - before == 3
