"""Sender addresses: one type, whichever generation delivered it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .common import TaxNumber


@dataclass(frozen=True)
class SenderAddress:
    """v2 and v3 deliver the same objects (same ids, v3 §18). v2 alone knows `brand_id` and
    `label`; v3 alone gives tax numbers as a list (v2 has only `vat_number`/`eori_number`, which
    the parser turns into list entries)."""

    id: int
    name: str | None
    company_name: str | None
    address_line_1: str | None
    house_number: str | None
    address_line_2: str | None
    postal_code: str | None
    city: str | None
    po_box: str | None
    state_province_code: str | None
    country_code: str | None
    email: str | None
    phone_number: str | None
    tax_numbers: tuple[TaxNumber, ...] = ()
    signature_full_name: str | None = None
    signature_initials: str | None = None
    brand_id: int | None = None
    label: str | None = None
    generation: str = "v3"
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)

    def with_v2_details(self, other: SenderAddress) -> SenderAddress:
        """This address completed with the v2-only fields of `other` (same id)."""
        return replace(
            self,
            brand_id=self.brand_id if self.brand_id is not None else other.brand_id,
            label=self.label if self.label is not None else other.label,
        )


def merge_sender_addresses(v3: list[SenderAddress], v2: list[SenderAddress]) -> list[SenderAddress]:
    """v3 addresses with `brand_id`/`label` from the v2 list; v2-only ids are appended."""
    by_id = {a.id: a for a in v2}
    merged = [a.with_v2_details(by_id[a.id]) if a.id in by_id else a for a in v3]
    known = {a.id for a in v3}
    merged.extend(a for a in v2 if a.id not in known)
    return merged
