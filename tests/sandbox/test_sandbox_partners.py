"""Sendcloud-Partner-Id (v2 §2.3, §5.6.1; v3 §2.4, §6.4) and the v2 parcel cutoff for accounts
registered on or after 2026-04-13 (v2 §1, v3 §18)."""

import json

import httpx
import pytest
from sandbox_labels import announce_body

from sandbox import partners
from sandbox.app import create_app
from sandbox.cli import main
from sandbox.testing import SANDBOX_BASE_URL

KNOWN = partners.DEFAULT_PARTNER_IDS[0]
UNKNOWN = "0b7a1d7e-5a0c-4b55-9e1d-000000000000"
PARCEL = {"name": "Erika Muster", "address": "Hauptstraße 5", "city": "München",
          "postal_code": "80331", "country": "DE", "request_label": True,
          "shipment": {"id": 101}, "weight": "1.000"}  # fmt: skip
CLOSED = {"error": {"code": 403, "request": "api/v2/parcels", "message": partners.V2_CLOSED}}


def _client(transport, account):
    auth = (account["public_key"], account["secret_key"])
    return httpx.Client(transport=transport, base_url=SANDBOX_BASE_URL, auth=auth)


def _create(client, partner=None):
    headers = {partners.HEADER: partner} if partner is not None else {}
    return client.post("/api/v2/parcels", json={"parcel": PARCEL}, headers=headers)


def _count(client):
    return len(client.get("/api/v2/parcels").json()["parcels"])


def test_v2_partner_id_malformed_is_400_unknown_404_known_passes(sandbox_client):
    before = _count(sandbox_client)
    malformed = _create(sandbox_client, "not-a-uuid")
    assert malformed.status_code == 400
    assert malformed.json() == {"error": {"code": 400, "request": "api/v2/parcels",
                                          "message": "party is not a valid choice"}}  # fmt: skip
    unknown = _create(sandbox_client, UNKNOWN)
    assert unknown.status_code == 404
    message = "No Partner matches the given query."
    assert unknown.json() == {
        "error": {"code": 404, "request": "api/v2/parcels", "message": message}
    }
    assert _count(sandbox_client) == before
    assert _create(sandbox_client, KNOWN.upper()).status_code == 200
    assert sandbox_client.get("/api/v2/parcels", headers={partners.HEADER: "x"}).is_success


@pytest.mark.parametrize("path,body", [
    ("/api/v3/shipments/announce", announce_body()),
    ("/api/v3/shipments", announce_body()),
    ("/api/v3/orders", []),
])  # fmt: skip
def test_v3_create_calls_validate_the_partner_id(sandbox_client, path, body):
    malformed = sandbox_client.post(path, json=body, headers={partners.HEADER: "12345"})
    assert malformed.status_code == 400
    assert malformed.json() == {"errors": [{
        "status": "400", "code": "invalid", "detail": "The partner ID is not a valid UUID.",
        "source": {"header": "Sendcloud-Partner-Id"}}]}  # fmt: skip
    unknown = sandbox_client.post(path, json=body, headers={partners.HEADER: UNKNOWN})
    assert unknown.status_code == 404
    # v3 §6.4, the shipments bundle's example (key order aside)
    assert unknown.json() == {"errors": [{"title": "Not found", "status": "404",
                                          "detail": "The partner ID was not found.",
                                          "code": "not_found"}]}  # fmt: skip
    known = sandbox_client.post(path, json=body, headers={partners.HEADER: KNOWN})
    assert known.status_code not in (404,) and "partner" not in known.text.lower()


def test_v2_parcels_are_closed_to_accounts_registered_after_the_cutoff(
    sandbox_control, sandbox_transport
):
    late = sandbox_control.post("/_sandbox/accounts", json={"after_cutoff": True}).get_json()
    assert late["registered"] >= "2026-04-13"
    with _client(sandbox_transport, late) as client:
        closed = _create(client)
        assert closed.status_code == 403 and closed.json() == CLOSED
        assert _count(client) == 0
        assert client.get("/api/v2/user").json()["user"]["registered"] >= "2026-04-13"
        assert client.get("/api/v2/shipping_methods").is_success  # the rest of v2 stays open
        assert _create(client, KNOWN).status_code == 200  # partners keep v2
        v3 = client.post("/api/v3/shipments/announce", json=announce_body())
        assert v3.status_code == 201


def test_the_cutoff_day_itself_is_closed_the_day_before_open(sandbox_control, sandbox_transport):
    for registered, status in (("2026-04-12T23:59:59Z", 200), ("2026-04-13", 403)):
        account = sandbox_control.post(
            "/_sandbox/accounts", json={"registered": registered}
        ).get_json()
        with _client(sandbox_transport, account) as client:
            assert _create(client).status_code == status, registered


def test_an_existing_account_can_be_moved_after_the_cutoff(
    sandbox_control, sandbox_account, sandbox_client
):
    url = f"/_sandbox/accounts/{sandbox_account['id']}"
    assert sandbox_control.get(url).get_json()["v2_parcels_open"] is True
    assert sandbox_account["registered"] == "2025-03-03T09:41:27Z"
    moved = sandbox_control.patch(url, json={"registered": "2026-05-04 10:00:00"}).get_json()
    assert moved["v2_parcels_open"] is False and moved["registered"] == "2026-05-04T10:00:00Z"
    assert _create(sandbox_client).json() == CLOSED
    assert sandbox_control.patch(url, json={"registered": "soon"}).status_code == 400


def test_known_partner_ids_come_from_the_environment_or_the_control_api(
    tmp_path, monkeypatch, sandbox_control
):
    listed = sandbox_control.get("/_sandbox/partners").get_json()
    assert listed["partner_ids"] == list(partners.DEFAULT_PARTNER_IDS)
    mine = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    assert sandbox_control.post("/_sandbox/partners", json={"partner_ids": [mine.upper()]}
                                ).get_json()["partner_ids"] == [mine]  # fmt: skip
    bad = sandbox_control.post("/_sandbox/partners", json={"partner_ids": ["nope"]})
    assert bad.status_code == 400
    monkeypatch.setenv("SANDBOX_PARTNER_IDS", f"{mine}, {UNKNOWN}")
    app = create_app(tmp_path / "p.sqlite3", rate_limits=False)
    assert app.extensions["sandbox"].partner_ids == [mine, UNKNOWN]
    app.extensions["sandbox"].close()


def test_cli_creates_an_account_after_the_cutoff(tmp_path, capsys):
    storage = str(tmp_path / "cli.sqlite3")
    main(["create-account", "--storage", storage, "--after-cutoff"])
    assert json.loads(capsys.readouterr().out)["registered"] >= "2026-04-13"
    main(["create-account", "--storage", storage, "--registered", "2024-01-02"])
    assert json.loads(capsys.readouterr().out)["registered"] == "2024-01-02T00:00:00Z"
    with pytest.raises(SystemExit):
        main(["create-account", "--storage", storage, "--registered", "gestern"])
