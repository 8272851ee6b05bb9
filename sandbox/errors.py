"""JSON responses and the error shapes of each API generation (reference §3.1 v2, §3.2 v3)."""

import json

from flask import Response, request


def json_response(obj, status=200, headers=None) -> Response:
    # The panel (Django REST framework) answers compact JSON.
    body = json.dumps(obj, separators=(",", ":"))
    return Response(body, status=status, headers=headers, mimetype="application/json")


def raw_json_response(text: str, status=200, headers=None) -> Response:
    return Response(text, status=status, headers=headers, mimetype="application/json")


def v2_error(status: int, message: str, headers=None) -> Response:
    path = request.path.strip("/")
    return json_response(
        {"error": {"code": status, "request": path, "message": message}}, status, headers
    )


def v3_error(status: int, detail: str, code: str, *, title=None, source=None, headers=None,
             int_status=False) -> Response:  # fmt: skip
    error = {"status": status if int_status else str(status), "code": code}
    if title:
        error["title"] = title
    error["detail"] = detail
    if source:
        error["source"] = source
    return json_response({"errors": [error]}, status, headers)


def generation() -> str | None:
    path = request.path
    if path.startswith("/api/v2/") or path == "/api/v2":
        return "v2"
    if path.startswith("/api/v3/") or path == "/api/v3":
        return "v3"
    return None


def error_for_path(status: int, message: str, code: str = "not_found") -> Response:
    """An error in the shape of the generation the request addressed."""
    gen = generation()
    if gen == "v2":
        return v2_error(status, message)
    if gen == "v3":
        return v3_error(status, message, code)
    return json_response({"error": message}, status)


def empty(status: int) -> Response:
    return Response(b"", status=status)
