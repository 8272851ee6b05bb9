from django.contrib import admin
from django.urls import path

from .views import inbox, integration, orders, warehouses
from .views import mirror as mirror_views
from .views import sync as sync_views
from .webhooks.views import webhook_endpoint

app_name = "sendcloud"


def staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("integration/", staff(integration.integration_overview), name="integration"),
    path(
        "integration/status.json", staff(integration.integration_status), name="integration-status"
    ),
    path("integration/setup/", staff(integration.integration_setup), name="setup"),
    path("integration/keys/", staff(integration.integration_keys), name="keys"),
    path(
        "integration/<int:pk>/settings/", staff(integration.integration_settings), name="settings"
    ),
    path(
        "integration/<int:pk>/disconnect/",
        staff(integration.integration_disconnect_view),
        name="disconnect",
    ),
    path("integration/<int:pk>/move-up/", staff(integration.integration_move), name="move-up"),
    path(
        "integration/<int:pk>/warehouses/",
        staff(warehouses.warehouses_configure),
        name="warehouses",
    ),
    path("integration/<int:pk>/orders/", staff(orders.orders_backfill), name="orders"),
    path(
        "integration/<int:pk>/orders/needs-fixing/",
        staff(orders.orders_needs_fixing),
        name="orders-needs-fixing",
    ),
    path("orders/runs/<int:pk>/", staff(orders.order_run_detail), name="order-run"),
    path(
        "orders/runs/<int:pk>/status.json", staff(orders.order_run_status), name="order-run-status"
    ),
    path(
        "orders/runs/<int:pk>/retry-failed/",
        staff(orders.order_run_retry_failed),
        name="order-run-retry",
    ),
    path(
        "orders/delivery/<int:pk>/", staff(orders.delivery_order_timeline), name="delivery-timeline"
    ),
    path("integration/<int:pk>/sync/", staff(sync_views.sync_page), name="sync"),
    path(
        "integration/<int:pk>/sync/schedules/",
        staff(sync_views.sync_schedules),
        name="sync-schedules",
    ),
    path("sync/runs/<int:pk>/", staff(sync_views.sync_run_detail), name="sync-run"),
    path(
        "sync/runs/<int:pk>/progress.json",
        staff(sync_views.sync_run_progress),
        name="sync-run-progress",
    ),
    path(
        "integration/<int:pk>/mirror/<slug:kind>/",
        staff(mirror_views.mirror_list),
        name="mirror",
    ),
    path("mirror/<slug:kind>/", staff(mirror_views.mirror_default), name="mirror-default"),
    path(
        "integration/<int:pk>/mirror/invoices/<int:invoice_pk>/items/",
        staff(mirror_views.invoice_items),
        name="invoice-items",
    ),
    path("webhooks/", staff(inbox.webhook_inbox), name="webhook-inbox"),
    path("webhooks/<int:pk>/", staff(inbox.webhook_event_detail), name="webhook-event"),
    path(
        "webhooks/<int:pk>/replay/", staff(inbox.webhook_event_replay_view), name="webhook-replay"
    ),
    path("api-calls/", staff(inbox.api_call_log), name="api-calls"),
    path("webhook/<str:token>/", webhook_endpoint, name="webhook"),
]
