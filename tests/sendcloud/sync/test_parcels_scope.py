"""The Abgleich mirrors only the linked integration's parcels, never another integration's."""

import httpx
import pytest

from sendcloud.models import ObjectType, Parcel, SyncRun


class Recording(httpx.BaseTransport):
    """The sandbox transport, remembering every request URL."""

    def __init__(self, inner):
        self.inner = inner
        self.urls = []

    def handle_request(self, request):
        self.urls.append(request.url)
        return self.inner.handle_request(request)


@pytest.fixture
def state(sandbox_app):
    return sandbox_app.extensions["sandbox"]


@pytest.fixture
def recording(sandbox_transport):
    return Recording(sandbox_transport)


def test_parcel_sync_asks_for_the_integrations_own_shipments_only(
    sandbox_integration, sync, make_client, recording, state
):
    run = sync(
        sandbox_integration,
        [ObjectType.PARCELS],
        full=True,
        client=make_client(sandbox_integration, transport=recording),
    )

    assert run.state == SyncRun.State.SUCCEEDED, run.error
    walks = [u for u in recording.urls if u.path == "/api/v3/shipments"]
    assert walks
    assert {u.params.get("integration_id") for u in walks} == {
        str(sandbox_integration.sendcloud_id)
    }
    own = state.store.query(
        "SELECT id FROM parcels WHERE integration_id = ?", (sandbox_integration.sendcloud_id,)
    )
    mirrored = set(
        Parcel.objects.filter(integration=sandbox_integration).values_list(
            "sendcloud_id", flat=True
        )
    )
    assert mirrored == {row[0] for row in own}
    others = state.store.query(
        "SELECT COUNT(*) FROM parcels WHERE integration_id != ?",
        (sandbox_integration.sendcloud_id,),
    )[0][0]
    assert others, "the seeded account has parcels of a second integration"
