"""The Setup flow's connect page: login, integration, signed credentials, redirect back."""

import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest
from sandbox_receiver import Receiver

from sandbox.webhooks import sign


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _url(receiver, **extra):
    query = {
        "url_webshop": "https://backoffice.example.com/sendcloud/",
        "webhook_url": receiver.url + "/webhook/abc",
        "shop_name": "Filiale Mitte",
        **extra,
    }
    return "/shops/backoffice/connect/?" + urlencode(query)


def test_page_speaks_german_or_english(sandbox_control, receiver):
    german = sandbox_control.get(_url(receiver), headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert german.status_code == 200 and "Verbinden" in german.get_data(as_text=True)
    english = sandbox_control.get(_url(receiver, lang="en"), headers={"Accept-Language": "de"})
    html = english.get_data(as_text=True)
    assert "Connect" in html and 'name="password"' in html and "Filiale Mitte" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html


def test_incomplete_link_is_refused(sandbox_control):
    response = sandbox_control.get("/shops/backoffice/connect/?shop_name=x")
    assert response.status_code == 400


def test_wrong_login_shows_the_form_again(sandbox_control, sandbox_account, receiver):
    response = sandbox_control.post(
        _url(receiver), data={"email": sandbox_account["email"], "password": "wrong", "lang": "de"}
    )
    assert response.status_code == 401
    assert "falsch" in response.get_data(as_text=True)
    assert receiver.requests == []


def test_connect_creates_an_integration_and_posts_signed_credentials(
    sandbox_control, sandbox_client, sandbox_account, receiver, state
):
    form = {"email": sandbox_account["email"], "password": sandbox_account["password"]}
    response = sandbox_control.post(_url(receiver), data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == "https://backoffice.example.com/sendcloud/"
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["path"] == "/webhook/abc"
    payload = json.loads(request["body"])
    assert payload["action"] == "integration_credentials"
    assert set(payload) == {"action", "public_key", "secret_key", "integration_id"}
    assert (
        request["headers"]["Sendcloud-Signature"]
        == hmac.new(payload["secret_key"].encode(), request["body"], hashlib.sha256).hexdigest()
    )
    assert request["body"] == json.dumps(payload).encode()
    auth = (payload["public_key"], payload["secret_key"])
    meta = sandbox_client.get("/api/v3/user/auth/metadata", auth=auth).json()["data"]
    assert meta == {"user_id": sandbox_account["id"], "integration_id": payload["integration_id"]}
    integration = sandbox_client.get(
        f"/api/v3/integrations/{payload['integration_id']}", auth=auth
    ).json()["data"]
    assert integration["type"] == "backoffice" and integration["shop_name"] == "Filiale Mitte"
    assert integration["webhook_active"] is True
    state.outbox.run_due()
    connected = json.loads(receiver.requests[1]["body"])
    assert connected["action"] == "integration_connected"
    assert receiver.requests[1]["headers"]["Sendcloud-Signature"] == sign(
        receiver.requests[1]["body"], payload["secret_key"]
    )


def test_unreachable_shop_gets_a_page_and_retries(
    sandbox_control, sandbox_account, receiver, state
):
    receiver.status = 500
    form = {"email": sandbox_account["email"], "password": sandbox_account["password"]}
    response = sandbox_control.post(_url(receiver, lang="en"), data=form)
    assert response.status_code == 502
    assert "not reachable" in response.get_data(as_text=True)
    pending = state.outbox.deliveries(status="pending")
    assert [d["action"] for d in pending] == ["integration_credentials"]
