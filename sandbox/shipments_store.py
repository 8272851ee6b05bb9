"""Shipments created through the API (v3 shipments, ship-an-order, v2 parcels): carrier checks,
storage in the same tables the seeded parcels use, and cancellation.

Both generations write the same rows, so v2 ``GET /parcels`` and v3 ``GET /shipments`` read every
created parcel. What a created object echoes from its request beyond the seeded fields is kept
as ``v3_overlay`` / ``v2_overlay`` in its stored data and laid over the standard rendering.
"""

import json
import random
import re
import uuid
from dataclasses import dataclass, field

from . import catalogue as cat
from . import routes
from .render_parcels import PARCEL_COLUMNS, PARCEL_FROM, Parcel

# Reference v3 §6.7 / v2 §5.6.6: cancellation is refused 42 days after announcement.
CANCEL_DEADLINE = 42 * 24 * 3600
ALREADY_CANCELLING = "This shipment is already being cancelled."
TOO_LATE = "Shipped parcels, or parcels being shipped, can no longer be cancelled."
CANCELLING = {1999, 2001, 1998, 2000}
# Carriers whose labels come as native ZPL when ZPL is asked for at creation (v3 §6.1):
# such a label can never be fetched as PDF later.
NATIVE_ZPL = {"dhl", "ups", "dhl_express"}
_NL_POSTAL = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")
_STREET_NUMBER = re.compile(r"^(.*\S)\s+(\d+\s*[A-Za-z]?(?:[-/]\S+)?)$")


@dataclass
class ParcelSpec:
    weight: float  # kg
    dims: list | None = None  # [length, width, height] as "x.xx" cm strings
    items: list = field(default_factory=list)  # v2 item format (value, weight as strings)
    insured_value: int = 0
    external_reference: str | None = None  # v2 only (unique per user)
    v3_overlay: dict = field(default_factory=dict)
    v2_overlay: dict = field(default_factory=dict)
    quantity: int = 1  # v2: collos of a parcel not announced yet (one row until it is)


@dataclass
class ShipmentSpec:
    product: cat.Product
    sender: dict  # the seeded sender format (street, house_number, contact_name…)
    person: dict  # name, street, house_number, postal_code, city, country, to_state
    parcels: list
    sender_address_id: int | None = None
    email: str = ""
    telephone: str = ""
    company_name: str = ""
    order_number: str | None = None
    external_reference_id: str | None = None  # v3 (unique per user)
    total_order_value: str | None = None
    service_point: str | None = None
    customs: dict | None = None
    checkout_name: str | None = None
    brand_id: int | None = None
    label_mime: str = "application/pdf"
    method_id: int | None = None  # v2: the method asked for
    shipment_id: str | None = None
    generation: str = "v3"
    v3_overlay: dict = field(default_factory=dict)

    @property
    def international(self) -> bool:
        """Outside the EU customs territory (special territories by postal code included)."""
        return cat.needs_customs(self.person["country"], self.person.get("postal_code"))


# -- addresses -------------------------------------------------------------------------------


def normalise_postal(country: str, postal: str) -> str:
    """Sendcloud answers postal codes in the country's format (``5642CV`` → ``5642 CV``)."""
    text = (postal or "").strip()
    match = _NL_POSTAL.match(text)
    if country == "NL" and match:
        return f"{match.group(1)} {match.group(2).upper()}"
    return text


def split_street(line: str, number: str | None) -> tuple[str, str]:
    """(street, house number): a number given apart is cut off the line, else split from it."""
    line = (line or "").strip()
    number = (number or "").strip()
    if number:
        if line.endswith(" " + number):
            line = line[: -len(number)].rstrip()
        return line, number
    match = _STREET_NUMBER.match(line)
    return (match.group(1), match.group(2)) if match else (line, "")


# -- carrier checks --------------------------------------------------------------------------


def band_for(spec: ShipmentSpec):
    """(low, high) kg the option accepts; for a v2 method its own band."""
    if spec.method_id is not None:
        method = cat.METHOD_BY_ID[spec.method_id]
        return method.min_weight, method.max_weight
    return routes.weight_band(spec.product)


def carrier_refusal(spec: ShipmentSpec) -> str | None:
    """What the carrier answers when it refuses to announce: a route, collo count, weight or
    size the product does not serve (the same rules ``POST /shipping-options`` filters by)."""
    parcels = [(p.weight, p.dims) for p in spec.parcels]
    return routes.refusal(spec.product, spec.sender["country"], spec.person["country"],
                          parcels, band_for(spec))  # fmt: skip


def missing_fields(spec: ShipmentSpec) -> list[str]:
    """Recipient fields the option requires on this route that the request left empty."""
    values = {"to_email": spec.email, "to_telephone": spec.telephone}
    return routes.missing_fields(spec.product, spec.sender["country"], spec.person["country"],
                                 values)  # fmt: skip


def customs_missing(spec: ShipmentSpec) -> bool:
    """Outside the EU customs territory the carrier needs customs data and items (HS code,
    origin, value) for the CN23 / commercial invoice."""
    if not spec.international:
        return False
    if not spec.customs:
        return True
    return any(
        not p.items or any(not i.get("hs_code") or not i.get("origin_country") for i in p.items)
        for p in spec.parcels
    )


# -- storage ---------------------------------------------------------------------------------


def tracking_for(carrier: str, parcel_id: int) -> str:
    """The same deterministic number ``SandboxState.set_parcel_status`` would give."""
    return cat.TRACKING_PREFIX[carrier] + str(random.Random(parcel_id).randint(10**9, 10**10 - 1))


def external_reference_taken(store, account_id: int, reference: str, v3: bool) -> bool:
    if v3:
        sql = "SELECT 1 FROM shipments WHERE account_id = ? AND external_reference_id = ?"
    else:
        sql = "SELECT 1 FROM parcels WHERE account_id = ? AND external_reference = ?"
    return store.one(sql, (account_id, reference)) is not None


def _shipment_data(spec: ShipmentSpec, announce_error: str | None = None) -> dict:
    product = spec.product
    shipment = {
        "sender_address_id": spec.sender_address_id, "sender": spec.sender,
        "person": spec.person, "ship_with": product.code, "carrier": product.carrier,
        "total_order_price": spec.total_order_value, "brand_id": spec.brand_id,
        "international": spec.international, "created_via": spec.generation,
        "label_mime": spec.label_mime, "v3_overlay": spec.v3_overlay,
    }  # fmt: skip
    if announce_error:
        shipment["announce_error"] = announce_error
    return shipment


def _parcel_data(spec: ShipmentSpec, n: int, shipment_uuid: str, colli_uuid=None) -> dict:
    p = spec.parcels[n]
    customs_documents = []
    if spec.international and spec.customs:
        customs_documents = ["commercial-invoice" if _commercial(spec.customs) else "cn23"]
    data = {
        "weight": f"{p.weight:.3f}", "dims": p.dims, "items": p.items,
        "method_id": spec.method_id or cat.method_for_weight(spec.product, p.weight).id,
        "collo_nr": n, "collo_count": len(spec.parcels),
        "colli_uuid": colli_uuid or str(uuid.uuid4()), "shipment_uuid": shipment_uuid,
        "total_order_value": spec.total_order_value, "insured_value": p.insured_value,
        "email": spec.email, "telephone": spec.telephone,
        "company_name": spec.company_name, "checkout_name": spec.checkout_name,
        "customs_invoice_nr": (spec.customs or {}).get("invoice_number") or "",
        "customs_documents": customs_documents, "service_point": spec.service_point,
        "v3_overlay": p.v3_overlay, "v2_overlay": p.v2_overlay,
    }  # fmt: skip
    if p.quantity > 1:
        data["quantity"] = p.quantity
    return data


def insert(state, account_id: int, integration_id: int, spec: ShipmentSpec, status_id: int,
           announce_error: str | None = None) -> int:  # fmt: skip
    """Write the shipment and its parcels in ``status_id``; returns the shipment's seq."""
    store, now = state.store, state.clock.now()
    announced = status_id not in cat.UNANNOUNCED
    shipment_uuid = spec.shipment_id or str(uuid.uuid4())
    shipment = _shipment_data(spec, announce_error)
    count = len(spec.parcels)
    with store.write() as conn:
        # Checked inside the write transaction: two concurrent requests with one reference
        # cannot both pass (the unique indexes are the backstop).
        _check_unique(conn, account_id, spec)
        first_id = store.next_ids(conn, "parcels", count)
        seq = store.next_ids(conn, "shipments", 1)
        if spec.shipment_id is None and spec.generation == "ship-an-order":
            shipment_uuid = str(seq)
        rows = []
        for n, p in enumerate(spec.parcels):
            pid = first_id + n
            data = _parcel_data(spec, n, shipment_uuid)
            tracking = tracking_for(spec.product.carrier, pid) if announced else ""
            rows.append((pid, account_id, integration_id, seq, status_id, tracking,
                         p.external_reference, spec.order_number, now, now,
                         now if announced else None, json.dumps(data)))  # fmt: skip
        conn.execute(
            "INSERT INTO shipments VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (seq, shipment_uuid, account_id, integration_id, now, now, now if announced else None,
             spec.order_number, spec.external_reference_id, json.dumps(shipment), None),
        )  # fmt: skip
        conn.executemany("INSERT INTO parcels VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    state.render_shipment(seq)
    return seq


def replace_unannounced(state, account_id: int, parcel: Parcel, spec: ShipmentSpec,
                        status_id: int):  # fmt: skip
    """v2 ``PUT /parcels``: a parcel not announced yet takes the updated request (one collo,
    same id, shipment and colli uuid) and moves to ``status_id`` (999 stays, 1000 announces,
    1001 is being announced)."""
    store, now = state.store, state.clock.now()
    announced = status_id not in cat.UNANNOUNCED
    shipment = _shipment_data(spec)
    data = _parcel_data(spec, 0, parcel.shipment_id, parcel.data["colli_uuid"])
    tracking = tracking_for(spec.product.carrier, parcel.id) if announced else ""
    reference = spec.parcels[0].external_reference
    with store.write() as conn:
        if reference is not None:
            taken = conn.execute(
                "SELECT 1 FROM parcels WHERE account_id = ? AND external_reference = ? AND id != ?",
                (account_id, reference, parcel.id),
            ).fetchone()
            if taken:
                raise DuplicateReference(parcel.shipment_seq)
        conn.execute(
            "UPDATE parcels SET status_id = ?, tracking_number = ?, external_reference = ?,"
            " order_number = ?, updated_at = ?, announced_at = ?, data = ? WHERE id = ?",
            (status_id, tracking, reference, spec.order_number, now,
             now if announced else None, json.dumps(data), parcel.id),
        )  # fmt: skip
        conn.execute(
            "UPDATE shipments SET updated_at = ?, announced_at = ?, order_number = ?, data = ?"
            " WHERE seq = ?",
            (now, now if announced else None, spec.order_number, json.dumps(shipment),
             parcel.shipment_seq),
        )  # fmt: skip
    state.render_shipment(parcel.shipment_seq)


class DuplicateReference(Exception):
    """The external reference is taken; ``seq`` is the existing shipment's."""

    def __init__(self, seq: int):
        super().__init__(seq)
        self.seq = seq


def _check_unique(conn, account_id: int, spec: ShipmentSpec):
    if spec.external_reference_id is not None:
        row = conn.execute(
            "SELECT seq FROM shipments WHERE account_id = ? AND external_reference_id = ?",
            (account_id, spec.external_reference_id),
        ).fetchone()
        if row:
            raise DuplicateReference(row[0])
    for parcel in spec.parcels:
        if parcel.external_reference is None:
            continue
        row = conn.execute(
            "SELECT shipment_seq FROM parcels WHERE account_id = ? AND external_reference = ?",
            (account_id, parcel.external_reference),
        ).fetchone()
        if row:
            raise DuplicateReference(row[0])


def _commercial(customs: dict) -> bool:
    reason = customs.get("export_reason") or customs.get("customs_shipment_type")
    return reason in ("commercial_goods", "commercial_sample", 2, 3)


def parcels_of(store, seq: int) -> list[Parcel]:
    rows = store.query(
        f"SELECT {PARCEL_COLUMNS} FROM {PARCEL_FROM} WHERE p.shipment_seq = ? ORDER BY p.id",
        (seq,),
    )
    return [Parcel(row) for row in rows]


def shipment_row(store, shipment_id: str, account_id: int, integration_id: int):
    """(seq, v3 text) of a shipment the calling integration created, or None."""
    return store.one(
        "SELECT seq, v3 FROM shipments WHERE id = ? AND account_id = ? AND integration_id = ?",
        (shipment_id, account_id, integration_id),
    )


def set_shipment_errors(state, seq: int, errors: list):
    """Put carrier errors into the shipment's stored overlay (``data.errors`` of v3)."""
    row = state.store.one("SELECT data FROM shipments WHERE seq = ?", (seq,))
    data = json.loads(row[0])
    data.setdefault("v3_overlay", {})["errors"] = errors
    data.pop("announce_error", None)
    with state.store.write() as conn:
        conn.execute("UPDATE shipments SET data = ? WHERE seq = ?", (json.dumps(data), seq))
    state.render_shipment(seq)


def announcement_error(detail: str) -> dict:
    """The v3 error object of a refused announcement (sample v3_shipment_announce_201_failed)."""
    return {"status": "500", "code": "parcel_announcement_error", "detail": detail}


def delete_parcel(state, parcel: Parcel):
    """v2 410: a never-announced parcel disappears from the API."""
    with state.store.write() as conn:
        conn.execute("DELETE FROM parcels WHERE id = ?", (parcel.id,))
        conn.execute("DELETE FROM progress WHERE parcel_id = ?", (parcel.id,))
        left = conn.execute(
            "SELECT COUNT(*) FROM parcels WHERE shipment_seq = ?", (parcel.shipment_seq,)
        ).fetchone()[0]
        if not left:
            conn.execute("DELETE FROM shipments WHERE seq = ?", (parcel.shipment_seq,))
    if left:
        state.render_shipment(parcel.shipment_seq)


# -- cancellation ----------------------------------------------------------------------------


def set_status(state, parcel_id: int, status_id: int, at: float | None = None) -> Parcel:
    """``SandboxState.set_parcel_status``, except that a parcel cancelled before it was ever
    announced gets no tracking number or announcement time (there never was a label)."""
    parcel = state.parcel(parcel_id)
    if parcel is None or parcel.announced or status_id not in CANCELLING:
        return state.set_parcel_status(parcel_id, status_id, at)
    now = state.clock.now()
    with state.store.write() as conn:
        conn.execute(
            "UPDATE parcels SET status_id = ?, updated_at = ? WHERE id = ?",
            (status_id, now, parcel_id),
        )
        conn.execute(
            "UPDATE shipments SET updated_at = ? WHERE seq = ?", (now, parcel.shipment_seq)
        )
    state.render_shipment(parcel.shipment_seq)
    parcel = state.parcel(parcel_id)
    state.emit_parcel_status(parcel, at or now)
    return parcel


def cancel_outcome(parcels: list[Parcel], now: float) -> str:
    """``cancelled`` (nothing announced yet), ``queued`` (label voided within the carrier's
    window), ``already`` (cancelled or being cancelled) or ``too_late`` (the carrier has it,
    it was delivered, or the announcement is older than 42 days)."""
    ids = {p.status_id for p in parcels}
    if ids <= CANCELLING:
        return "already"
    if ids - CANCELLING - cat.UNANNOUNCED - {1000}:
        return "too_late"
    if any(p.announced_at and now - p.announced_at > CANCEL_DEADLINE for p in parcels):
        return "too_late"
    if ids <= cat.UNANNOUNCED | CANCELLING:
        return "cancelled"
    return "queued"


def created_shipments(state, account_id: int, limit: int = 200) -> list[dict]:
    """Shipments created through the API (not seeded), newest first, for the panel and tools."""
    rows = state.store.query(
        "SELECT seq, id, integration_id, created_at, order_number, external_reference_id, data"
        " FROM shipments WHERE account_id = ? AND data LIKE '%\"created_via\"%'"
        " ORDER BY seq DESC LIMIT ?",
        (account_id, limit),
    )
    out = []
    for seq, shipment_id, integration_id, created_at, order_number, reference, data in rows:
        data = json.loads(data)
        parcels = parcels_of(state.store, seq)
        out.append({
            "id": shipment_id, "integration_id": integration_id, "created_at": created_at,
            "order_number": order_number, "external_reference_id": reference,
            "created_via": data["created_via"], "carrier": data["carrier"],
            "shipping_option_code": data["ship_with"],
            "recipient": data["person"]["name"], "country": data["person"]["country"],
            "parcels": [{
                "id": p.id, "status_id": p.status_id,
                "status": cat.STATUS_BY_ID[p.status_id][1],
                "tracking_number": p.tracking_number, "announced": p.announced,
                "customs": bool(p.data.get("customs_documents")),
            } for p in parcels],
        })  # fmt: skip
    return out
