"""Fault injection as WSGI middleware in front of the API routes.

Kinds: ``server_error`` (5xx, non-JSON body), ``rate_limit`` (bare 429), ``slow`` (sleep
``delay`` then answer), ``timeout`` (sleep ``delay`` – meant to exceed the client's timeout – then
answer), ``connection_reset`` (close the socket with RST, no response), ``truncated`` (announce the
full Content-Length, send half, close), ``malformed_json`` (200 with half of the JSON body).

Three kinds let the request run to the end first, so whatever it creates exists, and only then
lose the answer: ``timeout_after_commit`` (sleep ``delay`` past the client's timeout, then
answer), ``reset_after_commit`` (close the socket with RST instead of answering) and
``server_error_after_commit`` (answer 5xx instead of the real response) — the "created, but the
client saw a timeout / error" case a label client must survive without a second label.

Over real HTTP (waitress) every kind happens on the wire. In process (``httpx.WSGITransport``)
there is no socket and no client timeout, so ``timeout``, ``connection_reset`` and ``truncated``
raise the exception httpx raises for them over HTTP (``httpx.ReadTimeout``,
``httpx.RemoteProtocolError``) at once, without sleeping.

A rule fires at a ``rate`` (0–1, drawn from a ``random.Random(seed)``, so a seeded run repeats)
or for the next ``count`` matching requests; ``methods`` and ``path`` (prefix) narrow it.
"""

import random
import socket
import struct
import threading
import time

KINDS = {
    "server_error", "rate_limit", "slow", "timeout", "connection_reset", "truncated",
    "malformed_json", "timeout_after_commit", "reset_after_commit", "server_error_after_commit",
}  # fmt: skip
AFTER_COMMIT = {"timeout_after_commit", "reset_after_commit", "server_error_after_commit"}
DEFAULT_DELAY = {"slow": 2.0, "timeout": 35.0, "timeout_after_commit": 35.0}


class FaultRule:
    def __init__(self, kind, rate=None, count=None, delay=None, status=500, methods=None,
                 path="/api/"):  # fmt: skip
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(KINDS)}")
        if (rate is None) == (count is None):
            raise ValueError("give exactly one of rate or count")
        if rate is not None and not 0 <= float(rate) <= 1:
            raise ValueError("rate must be between 0 and 1")
        self.kind = kind
        self.rate = None if rate is None else float(rate)
        self.count = None if count is None else int(count)
        self.delay = float(delay if delay is not None else DEFAULT_DELAY.get(kind, 0.0))
        self.status = int(status)
        self.methods = {m.upper() for m in methods} if methods else None
        self.path = path or "/api/"
        self.fired = 0

    def matches(self, method, path) -> bool:
        if self.methods and method not in self.methods:
            return False
        return path.startswith(self.path)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "rate": self.rate, "count": self.count, "delay": self.delay,
            "status": self.status, "methods": sorted(self.methods) if self.methods else None,
            "path": self.path, "fired": self.fired,
        }  # fmt: skip


class Faults:
    def __init__(self):
        self.rules = []
        self.seed = None
        self._rng = random.Random()
        self._lock = threading.Lock()

    def configure(self, rules, seed=None):
        built = [FaultRule(**r) for r in rules]
        with self._lock:
            self.rules = built
            self.seed = seed
            self._rng = random.Random(seed)

    def add(self, rule: dict, seed=None):
        built = FaultRule(**rule)
        with self._lock:
            if seed is not None:
                self.seed = seed
                self._rng = random.Random(seed)
            self.rules.append(built)

    def clear(self):
        with self._lock:
            self.rules = []

    def pick(self, method, path):
        with self._lock:
            for rule in self.rules:
                if not rule.matches(method, path):
                    continue
                if rule.count is not None:
                    if rule.count <= 0:
                        continue
                    rule.count -= 1
                elif self._rng.random() >= rule.rate:
                    continue
                rule.fired += 1
                return rule
            self.rules = [r for r in self.rules if r.count is None or r.count > 0]
        return None

    def state(self) -> dict:
        with self._lock:
            return {"seed": self.seed, "faults": [r.as_dict() for r in self.rules]}


def _reset_socket(environ) -> bool:
    """Abort the waitress connection with an RST; False when not served by waitress."""
    probe = environ.get("waitress.client_disconnected")
    channel = getattr(probe, "__self__", None)
    sock = getattr(channel, "socket", None)
    if sock is None:
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    return True


class ConnectionAborted(Exception):
    """Raised inside waitress after the socket was reset, to end the task."""


def _in_process_error(kind):
    import httpx  # only the in-process path needs it

    if kind in ("timeout", "timeout_after_commit"):
        return httpx.ReadTimeout("timed out (sandbox fault)")
    if kind == "connection_reset":
        return httpx.RemoteProtocolError("Server disconnected without sending a response.")
    return httpx.RemoteProtocolError(
        "peer closed connection without sending complete message body (sandbox fault)"
    )


class FaultMiddleware:
    def __init__(self, app, faults: Faults, sleep=time.sleep):
        self.app = app
        self.faults = faults
        self.sleep = sleep

    def __call__(self, environ, start_response):
        rule = None
        if self.faults.rules:
            rule = self.faults.pick(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""))
        if rule is None:
            return self.app(environ, start_response)
        over_http = "waitress.client_disconnected" in environ
        kind = rule.kind
        if kind in AFTER_COMMIT:
            return self._after_commit(environ, start_response, rule, over_http)
        if kind == "server_error":
            body = b"<h1>Server Error (%d)</h1>" % rule.status
            start_response(
                f"{rule.status} Server Error",
                [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if kind == "rate_limit":
            start_response("429 Too Many Requests", [("Content-Length", "0")])
            return [b""]
        if kind in ("timeout", "connection_reset", "truncated") and not over_http:
            raise _in_process_error(kind)
        if kind in ("slow", "timeout"):
            self.sleep(rule.delay)
            return self.app(environ, start_response)
        if kind == "connection_reset":
            _reset_socket(environ)
            raise ConnectionAborted("sandbox fault: connection reset")
        return self._mangle(environ, start_response, kind)

    def _after_commit(self, environ, start_response, rule, over_http):
        """Run the request completely, then lose its answer."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        if rule.kind == "server_error_after_commit":
            page = b"<h1>Server Error (%d)</h1>" % rule.status
            start_response(
                f"{rule.status} Server Error",
                [("Content-Type", "text/html"), ("Content-Length", str(len(page)))],
            )
            return [page]
        if not over_http:
            raise _in_process_error(rule.kind)
        if rule.kind == "reset_after_commit":
            _reset_socket(environ)
            raise ConnectionAborted("sandbox fault: connection reset after commit")
        self.sleep(rule.delay)  # the client has given up by now
        start_response(captured["status"], captured["headers"])
        return [body]

    def _mangle(self, environ, start_response, kind):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        half = body[: max(1, len(body) // 2)]
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        if kind == "truncated":
            headers.append(("Content-Length", str(len(body))))
            start_response(captured["status"], headers)
            return [half]  # waitress sees too few bytes and closes the connection
        headers.append(("Content-Length", str(len(half))))
        start_response("200 OK", headers)
        return [half]
