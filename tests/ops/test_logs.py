import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
import structlog
from django.http import HttpResponse
from django.test import RequestFactory

from config.logging import logging_settings
from config.middleware import HEADER, RequestIdMiddleware


@pytest.fixture
def json_lines(settings):
    """Log lines of the `ops.test` logger rendered as production renders them (LOG_FORMAT=json)."""
    config = logging_settings("json", "INFO", "INFO")
    formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["structured"]
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("ops.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    structlog.contextvars.clear_contextvars()


def test_secrets_in_messages_and_fields_are_masked_in_json_logs(json_lines):
    logging.getLogger("ops.test").warning(
        "connect failed: secret_key=sk_live_123 header Bearer abc.def",
        extra={"public_key": "pk_1", "order": "LA-1"},
    )

    (line,) = json_lines()
    assert "sk_live_123" not in line["event"] and "abc.def" not in line["event"]
    assert line["public_key"] == "***"
    assert line["order"] == "LA-1"
    assert line["level"] == "warning" and line["logger"] == "ops.test"


def test_a_traceback_is_masked_too(json_lines):
    try:
        raise ValueError('Sendcloud said {"secret_key": "sk_live_9"}')
    except ValueError:
        logging.getLogger("ops.test").exception("call failed")

    (line,) = json_lines()
    assert "sk_live_9" not in line["exception"]


def test_every_line_of_a_request_carries_its_request_id(json_lines):
    def view(request):
        logging.getLogger("ops.test").info("inside the view")
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))

    (line,) = json_lines()
    assert line["request_id"] == response[HEADER]
    assert len(response[HEADER]) == 32


def test_a_plain_request_id_of_the_caller_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/health", HTTP_X_REQUEST_ID="pos-4711-abcdef")
    replaced = client.get("/health", HTTP_X_REQUEST_ID="x\nforged log line")

    assert kept[HEADER] == "pos-4711-abcdef"
    assert replaced[HEADER] != "x\nforged log line" and len(replaced[HEADER]) == 32


def test_management_commands_keep_httpx_info_lines_out(settings):
    env = {k: v for k, v in os.environ.items() if k != "LOG_HTTPX_LEVEL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    code = (
        "import logging; h = logging.getLogger('httpx');"
        "h.info('HTTP Request: GET /x'); h.warning('httpx warned')"
    )
    done = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c", code],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip

    assert "httpx warned" in done.stderr
    assert "HTTP Request" not in done.stderr
