"""Integration state and mirrored Sendcloud objects (one module per area)."""

from .integration import Integration
from .parcels import Parcel, Return
from .webhooks import ApiCall, WebhookEvent

__all__ = ["ApiCall", "Integration", "Parcel", "Return", "WebhookEvent"]
