"""The one place that talks HTTP: auth, timeouts, rate limiting, retries, call records, errors."""

from __future__ import annotations

import json as jsonlib
import math
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import (
    ConnectionError,
    InvalidResponse,
    SendcloudError,
    Timeout,
    error_from_response,
)
from .hooks import CallRecord
from .ratelimit import SAFE_METHODS, AccountRateLimiter, SharedRateLimiter
from .redact import binary_body, excerpt, redact, redact_query, scrub_text
from .retry import RetryPolicy

DEFAULT_BASE_URL = "https://panel.sendcloud.sc"
DEFAULT_SERVICE_POINTS_URL = "https://servicepoints.sendcloud.sc/api/v2"
USER_AGENT = f"verwaltung-sendcloud/0.1 (+python-httpx/{httpx.__version__})"
PANEL = "panel"
SERVICE_POINTS = "servicepoints"


@dataclass(frozen=True)
class Timeouts:
    """Seconds per phase. Every phase is bounded: None or non-positive values are refused."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"timeout {name!r} must be a number of seconds, got {value!r}")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"timeout {name!r} must be a positive finite number")

    @classmethod
    def coerce(cls, value: Timeouts | float | httpx.Timeout | Mapping[str, float]) -> Timeouts:
        if isinstance(value, Timeouts):
            return value
        if isinstance(value, httpx.Timeout):
            return cls(value.connect, value.read, value.write, value.pool)  # type: ignore[arg-type]
        if isinstance(value, Mapping):
            return cls(**value)
        if value is None:
            raise ValueError("a timeout is mandatory; pass seconds or Timeouts(...)")
        return cls(value, value, value, value)

    def at_least(self, read: float) -> Timeouts:
        return Timeouts(self.connect, max(self.read, read), self.write, self.pool)

    def as_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


DEFAULT_TIMEOUTS = Timeouts()


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: httpx.Headers
    data: Any
    content: bytes
    path: str


_tls: ssl.SSLContext | None = None
_tls_lock = threading.Lock()


def tls_context() -> ssl.SSLContext:
    """One TLS context for every client of this process, built as httpx builds its own (CA
    bundle, SSL_CERT_FILE/SSL_CERT_DIR). Building one reads the CA bundle, about 40 ms of CPU,
    and a worker builds a client for every sync run and every outbox batch."""
    global _tls
    with _tls_lock:
        if _tls is None:
            _tls = httpx.create_ssl_context()
        return _tls


class Transport:
    """Sync httpx client bound to one key pair. Thread-safe as far as httpx.Client is."""

    def __init__(
        self,
        public_key: str,
        secret_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        service_points_url: str = DEFAULT_SERVICE_POINTS_URL,
        timeout: Timeouts | float | httpx.Timeout = DEFAULT_TIMEOUTS,
        transport: httpx.BaseTransport | None = None,
        on_call: Callable[[CallRecord], None] | None = None,
        rate_limiter: AccountRateLimiter | SharedRateLimiter | None = None,
        retry: RetryPolicy | None = None,
        user_agent: str = USER_AGENT,
        excerpt_limit: int = 2000,
    ) -> None:
        if not public_key or not secret_key:
            raise ValueError("both the public key and the secret key are required")
        self.public_key = public_key
        self._secrets = (secret_key,)
        self.timeouts = Timeouts.coerce(timeout)
        self._bases = {
            PANEL: base_url.rstrip("/"),
            SERVICE_POINTS: service_points_url.rstrip("/"),
        }
        self._listeners: list[Callable[[CallRecord], None]] = [on_call] if on_call else []
        self._held = threading.local()
        self.rate_limiter = rate_limiter
        self.retry = retry or RetryPolicy()
        self.excerpt_limit = excerpt_limit
        self._http = httpx.Client(
            auth=httpx.BasicAuth(public_key, secret_key),
            timeout=self.timeouts.as_httpx(),
            follow_redirects=False,
            verify=tls_context(),
            transport=transport,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
        )

    def __repr__(self) -> str:  # never show the secret
        return f"<Transport {self._bases[PANEL]} key={self.public_key[:8]}…>"

    def close(self) -> None:
        self._http.close()

    def listen(self, listener: Callable[[CallRecord], None]) -> Callable[[], None]:
        """Report every call to `listener` too (after `on_call`); returns what stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def report(self, *records: CallRecord) -> None:
        """Hand records to the listeners, or keep them while this thread `holds` its calls."""
        held = getattr(self._held, "records", None)
        if held is not None:
            held.extend(records)
            return
        for record in records:
            for listener in list(self._listeners):
                listener(record)

    @contextmanager
    def holding(self) -> Iterator[list[CallRecord]]:
        """Keep this thread's call records in the yielded list instead of reporting them, so a
        background thread's calls reach listeners (which may write to a database) in the thread
        that owns them."""
        self._held.records = []
        try:
            yield self._held.records
        finally:
            self._held.records = None

    def url_for(self, path: str, host: str = PANEL) -> str:
        return self._bases[host] + path

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        host: str = PANEL,
        idempotent: bool | None = None,
        accept: Iterable[int] = (),
        expect_json: bool = True,
        timeout: Timeouts | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """Send one logical request (with retries); return the 2xx (or accepted) response."""
        method = method.upper()
        if idempotent is None:
            idempotent = method in SAFE_METHODS
        query = clean_params(params)
        url = self.url_for(path, host)
        record_path = httpx.URL(url).path
        accepted = frozenset(accept)
        attempt = 0
        while True:
            attempt += 1
            waited = 0.0
            if self.rate_limiter is not None:
                waited = self.rate_limiter.acquire(method) or 0.0
            started = time.perf_counter()
            response: httpx.Response | None = None
            error: SendcloudError | None = None
            result: ApiResponse | None = None
            try:
                response = self._http.request(
                    method,
                    url,
                    # None keeps a query written into the path (repeated keys, v3 §7.3).
                    params=query or None,
                    json=json,
                    headers=headers,
                    timeout=(timeout or self.timeouts).as_httpx(),
                )
            except httpx.RequestError as exc:
                error = self._transport_error(exc, method, record_path)
            else:
                result, error = self._evaluate(response, method, record_path, accepted, expect_json)
            finally:
                if self.rate_limiter is not None:
                    self.rate_limiter.answered()  # a shared budget counts it until now
            duration_ms = (time.perf_counter() - started) * 1000
            will_retry = error is not None and self.retry.should_retry(
                error, attempt, idempotent=idempotent
            )
            self.report(
                self._record(
                    method,
                    record_path,
                    query,
                    json,
                    response,
                    duration_ms,
                    attempt,
                    error,
                    will_retry,
                    waited,
                )
            )
            if error is None and result is not None:
                return result
            if not will_retry:
                raise error  # type: ignore[misc]
            self.retry.sleep(self.retry.delay(attempt, error))

    def _evaluate(
        self,
        response: httpx.Response,
        method: str,
        path: str,
        accepted: frozenset[int],
        expect_json: bool,
    ) -> tuple[ApiResponse | None, SendcloudError | None]:
        status = response.status_code
        content = response.content
        if not (200 <= status < 300 or status in accepted):
            error = error_from_response(
                status,
                content,
                headers=response.headers,
                method=method,
                path=path,
                secrets=self._secrets,
            )
            return None, error
        data = None
        if expect_json and content.strip():
            try:
                data = jsonlib.loads(content)
            except ValueError:
                error = InvalidResponse(
                    "response body is not valid JSON",
                    status_code=status,
                    method=method,
                    path=path,
                    body_excerpt=excerpt(
                        content[:400].decode("utf-8", "replace"), 200, self._secrets
                    ),
                )
                return None, error
        return ApiResponse(status, response.headers, data, content, path), None

    def _transport_error(self, exc: httpx.RequestError, method: str, path: str) -> SendcloudError:
        detail = scrub_text(str(exc) or type(exc).__name__, self._secrets)
        if isinstance(exc, httpx.DecodingError):  # e.g. a broken gzip stream on a 2xx
            return InvalidResponse(f"undecodable body: {detail}", method=method, path=path)
        cls = Timeout if isinstance(exc, httpx.TimeoutException) else ConnectionError
        error = cls(f"{type(exc).__name__}: {detail}", method=method, path=path)
        # Nothing left the machine: a connect failure or waiting for a pooled connection.
        error.request_not_sent = isinstance(  # type: ignore[attr-defined]
            exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
        )
        return error

    def _record(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        response: httpx.Response | None,
        duration_ms: float,
        attempt: int,
        error: SendcloudError | None,
        will_retry: bool,
        waited: float = 0.0,
    ) -> CallRecord:
        response_excerpt = None
        if response is not None and response.content:
            response_excerpt = binary_body(
                response.headers.get("content-type", ""), response.content
            )
            if response_excerpt is None:
                head = response.content[: self.excerpt_limit * 3].decode("utf-8", "replace")
                response_excerpt = excerpt(head, self.excerpt_limit, self._secrets)
        return CallRecord(
            method=method,
            path=path,
            query=redact_query(query, self._secrets),
            status=response.status_code if response is not None else None,
            duration_ms=round(duration_ms, 3),
            attempt=attempt,
            request_body=redact(body, self._secrets) if body is not None else None,
            response_excerpt=response_excerpt,
            error=type(error).__name__ if error is not None else None,
            will_retry=will_retry,
            limiter_wait_seconds=round(waited, 3),
        )


def clean_params(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Query values as Sendcloud expects them: no None, lowercase booleans, comma lists."""
    cleaned: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            cleaned[key] = "true" if value else "false"
        elif isinstance(value, list | tuple | set | frozenset):
            cleaned[key] = ",".join(str(v) for v in value)
        else:
            cleaned[key] = str(value)
    return cleaned
