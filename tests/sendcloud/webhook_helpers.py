import hashlib
import hmac
import json

from django.urls import reverse


def sendcloud_body(payload: dict) -> bytes:
    """Bytes as Sendcloud sends them: Python json.dumps default spacing, ASCII escapes."""
    return json.dumps(payload).encode()


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(
    client, integration, payload=None, *, body=None, secret=None, signature=None, token=None
):
    body = sendcloud_body(payload) if body is None else body
    headers = {}
    if signature is None and secret is not None:
        signature = sign(body, secret)
    if signature:
        headers["HTTP_SENDCLOUD_SIGNATURE"] = signature
    url = reverse("sendcloud:webhook", args=[token or integration.webhook_token])
    return client.post(url, data=body, content_type="application/json", **headers)


def status_event(parcel_id: int, status_id: int, message: str, timestamp_ms: int) -> dict:
    return {
        "action": "parcel_status_changed",
        "timestamp": timestamp_ms,
        "carrier_status_change_timestamp": None,
        "parcel": {
            "id": parcel_id,
            "tracking_number": f"3SYZXG{parcel_id}",
            "tracking_url": f"https://tracking.example/{parcel_id}",
            "status": {"id": status_id, "message": message},
            "carrier": {"code": "dhl", "name": "DHL"},
            "order_number": "AU-1",
            "name": "Erika Mustermann",
            "city": "München",
            "country": {"iso_2": "DE", "iso_3": "DEU", "name": "Deutschland"},
            "weight": "1.250",
        },
    }
