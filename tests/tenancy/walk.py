"""Every URL of the app, from Django's resolver, with the ids of one company's rows filled in."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from backoffice.companies.models import User
from backoffice.sales.models import DeliveryOrder
from sendcloud.models import (
    ApiCall,
    Integration,
    Invoice,
    Label,
    LabelJob,
    OrderPushRun,
    Parcel,
    Return,
    Shipment,
    SyncRun,
    WebhookEvent,
)
from sendcloud.views.mirror import LISTS

from .world import Tenant

UNKNOWN_ID = 987654321

# Routes the walk leaves out, and why.
SKIPPED = {
    "admin:logout": "ends the session the walk runs in",
    "sendcloud:webhook": "Sendcloud's door: no login, proven by token and signature "
    "(tests/sendcloud/test_webhook_intake.py)",
    "ready": "answers 503 by design while no worker has reported (tests/ops/); no company data",
}

# Sendcloud routes: which model each id parameter names.
SENDCLOUD_IDS = {
    "pk": {
        "settings": Integration,
        "disconnect": Integration,
        "remove": Integration,
        "api-call": ApiCall,
        "move-up": Integration,
        "warehouses": Integration,
        "orders": Integration,
        "orders-needs-fixing": Integration,
        "sync": Integration,
        "sync-schedules": Integration,
        "mirror": Integration,
        "report": Integration,
        "report-parcel": Integration,
        "report-return": Integration,
        "invoice-items": Integration,
        "order-run": OrderPushRun,
        "order-run-status": OrderPushRun,
        "order-run-retry": OrderPushRun,
        "delivery-timeline": DeliveryOrder,
        "sync-run": SyncRun,
        "sync-run-progress": SyncRun,
        "webhook-event": WebhookEvent,
        "webhook-replay": WebhookEvent,
        "labels-delivery": DeliveryOrder,
        "labels-delivery-status": DeliveryOrder,
        "labels-delivery-section": DeliveryOrder,
        "labels-create": DeliveryOrder,
        "labels-cancel": DeliveryOrder,
        "delivery-service-point": DeliveryOrder,
        "labels-file": Label,
        "labels-shipment-pdf": Shipment,
        "labels-job": LabelJob,
        "labels-job-status": LabelJob,
        "labels-job-retry": LabelJob,
        "labels-job-merged": LabelJob,
        "returns-delivery": DeliveryOrder,
        "returns-create": DeliveryOrder,
        "return": Return,
        "return-label": Return,
        "return-email": Return,
        "return-cancel": Return,
        "return-book": Return,
    },
    "invoice_pk": {"invoice-items": Invoice},
    "parcel_pk": {"report-parcel": Parcel},
    "return_pk": {"report-return": Return},
}


# REST API routes (sendcloud/api/): which model the `pk` of each names.
API_IDS = {
    "api:delivery_order_get": DeliveryOrder,
    "api:delivery_order_preflight": DeliveryOrder,
    "api:delivery_order_option_get": DeliveryOrder,
    "api:delivery_order_option_put": DeliveryOrder,
    "api:delivery_order_push": DeliveryOrder,
    "api:delivery_order_label": DeliveryOrder,
    "api:delivery_order_cancel": DeliveryOrder,
    "api:delivery_order_status": DeliveryOrder,
    "api:delivery_order_status_refresh": DeliveryOrder,
    "api:label_job_get": LabelJob,
    "api:label_file": Label,
    "api:sync_run_get": SyncRun,
    "api:delivery_order_returns": DeliveryOrder,
    "api:delivery_order_return": DeliveryOrder,
    "api:return_get": Return,
    "api:return_cancel_post": Return,
    "api:return_label": Return,
}


# Routes probed with the attacker's own integration and the victim's object.
OWN_INTEGRATION_PROBES = {
    "sendcloud:invoice-items",
    "sendcloud:report-parcel",
    "sendcloud:report-return",
}


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


@dataclass(frozen=True)
class Visit:
    name: str
    url: str
    foreign: bool  # carries an id of the other company (or an unknown one)
    model: type | None = None  # the admin model of the route, if any


def routes() -> list[Route]:
    """Every named route of the project, with the names of its parameters."""
    found = []

    def walk(resolver, namespace, params):
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            names = list(
                pattern.converters
                if isinstance(pattern, RoutePattern)
                else pattern.regex.groupindex
            )
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner, params + tuple(names))
            elif entry.name:
                found.append(Route(f"{namespace}{entry.name}", params + tuple(names)))

    walk(get_resolver(), "", ())
    return found


def _admin_models() -> dict[str, type]:
    """URL name prefix ("admin:sales_deliveryorder") -> model, for every registered admin."""
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}": model
        for model in admin.site._registry
    }


def visits(victim: Tenant, attacker: Tenant) -> list[Visit]:
    """Every route once per id of the victim's rows (and once with an unknown id)."""
    admin_models = _admin_models()
    result = []
    for route in routes():
        if route.name in SKIPPED:
            continue
        model = next(
            (m for prefix, m in admin_models.items() if route.name.startswith(prefix + "_")), None
        )
        if route.name == "admin:auth_user_password_change":  # Django's name, whatever the model
            model = User
        choices = {}
        for param in route.params:
            choices[param] = _values(route.name, param, model, victim, attacker)
        for combo in itertools.product(*(choices[p] for p in route.params)):
            kwargs = {p: value for p, (value, _foreign) in zip(route.params, combo, strict=True)}
            foreign = any(is_foreign for _value, is_foreign in combo)
            if route.name == "admin:view_on_site":
                kwargs = dict(kwargs["content_type_id"])
            result.append(Visit(route.name, reverse(route.name, kwargs=kwargs), foreign, model))
    return result


def _values(name, param, model, victim: Tenant, attacker: Tenant) -> list[tuple[object, bool]]:
    """(value, is the other company's) for one parameter of one route."""
    if name == "admin:app_list" and param == "app_label":
        labels = {m._meta.app_label for m in admin.site._registry}
        return [(label, False) for label in sorted(labels)]
    if name == "admin:view_on_site":
        if param == "object_id":
            return [(None, False)]
        return [
            (
                {"content_type_id": ContentType.objects.get_for_model(m).pk, "object_id": pk},
                True,
            )
            for m in victim.objects
            for pk in victim.ids(m)[:1]
        ]
    if model is not None and param in ("object_id", "id"):
        ids = victim.ids(model)
        return [(pk, True) for pk in ids] + [(UNKNOWN_ID, True)]
    if param == "pk" and name in API_IDS:
        return [(pk, True) for pk in victim.ids(API_IDS[name])] + [(UNKNOWN_ID, True)]
    if param == "kind" and name in ("sendcloud:labels-file", "api:label_file"):
        return [(kind, False) for kind in ("pdf", "zpl", "customs")]
    if param == "kind" and name == "sendcloud:labels-shipment-pdf":
        return [(kind, False) for kind in ("labels", "customs")]
    if param == "kind":
        return [(kind, False) for kind in LISTS]
    if param in SENDCLOUD_IDS and name.removeprefix("sendcloud:") in SENDCLOUD_IDS[param]:
        target = SENDCLOUD_IDS[param][name.removeprefix("sendcloud:")]
        values = [(pk, True) for pk in victim.ids(target)] + [(UNKNOWN_ID, True)]
        if name in OWN_INTEGRATION_PROBES and param == "pk":
            # The attacker's own integration with the victim's invoice.
            values.append((attacker.first(Integration).pk, False))
        return values
    raise AssertionError(f"The walk does not know the parameter {param!r} of {name}; add it.")
