"""Request ids: every request gets one, every log line of it carries it, the answer names it."""

import re
import uuid

import structlog

HEADER = "X-Request-ID"
# A caller's id (a proxy's, a POS's) is kept when it is short and plain; anything else could
# smuggle text into the logs, so it is replaced.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def request_id_of(request) -> str:
    offered = request.headers.get(HEADER, "")
    return offered if _ACCEPTABLE.match(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        response[HEADER] = request.request_id
        return response
