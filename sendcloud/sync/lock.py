"""One sync run per integration at a time (the shared run lifecycle, `sendcloud.runs`).

The database refuses a second queued/running SyncRun of an integration; a worker claims a run in
one UPDATE; a run whose worker went silent may be claimed again and continues from its last
committed page.
"""

from __future__ import annotations

from sendcloud.models import Integration, ObjectType, SyncRun

# Cheap catalogue types first, so a long parcel walk does not hold them back.
ORDER = [
    ObjectType.BRANDS,
    ObjectType.SENDER_ADDRESSES,
    ObjectType.SHIPPING_METHODS,
    ObjectType.PARCEL_STATUSES,
    ObjectType.INVOICES,
    ObjectType.RETURNS,
    ObjectType.PARCELS,
]


def object_types_ordered(object_types) -> list[str]:
    wanted = {str(t) for t in object_types}
    unknown = wanted - set(ObjectType.values)
    if unknown:
        raise ValueError(f"unknown object types: {', '.join(sorted(unknown))}")
    return [str(t) for t in ORDER if str(t) in wanted]


def sync_run_active(integration: Integration) -> SyncRun | None:
    return SyncRun.objects.filter(integration=integration).active().first()
