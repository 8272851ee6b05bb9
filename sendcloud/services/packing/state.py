"""What a packing station remembers between two scans (kept in the Django session as a dict)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SESSION_KEY = "packing"
PARCELS_KEPT = 200  # the session's list of parcels, newest first


@dataclass
class PackParcel:
    """One shipment packed in this session: what the list of parcels shows."""

    delivery_id: int
    number: str
    shipment_id: int
    tracking: str
    time: str  # ISO timestamp
    print_state: str  # "printer", "browser" (opened for the print dialog) or "failed"
    message: str = ""  # the print failure or the cancellation's answer
    cancelled: bool = False


@dataclass
class PackState:
    station_id: int | None = None
    delivery_id: int | None = None
    checked: dict[str, int] = field(default_factory=dict)  # line id → units checked
    quantity: int | None = None  # typed "3*" waiting for the next item
    parcels: list[PackParcel] = field(default_factory=list)

    @classmethod
    def from_session(cls, data: dict | None) -> PackState:
        data = dict(data or {})
        parcels = [PackParcel(**p) for p in data.pop("parcels", [])]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known, parcels=parcels)

    def to_session(self) -> dict:
        data = asdict(self)
        data["parcels"] = data["parcels"][:PARCELS_KEPT]
        return data

    def start(self, delivery_id: int) -> None:
        self.delivery_id = delivery_id
        self.checked = {}
        self.quantity = None

    def parcel(self, shipment_id: int) -> PackParcel | None:
        return next((p for p in self.parcels if p.shipment_id == shipment_id), None)
