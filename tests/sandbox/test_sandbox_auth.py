"""HTTP Basic with the integration's keys; wrong keys get 401 in the generation's shape."""

import httpx
import pytest
from sandbox_shapes import sample

from sandbox.testing import SANDBOX_BASE_URL


@pytest.fixture
def anonymous(sandbox_transport):
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL) as client:
        yield client


@pytest.mark.parametrize("auth", [None, ("nobody", "nothing")])
def test_v2_wrong_credentials_get_the_recorded_401(anonymous, sandbox_account, auth):
    response = anonymous.get("/api/v2/parcels/statuses", auth=auth)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == sample("error_401_invalid_credentials.json")


def test_wrong_secret_for_a_known_public_key_is_refused(anonymous, sandbox_account):
    auth = (sandbox_account["public_key"], "0" * 32)
    assert anonymous.get("/api/v2/user", auth=auth).status_code == 401


def test_v3_wrong_credentials_get_the_v3_401(anonymous):
    response = anonymous.get("/api/v3/user/auth/metadata", auth=("a", "b"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == sample("v3_error_401.json")


def test_keys_of_a_second_integration_work_and_scope_v2_parcels(
    anonymous, sandbox_control, sandbox_account
):
    detail = sandbox_control.get(f"/_sandbox/accounts/{sandbox_account['id']}").get_json()
    other = detail["integrations"][1]
    auth = (other["public_key"], other["secret_key"])
    meta = anonymous.get("/api/v3/user/auth/metadata", auth=auth).json()["data"]
    assert meta == {"user_id": sandbox_account["id"], "integration_id": other["id"]}
    mine = anonymous.get("/api/v2/parcels", auth=auth).json()["parcels"]
    own = anonymous.get(
        "/api/v2/parcels", auth=(sandbox_account["public_key"], sandbox_account["secret_key"])
    ).json()["parcels"]
    assert not {p["id"] for p in mine} & {p["id"] for p in own}


def test_deleted_integration_keys_stop_working(sandbox_client, sandbox_account):
    url = f"/api/v3/integrations/{sandbox_account['integration_id']}"
    assert sandbox_client.delete(url).status_code == 204
    assert sandbox_client.get("/api/v3/user/auth/metadata").status_code == 401


def test_accounts_do_not_see_each_other(sandbox_client, sandbox_control):
    other = sandbox_control.post("/_sandbox/accounts", json={"parcels": 3}).get_json()
    foreign = sandbox_client.get(f"/api/v3/integrations/{other['integration_id']}")
    assert foreign.status_code == 404
