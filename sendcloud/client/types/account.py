"""Account-level objects: user, key metadata, invoices, brands, integrations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class AuthMetadata:
    """v3 `GET /user/auth/metadata`: which user and integration the key pair belongs to."""

    user_id: int | None
    integration_id: int | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class InvoiceLine:
    id: int | None
    name: str | None


@dataclass(frozen=True)
class Invoice:
    """v2 invoice. `is_paid` comes from the misspelt `isPayed`; `date` is an aware UTC datetime."""

    id: int
    ref: str | None
    type: str | None
    price_incl: Decimal | None
    price_excl: Decimal | None
    is_paid: bool | None
    date: datetime | None
    items_url: str | None = None
    items: tuple[InvoiceLine, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class User:
    """v2 `GET /user`. `registered` is parsed; the invoices list is left to `invoices()`."""

    username: str | None
    company_name: str | None
    email: str | None
    telephone: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    registered: datetime | None
    modules: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class Brand:
    id: int
    name: str | None
    domain: str | None
    color: str | None = None
    secondary_color: str | None = None
    website: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class Integration:
    """One shape for v2 and v3 integrations, with v3 names (`type` is v2 `system` etc.)."""

    id: int
    shop_name: str | None
    shop_url: str | None
    type: str | None
    webhook_active: bool | None
    webhook_url: str | None
    service_point_enabled: bool | None
    service_point_carriers: tuple[str, ...] = ()
    feedback_type: str | None = None
    started_failing_at: datetime | None = None
    last_fetched_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


INTEGRATION_UPDATE_FIELDS = frozenset(
    {
        "shop_name",
        "shop_url",
        "service_point_enabled",
        "service_point_carriers",
        "webhook_active",
        "webhook_url",
        "feedback_type",
    }
)
"""Fields `PATCH /integrations/{id}` accepts (v3 §12; `feedback_type` is v3 only)."""
