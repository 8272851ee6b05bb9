"""Lists and details are scoped the way the reference says (v3 §2.1, §6.5; v2 §5.6.3, §5.9)."""

import httpx
import pytest

from sandbox.testing import SANDBOX_BASE_URL

RETURNS = "/api/v3/returns?from_date=2000-01-01 00:00:00&to_date=2100-01-01 00:00:00"


@pytest.fixture
def shop_client(sandbox_transport, sandbox_account, state):
    """A client with the keys of the account's second (shop) integration."""
    shop = next(
        i
        for i in state.accounts.integrations(sandbox_account["id"])
        if i["id"] != sandbox_account["integration_id"]
    )
    auth = (shop["public_key"], shop["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL, auth=auth) as c:
        c.integration_id = shop["id"]
        yield c


def _shipment_ids(client):
    return {s["id"] for s in client.get("/api/v3/shipments?page_size=100").json()["data"]}


def test_v3_shipments_list_only_the_calling_integrations(
    sandbox_client, shop_client, sandbox_account, state
):
    own, other = _shipment_ids(sandbox_client), _shipment_ids(shop_client)
    assert own and other and not own & other
    rows = state.store.query(
        "SELECT id FROM shipments WHERE integration_id = ?", (sandbox_account["integration_id"],)
    )
    assert own == {row[0] for row in rows}
    everyone = sandbox_client.get("/api/v3/shipments?page_size=100", params={
        "integration_id": shop_client.integration_id}).json()["data"]  # fmt: skip
    assert everyone == [], "the integration_id filter cannot widen the caller's scope"


def test_v3_shipment_detail_of_another_integration_is_not_found(sandbox_client, shop_client):
    other = next(iter(_shipment_ids(shop_client)))
    assert shop_client.get(f"/api/v3/shipments/{other}").status_code == 200
    missing = sandbox_client.get(f"/api/v3/shipments/{other}")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "not_found"


def test_v2_parcels_and_v3_shipments_show_the_same_parcels(sandbox_client):
    v2 = {p["id"] for p in sandbox_client.get("/api/v2/parcels").json()["parcels"]}
    shipments = sandbox_client.get("/api/v3/shipments?page_size=100").json()["data"]
    v3 = {p["id"] for s in shipments for p in s["parcels"]}
    assert v2 == v3


def test_returns_are_scoped_to_the_integration_of_their_outgoing_parcel(
    sandbox_client, shop_client, sandbox_control, sandbox_account
):
    url = f"/_sandbox/accounts/{sandbox_account['id']}/seed"
    assert sandbox_control.post(url, json={"returns": 40, "seed": 4}).status_code == 200
    own = {r["id"]: r for r in sandbox_client.get("/api/v2/returns").json()["returns"]}
    other = {r["id"]: r for r in shop_client.get("/api/v2/returns").json()["returns"]}
    assert own and other and not set(own) & set(other)
    v3_own = {r["id"] for r in sandbox_client.get(RETURNS).json()["data"]}
    assert v3_own <= set(own) and len(v3_own) == min(40, len(own))  # one v3 page: 40
    foreign = next(iter(other))
    assert sandbox_client.get(f"/api/v2/returns/{foreign}").status_code == 404
    assert sandbox_client.get(f"/api/v3/returns/{foreign}").status_code == 404
    mine = sandbox_client.get("/api/v2/parcels").json()["parcels"]
    for item in own.values():
        parcel = sandbox_client.get(f"/api/v2/parcels/{item['outgoing_parcel']}")
        assert parcel.status_code == 200, "an own return points at an own outgoing parcel"
    assert mine


def test_v2_returns_carry_their_outgoing_parcel_and_its_data(sandbox_client):
    returns = sandbox_client.get("/api/v2/returns").json()["returns"]
    linked = [r for r in returns if r["outgoing_parcel"]]
    assert linked and len(linked) == len(returns)
    item = linked[0]
    parcel = sandbox_client.get(f"/api/v2/parcels/{item['outgoing_parcel']}").json()["parcel"]
    data = item["outgoing_parcel_data"]
    assert data["tracking_number"] == parcel["tracking_number"]
    assert data["tracking_url"] == parcel["tracking_url"]
    assert data["parcel_status"] == parcel["status"]["id"] == 11
    assert data["global_status_slug"] == "delivered"
    assert data["order_number"] == parcel["order_number"] == item["incoming_parcel_data"][
        "order_number"]  # fmt: skip
    assert data["shipping_method"] == parcel["shipping_method"]
    assert data["collo_count"] == parcel["collo_count"]
    assert sandbox_client.get(f"/api/v2/returns/{item['id']}").json() == item


def test_v2_return_portal_url_for_a_branded_parcel_and_404_without_portal(sandbox_client, state):
    brands = {b["id"]: b for b in sandbox_client.get("/api/v2/brands").json()["brands"]}
    shipments = sandbox_client.get("/api/v3/shipments?page_size=100").json()["data"]
    by_portal = {True: [], False: []}
    for s in shipments:
        by_portal[bool(brands[s["brand_id"]]["domain"])].append(s["parcels"][0]["id"])
    portal = sandbox_client.get(f"/api/v2/parcels/{by_portal[True][0]}/return_portal_url")
    assert portal.status_code == 200
    url = portal.json()["url"]
    assert url.startswith("https://muster-mode.shipping-portal.com/returns/initiate/")
    none = sandbox_client.get(f"/api/v2/parcels/{by_portal[False][0]}/return_portal_url")
    assert none.status_code == 404 and none.json() == {"url": None}
    unknown = sandbox_client.get("/api/v2/parcels/1/return_portal_url")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "No Parcel matches the given query."
