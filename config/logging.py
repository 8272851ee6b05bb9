"""Structured logs: structlog renders every record, ours and the stdlib's (Django, Celery, httpx).

`LOG_FORMAT=json` (production): one JSON object a line, for a log shipper. Default `console`:
readable, coloured lines for development. Every line carries what is bound in the context —
the request id (`config.middleware.RequestIdMiddleware`), the Celery task, the integration a run
or webhook batch works for — and passes `redact_secrets`, which masks what the Sendcloud
client's redaction masks (sendcloud/client/redact.py) plus `word=value` pairs in plain text.
"""

from __future__ import annotations

import re

import structlog
from structlog.processors import JSONRenderer

from sendcloud.client.redact import MASK, SENSITIVE_WORDS, is_sensitive, scrub_text

# Keys structlog and the formatter own; their values are never secrets.
_STRUCTURAL = {"event", "level", "timestamp", "logger", "request_id", "integration_id"}
_ASSIGNMENT = re.compile(
    r"(\b[\w.-]*(?:" + "|".join(SENSITIVE_WORDS) + r")[\w.-]*\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|\S+)",
    re.IGNORECASE,
)


def scrub_log_text(text: str) -> str:
    return _ASSIGNMENT.sub(lambda m: f"{m.group(1)}{MASK}", scrub_text(text))


def redact_secrets(logger, method_name, event_dict):
    """Mask values under sensitive keys and secrets written into text."""
    for key, value in list(event_dict.items()):
        if key not in _STRUCTURAL and is_sensitive(key) and value not in (None, ""):
            event_dict[key] = MASK
        elif isinstance(value, str):
            event_dict[key] = scrub_log_text(value)
    return event_dict


SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_settings(log_format: str, level: str, httpx_level: str) -> dict:
    """Django's LOGGING for `log_format` ("json" or "console"); configures structlog too."""
    structlog.configure(
        processors=[
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    if log_format == "json":
        # Tracebacks as text first, so the redaction sees them too.
        tail = [structlog.processors.format_exc_info, redact_secrets, JSONRenderer()]
    else:
        # Plain tracebacks: with rich installed (schemathesis brings it) structlog would render
        # every logged exception with syntax highlighting, ~0.1 s each (403/404 pages log one).
        console = structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
        tail = [redact_secrets, console]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": SHARED_PROCESSORS,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *tail,
                ],
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"httpx": {"level": httpx_level}, "httpcore": {"level": "WARNING"}},
    }
