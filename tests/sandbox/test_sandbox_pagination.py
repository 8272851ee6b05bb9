"""v2 cursor pages with absolute next/previous URLs; v3 Link headers, page_size, bad cursors."""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
from sandbox_shapes import sample


@pytest.fixture
def bigger(sandbox_control, sandbox_account):
    """250 more parcels on the fixture account (290 in total)."""
    url = f"/_sandbox/accounts/{sandbox_account['id']}/seed"
    assert sandbox_control.post(url, json={"parcels": 250, "seed": 2}).status_code == 200
    return sandbox_account


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_v2_parcels_walk_forward_and_back_with_absolute_urls(sandbox_client, bigger, state):
    expected = state.store.one(
        "SELECT COUNT(*) FROM parcels WHERE integration_id = ?", (bigger["integration_id"],)
    )[0]
    pages, seen, url = [], [], "/api/v2/parcels"
    while url:
        body = sandbox_client.get(url).json()
        pages.append(body)
        seen += [p["id"] for p in body["parcels"]]
        url = body["next"]
        if url:
            assert url.startswith("http://sandbox.test/api/v2/parcels?cursor=")
            cursor = _query(url)["cursor"]
            assert base64.b64decode(cursor).decode().startswith("p=")
    assert len(seen) == len(set(seen)) == expected
    assert seen == sorted(seen, reverse=True)
    assert [len(p["parcels"]) for p in pages[:-1]] == [100] * (len(pages) - 1)
    assert pages[0]["previous"] is None
    previous = pages[-1]["previous"]
    assert base64.b64decode(_query(previous)["cursor"]).decode().startswith("r=1&p=")
    back = sandbox_client.get(previous).json()
    assert back["parcels"] == pages[-2]["parcels"]


def test_v2_filters_are_carried_into_links(sandbox_client, bigger):
    url = "/api/v2/parcels?updated_after=2000-01-01T00:00:00%2B00:00"
    body = sandbox_client.get(url).json()
    assert _query(body["next"])["updated_after"] == "2000-01-01T00:00:00+00:00"
    future = sandbox_client.get("/api/v2/parcels?updated_after=2100-01-01T00:00:00Z").json()
    assert future == {"next": None, "previous": None, "parcels": []}


def test_v2_parcel_filters(sandbox_client, bigger):
    parcels = sandbox_client.get("/api/v2/parcels").json()["parcels"]
    status = parcels[0]["status"]["id"]
    body = sandbox_client.get(f"/api/v2/parcels?parcel_status={status}").json()
    assert body["parcels"] and {p["status"]["id"] for p in body["parcels"]} == {status}
    ids = ",".join(str(p["id"]) for p in parcels[:3])
    assert len(sandbox_client.get(f"/api/v2/parcels?ids={ids}").json()["parcels"]) == 3
    tracked = next(p for p in parcels if p["tracking_number"])
    found = sandbox_client.get(f"/api/v2/parcels?tracking_number={tracked['tracking_number']}")
    assert [p["id"] for p in found.json()["parcels"]] == [tracked["id"]]
    bad = sandbox_client.get("/api/v2/parcels?updated_after=yesterday")
    assert bad.status_code == 400 and "updated_after" in bad.json()["error"]["message"]


@pytest.mark.parametrize("cursor", ["!!!", "bm9wZQ==", base64.b64encode(b"p=abc").decode()])
def test_bad_cursors_are_404_in_each_shape(sandbox_client, cursor):
    v2 = sandbox_client.get("/api/v2/parcels", params={"cursor": cursor})
    assert v2.status_code == 404
    assert v2.json() == {
        "error": {"code": 404, "request": "api/v2/parcels", "message": "Invalid cursor"}
    }
    v3 = sandbox_client.get("/api/v3/shipments", params={"cursor": cursor})
    assert v3.status_code == 404 and v3.json() == sample("v3_orders_list_404_cursor.json")


def _links(response):
    links = {}
    for part in filter(None, response.headers.get("Link", "").split(", ")):
        url, rel = part.split("; ")
        links[rel.split('"')[1]] = url.strip("<>")
    return links


def test_v3_shipments_walk_with_link_headers(sandbox_client, bigger, state):
    expected = state.store.one(  # the caller's integration only (reference v3 §6.5)
        "SELECT COUNT(*) FROM shipments WHERE account_id = ? AND integration_id = ?",
        (bigger["id"], bigger["integration_id"]),
    )[0]
    url, seen, sizes, first = "/api/v3/shipments?page_size=70", [], [], None
    while url:
        response = sandbox_client.get(url)
        first = first or response
        data = response.json()["data"]
        seen += [s["id"] for s in data]
        sizes.append(len(data))
        links = _links(response)
        url = links.get("next")
        if url:
            assert url.startswith("http://sandbox.test/api/v3/shipments/?")
            assert _query(url)["page_size"] == "70"
    assert len(seen) == len(set(seen)) == expected
    assert sizes[:-1] == [70] * (len(sizes) - 1)
    assert "prev" not in _links(first)
    assert "prev" in _links(response)


@pytest.mark.parametrize(("asked", "got"), [("0", 1), ("1", 1), ("500", 100), ("", 40)])
def test_v3_page_size_is_clamped_to_the_endpoint_bounds(sandbox_client, bigger, asked, got):
    body = sandbox_client.get(f"/api/v3/shipments?page_size={asked}").json()
    assert len(body["data"]) == got


def test_v3_shipment_filters(sandbox_client, bigger):
    data = sandbox_client.get("/api/v3/shipments?page_size=100").json()["data"]
    parcel = next(p for s in data for p in s["parcels"] if p["tracking_number"])
    by_tracking = sandbox_client.get(
        f"/api/v3/shipments?tracking_number={parcel['tracking_number']}"
    )
    assert [p["id"] for s in by_tracking.json()["data"] for p in s["parcels"]][:1] == [parcel["id"]]
    by_code = sandbox_client.get(f"/api/v3/shipments?parcel_status={parcel['status']['code']}")
    assert all(
        any(p["status"]["code"] == parcel["status"]["code"] for p in s["parcels"])
        for s in by_code.json()["data"]
    )
    by_ids = sandbox_client.get(f"/api/v3/shipments?ids={parcel['id']}").json()["data"]
    assert len(by_ids) == 1
    bad = sandbox_client.get("/api/v3/shipments?announced_after=soon")
    assert bad.status_code == 400
    assert (
        bad.json()["errors"][0]["detail"] == "Validation failed, announced_after is not a datetime"
    )


def test_v3_updated_after_sees_a_status_change(sandbox_client, sandbox_control, bigger, state):
    state.clock.advance(3600)
    since = state.clock.now_dt().isoformat()
    parcel_id = sandbox_client.get("/api/v2/parcels").json()["parcels"][5]["id"]
    state.clock.advance(10)
    sandbox_control.post(f"/_sandbox/parcels/{parcel_id}/status", json={"status": "DELIVERED"})
    body = sandbox_client.get("/api/v3/shipments", params={"updated_after": since}).json()
    assert [p["id"] for s in body["data"] for p in s["parcels"] if p["id"] == parcel_id]
    assert all(p["status"]["code"] == "DELIVERED" for s in body["data"] for p in s["parcels"]
               if p["id"] == parcel_id)  # fmt: skip


def test_v3_returns_page_in_the_body(sandbox_client, sandbox_control, sandbox_account, state):
    url = f"/_sandbox/accounts/{sandbox_account['id']}/seed"
    sandbox_control.post(url, json={"returns": 60, "seed": 3})
    url = "/api/v3/returns?from_date=2000-01-01 00:00:00&to_date=2100-01-01 00:00:00"
    seen, pages = [], 0
    while url:
        body = sandbox_client.get(url).json()
        assert len(body["data"]) <= 40
        seen += [r["id"] for r in body["data"]]
        url, pages = body["next"], pages + 1
    visible = state.store.one(  # the caller's integration's returns and those without one
        "SELECT COUNT(*) FROM returns WHERE account_id = ?"
        " AND COALESCE(json_extract(data, '$.integration_id'), ?) = ?",
        (
            sandbox_account["id"],
            sandbox_account["integration_id"],
            sandbox_account["integration_id"],
        ),
    )[0]
    assert 40 < visible < 68
    assert len(seen) == len(set(seen)) == visible and pages == 2
    missing = sandbox_client.get("/api/v3/returns")
    assert missing.status_code == 400
    assert missing.json() == {
        "errors": [{"field": "from_date", "message": "This field is required.", "code": "required"}]
    }


def test_v3_sender_addresses_page_with_links(sandbox_client):
    first = sandbox_client.get("/api/v3/addresses/sender-addresses?page_size=2")
    assert len(first.json()["data"]) == 2
    seen = [a["id"] for a in first.json()["data"]]
    url = _links(first)["next"]
    while url:
        response = sandbox_client.get(url)
        seen += [a["id"] for a in response.json()["data"]]
        url = _links(response).get("next")
    assert seen == sorted(seen) and len(seen) == 5


def test_v2_shipping_methods_page_only_with_limit(sandbox_client):
    everything = sandbox_client.get("/api/v2/shipping_methods").json()["shipping_methods"]
    url, seen = "/api/v2/shipping_methods?limit=5", []
    while url:
        body = sandbox_client.get(url).json()
        seen += [m["id"] for m in body["shipping_methods"]]
        url = body["next"]
    assert seen == [m["id"] for m in everything]
