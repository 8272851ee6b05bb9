"""Streaming list endpoints page by page; callers never see a `next` URL, only an opaque token.

Three styles exist (v2 §3.3, v3 §3.3): v2 bodies with absolute `next` URLs, v3 `Link` headers,
and the v3 returns list with `next` in the body. In every case only the *query* of the next link
is used, re-issued against the configured base URL and path with the original filters underneath:
the host in a link may be another deployment (or `http://` in the returns example).

A page's `next_token` resumes the list later (another process, after a crash); `tolerant` lists
yield a `Malformed` marker for an object that cannot be read instead of failing its page.
"""

from __future__ import annotations

import base64
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

from .errors import InvalidResponse
from .transport import ApiResponse, Transport, clean_params

T = TypeVar("T")
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
READ_ERRORS = (InvalidResponse, ValueError, TypeError, KeyError, AttributeError, ArithmeticError)


@dataclass(frozen=True)
class Malformed:
    """An object Sendcloud sent that could not be read (yielded by tolerant lists)."""

    raw: Any
    error: str

    @property
    def ref(self) -> str:
        if isinstance(self.raw, dict):
            for key in ("id", "code", "return_id"):
                if self.raw.get(key) not in (None, ""):
                    return str(self.raw[key])
        return "?"


def marking(parse: Callable[[Any], T]) -> Callable[[Any], T | Malformed]:
    """`parse`, answering `Malformed` for an object it cannot read instead of raising."""

    def parse_or_mark(item: Any) -> T | Malformed:
        try:
            return parse(item)
        except READ_ERRORS as exc:
            return Malformed(item, str(exc) or type(exc).__name__)

    return parse_or_mark


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list. `next_token` resumes the list after this page (None: last page)."""

    items: tuple[T, ...]
    token: str = ""
    next_token: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def encode_token(path: str, params: Mapping[str, str]) -> str:
    blob = json.dumps({"path": path, "query": dict(params)}, sort_keys=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(blob.encode()).decode().rstrip("=")


def decode_token(token: str, path: str) -> dict[str, str]:
    """The query a resume token stands for; refuses tokens of another list."""
    try:
        padded = token + "=" * (-len(token) % 4)
        blob = json.loads(base64.urlsafe_b64decode(padded.encode()))
        query = blob["query"]
        token_path = blob["path"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("not a resume token of this client") from exc
    if token_path != path or not isinstance(query, dict):
        raise ValueError(f"resume token belongs to {token_path}, not {path}")
    return {str(k): str(v) for k, v in query.items()}


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def link_header_next(response: ApiResponse) -> str | None:
    """The `rel="next"` target of an RFC 8288 Link header, if any."""
    header = response.headers.get("link")
    if not header:
        return None
    for target, attributes in _LINK.findall(header):
        rels = re.findall(r'rel\s*=\s*"?([^";]+)"?', attributes)
        if any("next" in rel.split() for rel in rels):
            return target
    return None


def body_next(response: ApiResponse) -> str | None:
    data = response.data
    value = data.get("next") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def items_at(key: str | None) -> Callable[[ApiResponse], list]:
    """Extractor for the list under `key` (None: the body itself is the list)."""

    def extract(response: ApiResponse) -> list:
        data = response.data if key is None else _member(response, key)
        if not isinstance(data, list):
            raise InvalidResponse(
                f"expected a list{f' under {key!r}' if key else ''}",
                status_code=response.status,
                method="GET",
                path=response.path,
            )
        return data

    return extract


def _member(response: ApiResponse, key: str) -> Any:
    if not isinstance(response.data, dict):
        return None
    value = response.data.get(key)
    return [] if value is None and key in response.data else value


def iter_pages(
    transport: Transport,
    path: str,
    params: Mapping[str, Any] | None,
    *,
    extract: Callable[[ApiResponse], list],
    parse: Callable[[Any], T],
    next_link: Callable[[ApiResponse], str | None],
    resume: str | None = None,
    max_pages: int | None = None,
    tolerant: bool = False,
) -> Iterator[Page[T]]:
    """Yield pages lazily; one request per page, issued when the caller asks for it.

    `resume` is a `next_token` of an earlier walk of this list; `tolerant` parses with
    `marking(parse)`."""
    query = decode_token(resume, path) if resume else clean_params(params)
    if tolerant:
        parse = marking(parse)  # type: ignore[assignment]
    seen = 0
    while True:
        token = encode_token(path, query)
        response = transport.request("GET", path, params=query)
        items = tuple(parse(item) for item in extract(response))
        link = next_link(response)
        next_query = {**query, **query_of(link)} if link else None
        if next_query is not None and next_query == query:
            raise InvalidResponse(
                "pagination did not advance (next link repeats the current page)",
                status_code=response.status,
                method="GET",
                path=response.path,
            )
        seen += 1
        yield Page(items, token, encode_token(path, next_query) if next_query else None)
        if next_query is None or (max_pages is not None and seen >= max_pages):
            return
        query = next_query


def iter_items(pages: Iterator[Page[T]]) -> Iterator[T]:
    for page in pages:
        yield from page.items


def prefetched(pages: Iterator[Page[T]], transport: Transport) -> Iterator[Page[T]]:
    """Fetch and parse the next page in a thread while the caller works on this one.

    Only HTTP and parsing run in the thread; its call records are held and reported in the
    caller's thread with the page they belong to, so listeners may use the caller's database."""
    channel: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(message) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        with transport.holding() as records:
            try:
                for page in pages:
                    if not hand_over(("page", page, records[:])):
                        return
                    records.clear()
                hand_over(("end", None, records[:]))
            except BaseException as exc:  # handed to the caller, who decides
                hand_over(("error", exc, records[:]))

    worker = threading.Thread(target=fetch, name="sendcloud-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value, records = channel.get()
            transport.report(*records)
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join(timeout=30)
