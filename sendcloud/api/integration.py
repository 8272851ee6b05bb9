"""The integration over the REST API: its state, the Abgleich (start and follow), the warehouse
mapping, and the mirrored objects (read-only)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.orm import create_schema

from backoffice.inventory.models import Warehouse
from sendcloud.models import (
    Invoice,
    ObjectType,
    Parcel,
    Return,
    SenderAddress,
    ShippingOption,
    ShippingRoute,
    SyncRun,
)
from sendcloud.selectors import integration_default
from sendcloud.services.warehouse_addresses import (
    warehouse_mapping,
    warehouse_sender_addresses_save,
)
from sendcloud.sync import sync_start
from sendcloud.views.access import MANAGE_INTEGRATION, RUN_SYNC, VIEW_SENDCLOUD

from .auth import allowed
from .orders import ERRORS, answers

router = Router(tags=["integration"])


def _integration(company):
    integration = integration_default(company)
    if integration is None:
        raise ValidationError(_("No Sendcloud integration is connected."))
    return integration


class IntegrationOut(Schema):
    id: int
    shop_name: str
    state: str
    is_active: bool
    sendcloud_id: int | None
    test_mode: bool
    webhook_active: bool
    connected_at: datetime | None
    last_error: str
    last_error_at: datetime | None


@router.get("/integration", response=answers(200, IntegrationOut))
def integration_get(request):
    """The company's Sendcloud integration (its default one)."""
    company = allowed(request, VIEW_SENDCLOUD)
    integration = integration_default(company)
    if integration is None:
        raise ValidationError(_("No Sendcloud integration is connected."))
    return integration


class SyncIn(Schema):
    object_types: list[str] = Field(default_factory=lambda: list(ObjectType.values), max_length=20)
    full: bool = False


class SyncRunOut(Schema):
    id: int
    state: str
    trigger: str
    object_types: list[str]
    full: bool
    progress: dict
    error: str
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.post("/sync-runs/", response=answers(202, SyncRunOut))
def sync_run_start(request, payload: SyncIn):
    """Start an Abgleich (one at a time per integration); follow GET /sync-runs/{id}."""
    company = allowed(request, RUN_SYNC)
    unknown = sorted(set(payload.object_types) - set(ObjectType.values))
    if unknown or not payload.object_types:
        raise ValidationError(
            {
                "object_types": [
                    _("Choose from: %(types)s") % {"types": ", ".join(ObjectType.values)}
                ]
            }
        )
    run = sync_start(
        _integration(company),
        payload.object_types,
        trigger=SyncRun.Trigger.MANUAL,
        user=request.user,
        full=payload.full,
    )
    return Status(202, run)


@router.get("/sync-runs/{pk}", response=answers(200, SyncRunOut))
def sync_run_get(request, pk: int):
    company = allowed(request, VIEW_SENDCLOUD)
    return get_object_or_404(SyncRun, pk=pk, integration__company=company)


class WarehouseRowOut(Schema):
    warehouse: int
    warehouse_name: str
    sender_address: int | None


class WarehouseRowIn(Schema):
    warehouse: int
    sender_address: int | None


def _mapping(company, integration) -> list[dict]:
    mapping = warehouse_mapping(integration)
    return [
        {
            "warehouse": w.pk,
            "warehouse_name": str(w),
            "sender_address": mapping[w.pk].sender_address_id if w.pk in mapping else None,
        }
        for w in Warehouse.objects.filter(company=company).order_by("pk")
    ]


@router.get("/warehouse-mapping", response=answers(200, list[WarehouseRowOut]))
def warehouse_mapping_get(request):
    """Which Sendcloud sender address each warehouse ships from."""
    company = allowed(request, VIEW_SENDCLOUD)
    return _mapping(company, _integration(company))


@router.put("/warehouse-mapping", response=answers(200, list[WarehouseRowOut]))
def warehouse_mapping_put(request, payload: list[WarehouseRowIn]):
    """Save all rows or none (Lager konfigurieren); problems name each wrong warehouse."""
    company = allowed(request, MANAGE_INTEGRATION)
    integration = _integration(company)
    ids = [row.warehouse for row in payload]
    known = set(Warehouse.objects.filter(company=company, pk__in=ids).values_list("pk", flat=True))
    if set(ids) - known:
        raise ValidationError({"warehouse": [_("No such object in your company.")]})
    warehouse_sender_addresses_save(
        integration, {row.warehouse: row.sender_address for row in payload}
    )
    return _mapping(company, integration)


MIRRORED = [
    # (path, model, fields, search fields, exact filters)
    (
        "parcels",
        Parcel,
        [
            "id",
            "sendcloud_id",
            "tracking_number",
            "tracking_url",
            "status_id",
            "status_message",
            "status_changed_at",
            "carrier_code",
            "shipping_method",
            "order_number",
            "to_name",
            "to_country",
            "is_return",
            "sendcloud_created_at",
        ],
        ("tracking_number", "order_number", "to_name"),
        ("status_id", "carrier_code", "to_country"),
    ),
    (
        "returns",
        Return,
        [
            "id",
            "sendcloud_id",
            "status",
            "reason",
            "order_number",
            "parcel_status",
            "tracking_url",
            "sendcloud_created_at",
        ],
        ("order_number", "incoming_tracking_number"),
        ("status",),
    ),
    (
        "invoices",
        Invoice,
        ["id", "sendcloud_id", "reference", "type", "date", "is_paid", "price_excl", "price_incl"],
        ("reference",),
        ("type", "is_paid"),
    ),
    (
        "shipping-options",
        ShippingOption,
        [
            "id",
            "code",
            "name",
            "carrier_code",
            "carrier_name",
            "min_weight_kg",
            "max_weight_kg",
            "service_point_required",
            "supports_returns",
        ],
        ("code", "name"),
        ("carrier_code",),
    ),
    (
        "sender-addresses",
        SenderAddress,
        [
            "id",
            "sendcloud_id",
            "company_name",
            "contact_name",
            "street",
            "house_number",
            "postal_code",
            "city",
            "country",
        ],
        ("company_name", "city"),
        ("country",),
    ),
    (
        "routes",
        ShippingRoute,
        [
            "id",
            "option_code",
            "option_name",
            "carrier_code",
            "from_country",
            "to_country",
            "min_weight_kg",
            "max_weight_kg",
            "service_point_required",
            "multicollo",
        ],
        ("option_code", "option_name"),
        ("carrier_code", "from_country", "to_country"),
    ),
]


def _mirror_endpoint(path, model, fields, search_fields, exact):
    row = create_schema(model, name=f"{model.__name__}Out", fields=fields)
    page = type(
        f"{model.__name__}Page",
        (Schema,),
        {"__annotations__": {"items": list[row], "next_cursor": int | None}},
    )
    annotations = {
        "search": str | None,
        "include_archived": bool,
        "after": int | None,
        "limit": int,
    }
    defaults = {
        "search": Field(None, max_length=100),
        "include_archived": False,
        "after": Field(None, ge=0, description="next_cursor of the page before"),
        "limit": Field(50, ge=1, le=200),
    }
    for name in exact:
        python_type = model._meta.get_field(name).get_internal_type()
        annotations[name] = {
            "IntegerField": int | None,
            "BooleanField": bool | None,
        }.get(python_type, str | None)
        defaults[name] = Field(None)
    filters = type(
        f"{model.__name__}Filters", (Schema,), {"__annotations__": annotations, **defaults}
    )

    def listing(request, filters: Query[filters]):  # noqa: F811 - the class above
        company = allowed(request, VIEW_SENDCLOUD)
        rows = model.objects.filter(integration__company=company).order_by("id")
        if not filters.include_archived:
            rows = rows.filter(archived_at=None)
        for name in exact:
            value = getattr(filters, name)
            if value is not None:
                rows = rows.filter(**{name: value})
        if filters.search:
            matches = Q()
            for name in search_fields:
                matches |= Q(**{f"{name}__icontains": filters.search})
            rows = rows.filter(matches)
        if filters.after is not None:
            rows = rows.filter(id__gt=filters.after)
        found = list(rows[: filters.limit + 1])
        more = len(found) > filters.limit
        found = found[: filters.limit]
        return {"items": found, "next_cursor": found[-1].pk if more and found else None}

    listing.__name__ = f"{model.__name__.lower()}_list"
    listing.__doc__ = f"Mirrored {model._meta.verbose_name_plural} (read-only)."
    router.get(f"/{path}/", response={200: page, **ERRORS}, tags=["mirrored"])(listing)


for _entry in MIRRORED:
    _mirror_endpoint(*_entry)
