"""HTTP client for the Sendcloud API (v2 and v3). Imports nothing from Django."""

from ._values import as_decimal, as_int, parse_epoch_ms
from .client import SendcloudClient
from .errors import (
    AnnouncementFailed,
    AuthenticationError,
    Conflict,
    ConnectionError,
    FieldError,
    Gone,
    InvalidResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    SendcloudError,
    ServerError,
    ShipmentExists,
    StillProcessing,
    Timeout,
    UnexpectedStatus,
    ValidationError,
    error_from_response,
)
from .hooks import CallRecord
from .pagination import Malformed, Page
from .ratelimit import AccountRateLimiter, RateLimits, SharedRateLimiter, shared_limiter
from .retry import RetryPolicy
from .transport import DEFAULT_BASE_URL, DEFAULT_SERVICE_POINTS_URL, Timeouts
from .types.shipments import (
    CancelOutcome,
    CustomsRequest,
    ItemRequest,
    ParcelRequest,
    ShipmentRequest,
)
from .v3_returns import ReferenceUsed
from .webhooks import verify_signature

__all__ = [
    "AnnouncementFailed",
    "CancelOutcome",
    "CustomsRequest",
    "ItemRequest",
    "ParcelRequest",
    "ShipmentExists",
    "ShipmentRequest",
    "DEFAULT_BASE_URL",
    "DEFAULT_SERVICE_POINTS_URL",
    "AccountRateLimiter",
    "AuthenticationError",
    "CallRecord",
    "Conflict",
    "ConnectionError",
    "FieldError",
    "Gone",
    "InvalidResponse",
    "Malformed",
    "NotFound",
    "Page",
    "PermissionDenied",
    "RateLimited",
    "RateLimits",
    "ReferenceUsed",
    "RetryPolicy",
    "SendcloudClient",
    "SendcloudError",
    "SharedRateLimiter",
    "ServerError",
    "StillProcessing",
    "Timeout",
    "Timeouts",
    "UnexpectedStatus",
    "ValidationError",
    "as_decimal",
    "as_int",
    "error_from_response",
    "parse_epoch_ms",
    "shared_limiter",
    "verify_signature",
]
