"""What each role may do on its own company's Sendcloud pages and admin (403 where it may not)."""

import pytest
from django.test import Client
from django.urls import reverse

from backoffice.companies import roles
from sendcloud.models import Integration, OrderPushRun, WebhookEvent
from tests.factories import WarehouseFactory

from .walk import routes
from .world import tenant_create

pytestmark = pytest.mark.django_db

READ, SHIP, MANAGE = roles.READING, roles.SHIPPING, roles.MANAGEMENT
EVERY_ROLE = {READ, SHIP, MANAGE}

# (route, method) -> the roles that may; every other role (and a staff user without a role)
# gets 403.
PAGES = {
    ("integration", "get"): EVERY_ROLE,
    ("integration-status", "get"): EVERY_ROLE,
    ("setup", "get"): {MANAGE},
    ("setup", "post"): {MANAGE},
    ("keys", "get"): {MANAGE},
    ("keys", "post"): {MANAGE},
    ("settings", "get"): {MANAGE},
    ("settings", "post"): {MANAGE},
    ("disconnect", "get"): {MANAGE},
    ("disconnect", "post"): {MANAGE},
    ("remove", "post"): {MANAGE},
    ("move-up", "post"): {MANAGE},
    ("warehouses", "get"): {MANAGE},
    ("warehouses", "post"): {MANAGE},
    ("sync-schedules", "get"): {MANAGE},
    ("sync-schedules", "post"): {MANAGE},
    ("sync", "get"): EVERY_ROLE,
    ("sync", "post"): {SHIP, MANAGE},
    ("sync-run", "get"): EVERY_ROLE,
    ("sync-run-progress", "get"): EVERY_ROLE,
    ("orders", "get"): EVERY_ROLE,
    ("orders", "post"): {SHIP, MANAGE},
    ("orders-needs-fixing", "get"): EVERY_ROLE,
    ("order-run", "get"): EVERY_ROLE,
    ("order-run-status", "get"): EVERY_ROLE,
    ("order-run-retry", "post"): {SHIP, MANAGE},
    ("delivery-timeline", "get"): EVERY_ROLE,
    ("mirror", "get"): EVERY_ROLE,
    ("mirror-default", "get"): EVERY_ROLE,
    ("invoice-items", "post"): {SHIP, MANAGE},
    ("webhook-inbox", "get"): EVERY_ROLE,
    ("webhook-event", "get"): EVERY_ROLE,
    ("webhook-replay", "post"): {MANAGE},
    ("api-calls", "get"): EVERY_ROLE,
    ("default-sync-schedules", "get"): {MANAGE},
    ("report", "get"): EVERY_ROLE,
    ("dashboard", "get"): EVERY_ROLE,
    ("report-default", "get"): EVERY_ROLE,
    ("report-parcel", "get"): EVERY_ROLE,
    ("report-return", "get"): EVERY_ROLE,
    ("report-api-calls", "get"): EVERY_ROLE,
    ("report-webhooks", "get"): EVERY_ROLE,
    ("labels-worklist", "get"): EVERY_ROLE,
    ("labels-delivery", "get"): EVERY_ROLE,
    ("labels-delivery-status", "get"): EVERY_ROLE,
    ("labels-delivery-section", "get"): EVERY_ROLE,
    ("labels-create", "get"): EVERY_ROLE,
    ("labels-create", "post"): {SHIP, MANAGE},
    ("labels-cancel", "get"): EVERY_ROLE,
    ("labels-cancel", "post"): {SHIP, MANAGE},
    ("labels-file", "get"): EVERY_ROLE,
    ("labels-shipment-pdf", "get"): EVERY_ROLE,
    ("delivery-service-point", "get"): EVERY_ROLE,
    ("delivery-service-point", "post"): {SHIP, MANAGE},
    ("labels-printed", "post"): {SHIP, MANAGE},
    ("labels-job", "get"): EVERY_ROLE,
    ("labels-job-status", "get"): EVERY_ROLE,
    ("labels-job-retry", "post"): {SHIP, MANAGE},
    ("labels-job-merged", "get"): EVERY_ROLE,
    ("api-call", "get"): EVERY_ROLE,
    ("returns-open", "get"): EVERY_ROLE,
    ("returns-delivery", "get"): EVERY_ROLE,
    ("returns-create", "get"): EVERY_ROLE,
    ("returns-create", "post"): {SHIP, MANAGE},
    ("return", "get"): EVERY_ROLE,
    ("return-label", "get"): EVERY_ROLE,
    ("return-email", "post"): {SHIP, MANAGE},
    ("return-cancel", "get"): EVERY_ROLE,
    ("return-cancel", "post"): {SHIP, MANAGE},
    ("return-book", "post"): {SHIP, MANAGE},
    # Packplatz: scanning and printing labels; Lesen may not even open it.
    ("packing", "get"): {SHIP, MANAGE},
    ("packing-station", "post"): {SHIP, MANAGE},
    ("packing-scan", "post"): {SHIP, MANAGE},
    ("packing-ship", "post"): {SHIP, MANAGE},
    ("packing-reprint", "post"): {SHIP, MANAGE},
    ("packing-undo", "post"): {SHIP, MANAGE},
}
# Allowed posts that would call Sendcloud or unlink the integration: only the refusals are
# exercised for them.
NOT_EXECUTED = {
    ("invoice-items", "post"),
    ("disconnect", "post"),
    ("order-run-retry", "post"),
    ("labels-create", "post"),
    ("labels-cancel", "post"),
    ("labels-job-retry", "post"),
    ("delivery-service-point", "post"),
    ("remove", "post"),
    ("returns-create", "post"),
    ("return-email", "post"),
    ("return-cancel", "post"),
    ("return-book", "post"),
}


@pytest.fixture
def alfa(db):
    return tenant_create("ALFA3X", 4101)


def _url(name, tenant):
    integration = tenant.first(Integration)
    args = {
        "settings": [integration.pk],
        "disconnect": [integration.pk],
        "remove": [integration.pk],
        "move-up": [integration.pk],
        "warehouses": [integration.pk],
        "sync-schedules": [integration.pk],
        "sync": [integration.pk],
        "orders": [integration.pk],
        "orders-needs-fixing": [integration.pk],
        "sync-run": [tenant.first("SyncRun").pk],
        "order-run": [tenant.first(OrderPushRun).pk],
        "order-run-status": [tenant.first(OrderPushRun).pk],
        "order-run-retry": [tenant.first(OrderPushRun).pk],
        "delivery-timeline": [tenant.first("DeliveryOrder").pk],
        "mirror": [integration.pk, "parcels"],
        "mirror-default": ["parcels"],
        "report": [integration.pk, "parcels"],
        "report-default": ["parcels"],
        "report-parcel": [integration.pk, tenant.first("Parcel").pk],
        "report-return": [integration.pk, tenant.first("Return").pk],
        "invoice-items": [
            integration.pk,
            tenant.first("Invoice").pk,
        ],
        "webhook-event": [tenant.first(WebhookEvent).pk],
        "webhook-replay": [tenant.first(WebhookEvent).pk],
        "labels-file": [tenant.first("Label").pk, "pdf"],
        "labels-shipment-pdf": [tenant.first("Shipment").pk, "labels"],
        "api-call": [tenant.first("ApiCall").pk],
    }
    for label_route in (
        "labels-delivery",
        "labels-delivery-status",
        "labels-create",
        "delivery-service-point",
        "labels-delivery-section",
    ):
        args[label_route] = [tenant.first("DeliveryOrder").pk]
    args["labels-cancel"] = args["labels-create"]
    for job_route in ("labels-job", "labels-job-status", "labels-job-retry", "labels-job-merged"):
        args[job_route] = [tenant.first("LabelJob").pk]
    args["sync-run-progress"] = args["sync-run"]
    args["returns-delivery"] = args["returns-create"] = args["labels-create"]
    for return_route in ("return", "return-label", "return-email", "return-cancel", "return-book"):
        args[return_route] = [tenant.first("Return").pk]
    return reverse(f"sendcloud:{name}", args=args.get(name, []))


def test_every_sendcloud_route_has_its_permissions_listed_here():
    names = {r.name.removeprefix("sendcloud:") for r in routes() if r.name.startswith("sendcloud:")}
    assert names - {"webhook"} == {name for name, _method in PAGES}


@pytest.mark.parametrize("role", [READ, SHIP, MANAGE, ""])
def test_each_role_reaches_exactly_the_sendcloud_pages_of_its_permissions(alfa, role):
    client = Client()
    client.force_login(alfa.users[role])
    wrong = []
    for (name, method), allowed in PAGES.items():
        may = role in allowed
        if may and (name, method) in NOT_EXECUTED:
            continue
        response = getattr(client, method)(_url(name, alfa))
        if may and response.status_code == 403 or not may and response.status_code != 403:
            wrong.append(f"{method.upper()} {name}: {response.status_code}")
    assert not wrong, f"role {role or '(none)'}: " + ", ".join(wrong)


def test_a_staff_user_without_a_role_sees_no_sendcloud_page_and_starts_no_sync(alfa):
    client = Client()
    client.force_login(alfa.users[""])
    integration = alfa.first(Integration)
    for url in (
        reverse("sendcloud:setup"),
        reverse("sendcloud:keys"),
        reverse("sendcloud:disconnect", args=[integration.pk]),
        reverse("sendcloud:settings", args=[integration.pk]),
        reverse("sendcloud:webhook-inbox"),
        reverse("sendcloud:api-calls"),
        reverse("sendcloud:report", args=[integration.pk, "parcels"]),
        reverse("sendcloud:report-api-calls"),
        reverse("sendcloud:warehouses", args=[integration.pk]),
    ):
        assert client.get(url).status_code == 403, url
    start = client.post(
        reverse("sendcloud:sync", args=[integration.pk]), {"object_types": ["parcels"]}
    )
    assert start.status_code == 403
    assert integration.sync_runs.count() == 1  # the world's own, none started


@pytest.mark.parametrize(
    ("role", "change", "view"),
    [(READ, 403, 200), (SHIP, 403, 200), (MANAGE, 302, 200), ("", 403, 403)],
)
def test_back_office_admin_follows_the_role(alfa, role, change, view):
    client = Client()
    client.force_login(alfa.users[role])
    warehouse = WarehouseFactory(company=alfa.company)  # nothing refers to it: deletable
    url = reverse("admin:inventory_warehouse_change", args=[warehouse.pk])
    assert client.get(url).status_code == view
    response = client.post(
        reverse("admin:inventory_warehouse_delete", args=[warehouse.pk]), {"post": "yes"}
    )
    assert response.status_code == change


def test_roles_are_groups_with_the_documented_permissions():
    from django.contrib.auth.models import Group

    def perms(name):
        group = Group.objects.get(name=name)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    assert perms(READ) == set(roles.ROLES[READ])
    assert roles.VIEW_SENDCLOUD in perms(READ) and roles.RUN_SYNC not in perms(READ)
    assert {roles.PUSH_ORDERS, roles.RUN_SYNC, roles.CREATE_LABELS} <= perms(SHIP)
    assert roles.MANAGE_INTEGRATION not in perms(SHIP)
    assert perms(SHIP) < perms(MANAGE)
    assert {roles.MANAGE_INTEGRATION, "companies.change_user"} <= perms(MANAGE)
