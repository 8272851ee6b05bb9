"""Helpers for client tests: recorded payloads, a routing httpx.MockTransport, fake sleep."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from sendcloud.client import SendcloudClient

PAYLOADS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "sendcloud-payloads"
)
PUBLIC_KEY = "11111111-2222-3333-4444-555555555555"
SECRET_KEY = "0123456789abcdef0123456789abcdef"
BASE = "https://panel.test"


def payload_bytes(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def payload(name: str) -> Any:
    return json.loads(payload_bytes(name))


Handler = Callable[[httpx.Request], httpx.Response]


class Router:
    """Answers by (method, path); each route may be a list of responses served in order."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Handler]] = {}
        self.requests: list[httpx.Request] = []

    def add(self, method: str, path: str, *responses: httpx.Response | Handler) -> Router:
        handlers = [r if callable(r) else (lambda _req, r=r: r) for r in responses]
        self.routes.setdefault((method.upper(), path), []).extend(handlers)
        return self

    def json(self, method: str, path: str, body: Any, status: int = 200, **headers: str) -> Router:
        return self.add(method, path, httpx.Response(status, json=body, headers=headers))

    def file(self, method: str, path: str, name: str, status: int = 200, **headers: str) -> Router:
        headers.setdefault("content-type", "application/json")
        return self.add(
            method, path, httpx.Response(status, content=payload_bytes(name), headers=headers)
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        handlers = self.routes.get(key)
        if not handlers:
            return httpx.Response(599, text=f"no route for {key}")
        handler = handlers.pop(0) if len(handlers) > 1 else handlers[0]
        return handler(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class Sleeps(list):
    """An injectable sleep that records instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(router: Router, **kwargs: Any) -> SendcloudClient:
    kwargs.setdefault("rate_limit", False)
    kwargs.setdefault("sleep", Sleeps())
    return SendcloudClient(
        PUBLIC_KEY, SECRET_KEY, base_url=BASE, transport=router.transport(), **kwargs
    )
