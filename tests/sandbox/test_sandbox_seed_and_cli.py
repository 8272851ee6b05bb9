"""Seeding counts and determinism; the CLI's offline commands."""

import json

import pytest

from sandbox import catalogue
from sandbox.app import create_app
from sandbox.cli import main

ANCHOR = 1767225600.0  # 2026-01-01T00:00:00Z


def _counts(control, account_id):
    return control.get(f"/_sandbox/accounts/{account_id}/counts").get_json()


def test_seeding_creates_the_requested_volume(sandbox_control):
    account = sandbox_control.post(
        "/_sandbox/accounts", json={"parcels": 1500, "returns": 120, "invoices": 30, "seed": 5}
    ).get_json()
    assert account["seeded"] == {"parcels": 1500, "returns": 120, "invoices": 30}
    counts = _counts(sandbox_control, account["id"])
    assert counts["parcels"] == 1500 and counts["returns"] == 120 and counts["invoices"] == 30
    assert counts["sender_addresses"] == 5 and counts["brands"] == 2 and counts["integrations"] == 2
    assert counts["shipments"] < 1500  # some multicollo shipments
    more = sandbox_control.post(f"/_sandbox/accounts/{account['id']}/seed", json={"parcels": 10})
    assert more.get_json()["parcels"] == 10
    assert _counts(sandbox_control, account["id"])["parcels"] == 1510


def test_seeded_parcels_cover_statuses_carriers_and_countries(sandbox_control, state):
    account = sandbox_control.post("/_sandbox/accounts", json={"parcels": 3000}).get_json()
    rows = state.store.query(
        "SELECT DISTINCT status_id FROM parcels WHERE account_id = ?", (account["id"],)
    )
    statuses = {r[0] for r in rows}
    assert len(statuses) >= 30 and statuses <= set(catalogue.STATUS_BY_ID)
    shipments = [json.loads(r[0]) for r in state.store.query(
        "SELECT data FROM shipments WHERE account_id = ?", (account["id"],))]  # fmt: skip
    assert {s["carrier"] for s in shipments} == set(catalogue.CARRIERS)
    assert {s["sender"]["country"] for s in shipments} == {"DE", "AT", "NL"}
    assert len({s["person"]["country"] for s in shipments}) >= 10


def _dump(tmp_path, name, seed):
    app = create_app(tmp_path / name, rate_limits=False)
    client = app.test_client()
    body = {"parcels": 200, "returns": 20, "invoices": 4, "seed": seed, "anchor": ANCHOR,
            "email": "same@example.com", "password": "same"}  # fmt: skip
    account = client.post("/_sandbox/accounts", json=body).get_json()
    auth = {"Authorization": "Basic " + __import__("base64").b64encode(
        f"{account['public_key']}:{account['secret_key']}".encode()).decode()}  # fmt: skip
    out = [client.get(url, headers=auth).get_data(as_text=True) for url in (
        "/api/v2/parcels", "/api/v3/shipments?page_size=100", "/api/v2/user/invoices",
        "/api/v3/returns?from_date=2000-01-01&to_date=2100-01-01",
    )]  # fmt: skip
    app.extensions["sandbox"].close()
    return out


def test_same_seed_gives_the_same_data(tmp_path):
    first = _dump(tmp_path, "a.sqlite3", 11)
    assert first == _dump(tmp_path, "b.sqlite3", 11)
    assert first[0] != _dump(tmp_path, "c.sqlite3", 12)[0]


def test_state_persists_across_restarts(tmp_path):
    app = create_app(tmp_path / "s.sqlite3")
    account = app.test_client().post("/_sandbox/accounts", json={"parcels": 5}).get_json()
    app.extensions["sandbox"].clock.advance(3600)
    later = app.extensions["sandbox"].clock.now()
    app.extensions["sandbox"].close()
    again = create_app(tmp_path / "s.sqlite3")
    detail = again.test_client().get(f"/_sandbox/accounts/{account['id']}").get_json()
    assert detail["public_key"] == account["public_key"]
    assert again.extensions["sandbox"].clock.now() >= later
    again.extensions["sandbox"].close()


def test_cli_creates_and_seeds_accounts(tmp_path, capsys):
    storage = str(tmp_path / "cli.sqlite3")
    main(["create-account", "--storage", storage, "--parcels", "30", "--invoices", "2"])
    account = json.loads(capsys.readouterr().out)
    assert account["seeded"]["parcels"] == 30 and len(account["secret_key"]) == 32
    main(["seed", "--storage", storage, "--account", str(account["id"]), "--returns", "7"])
    assert json.loads(capsys.readouterr().out)["returns"] == 7
    with pytest.raises(SystemExit):
        main(["demo-account", "--storage", storage])


def test_demo_account_is_created_once(tmp_path, capsys):
    app = create_app(tmp_path / "demo.sqlite3")
    state = app.extensions["sandbox"]
    first, created = state.ensure_demo_account(parcels=20, returns=2, invoices=2)
    again, created_again = state.ensure_demo_account()
    assert created and not created_again and first["public_key"] == again["public_key"]
    assert app.test_client().get("/_sandbox/demo-account").get_json()["id"] == first["id"]
    state.close()
    main(["demo-account", "--storage", str(tmp_path / "demo.sqlite3")])
    assert json.loads(capsys.readouterr().out)["email"] == "demo@sandbox.test"


def test_clock_can_be_advanced_and_compressed(sandbox_control):
    before = sandbox_control.get("/_sandbox/clock").get_json()
    after = sandbox_control.post("/_sandbox/clock", json={"advance": 86400, "speed": 60}).get_json()
    assert after["epoch"] - before["epoch"] >= 86400 and after["speed"] == 60
    assert sandbox_control.post("/_sandbox/clock", json={"advance": -1}).status_code == 400
