"""Streaming list endpoints page by page; callers never see a `next` URL or a cursor.

Three styles exist (v2 §3.3, v3 §3.3): v2 bodies with absolute `next` URLs, v3 `Link` headers,
and the v3 returns list with `next` in the body. In every case only the *query* of the next link
is used, re-issued against the configured base URL and path with the original filters underneath:
the host in a link may be another deployment (or `http://` in the returns example).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

from .errors import InvalidResponse
from .transport import ApiResponse, Transport, clean_params

T = TypeVar("T")
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list. `next_token` resumes the list after this page (None: last page)."""

    items: tuple[T, ...]
    token: str
    next_token: str | None

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
) -> Iterator[Page[T]]:
    """Yield pages lazily; one request per page, issued when the caller asks for it."""
    query = decode_token(resume, path) if resume else clean_params(params)
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
