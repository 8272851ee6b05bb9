"""One sync run per integration at a time (the shared run lifecycle, `sendcloud.runs`).

The database refuses a second queued/running SyncRun of an integration; a worker claims a run in
one UPDATE; a run whose worker went silent may be claimed again and continues from its last
committed page.
"""

from __future__ import annotations

from sendcloud.models import Integration, ObjectType, SyncRun
from sendcloud.models.sync import TypeProgress
from sendcloud.runs import run_create

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


def sync_run_fields(object_types, *, trigger: str, user=None, full: bool = False) -> dict:
    """The fields of a new run of these object types."""
    types = object_types_ordered(object_types)
    if not types:
        raise ValueError("no object type selected")
    return {
        "trigger": trigger,
        "started_by": user if user is not None and user.is_authenticated else None,
        "object_types": types,
        "full": full,
        "progress": {t: TypeProgress().dump() for t in types},
    }


def sync_run_create(integration: Integration, object_types, **options) -> SyncRun:
    """A queued run that is not handed to the worker (the command line executes it itself);
    RunActive when the integration has an active one."""
    return run_create(SyncRun, integration, **sync_run_fields(object_types, **options))
