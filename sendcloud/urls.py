"""The Sendcloud pages; each route names the permission its reading and its acting need."""

from django.urls import path

from .views import (
    dashboard,
    inbox,
    integration,
    labels,
    orders,
    packing,
    printing,
    reports,
    returns,
    service_points,
    warehouses,
)
from .views import mirror as mirror_views
from .views import sync as sync_views
from .views.access import (
    CREATE_LABELS,
    MANAGE_INTEGRATION,
    PUSH_ORDERS,
    RUN_SYNC,
    VIEW_SENDCLOUD,
    guarded,
)
from .views.base import of_default_integration
from .webhooks.views import webhook_endpoint

app_name = "sendcloud"


def reading(view):
    """Pages to look at (and POSTs that only fetch for the eye) need view_sendcloud."""
    return guarded(view, VIEW_SENDCLOUD)


def configuring(view):
    """Setup, keys, settings, Trennen, warehouses, schedules: manage_integration throughout."""
    return guarded(view, MANAGE_INTEGRATION)


urlpatterns = [
    path("integration/", reading(integration.integration_overview), name="integration"),
    path(
        "integration/status.json",
        reading(integration.integration_status),
        name="integration-status",
    ),
    path("integration/setup/", configuring(integration.integration_setup), name="setup"),
    path("integration/keys/", configuring(integration.integration_keys), name="keys"),
    path(
        "integration/<int:pk>/settings/",
        configuring(integration.integration_settings),
        name="settings",
    ),
    path(
        "integration/<int:pk>/disconnect/",
        configuring(integration.integration_disconnect_view),
        name="disconnect",
    ),
    path(
        "integration/<int:pk>/remove/",
        configuring(integration.integration_remove_view),
        name="remove",
    ),
    path(
        "integration/<int:pk>/move-up/", configuring(integration.integration_move), name="move-up"
    ),
    path(
        "integration/<int:pk>/warehouses/",
        configuring(warehouses.warehouses_configure),
        name="warehouses",
    ),
    path(
        "integration/<int:pk>/orders/",
        guarded(orders.orders_backfill, VIEW_SENDCLOUD, PUSH_ORDERS),
        name="orders",
    ),
    path(
        "integration/<int:pk>/orders/needs-fixing/",
        reading(orders.orders_needs_fixing),
        name="orders-needs-fixing",
    ),
    path("orders/runs/<int:pk>/", reading(orders.order_run_detail), name="order-run"),
    path(
        "orders/runs/<int:pk>/status.json",
        reading(orders.order_run_status),
        name="order-run-status",
    ),
    path(
        "orders/runs/<int:pk>/retry-failed/",
        guarded(orders.order_run_retry_failed, PUSH_ORDERS),
        name="order-run-retry",
    ),
    path(
        "orders/delivery/<int:pk>/",
        reading(orders.delivery_order_timeline),
        name="delivery-timeline",
    ),
    path(
        "integration/<int:pk>/sync/",
        guarded(sync_views.sync_page, VIEW_SENDCLOUD, RUN_SYNC),
        name="sync",
    ),
    path(
        "integration/sync/schedules/",
        configuring(of_default_integration("sendcloud:sync-schedules")),
        name="default-sync-schedules",
    ),
    path(
        "integration/<int:pk>/sync/schedules/",
        configuring(sync_views.sync_schedules),
        name="sync-schedules",
    ),
    path("sync/runs/<int:pk>/", reading(sync_views.sync_run_detail), name="sync-run"),
    path(
        "sync/runs/<int:pk>/progress.json",
        reading(sync_views.sync_run_progress),
        name="sync-run-progress",
    ),
    path(
        "integration/<int:pk>/mirror/<slug:kind>/",
        reading(reports.old_mirror_list),  # reports answer here with a 301 to Berichte
        name="mirror",
    ),
    path("mirror/<slug:kind>/", reading(reports.old_mirror_default), name="mirror-default"),
    path(
        "integration/<int:pk>/mirror/invoices/<int:invoice_pk>/items/",
        guarded(mirror_views.invoice_items, VIEW_SENDCLOUD, RUN_SYNC),
        name="invoice-items",
    ),
    path(
        "webhooks/",
        reading(reports.moved_permanently("sendcloud:report-webhooks")),
        name="webhook-inbox",
    ),
    path("webhooks/<int:pk>/", reading(inbox.webhook_event_detail), name="webhook-event"),
    path(
        "webhooks/<int:pk>/replay/",
        guarded(inbox.webhook_event_replay_view, VIEW_SENDCLOUD, MANAGE_INTEGRATION),
        name="webhook-replay",
    ),
    path(
        "api-calls/",
        reading(reports.moved_permanently("sendcloud:report-api-calls")),
        name="api-calls",
    ),
    # Berichte → Lager → Sendcloud: Brands, Pakete, Retouren, Rechnungen, Aktions-Logging.
    path("reports/dashboard/", reading(dashboard.sendcloud_dashboard), name="dashboard"),
    path("reports/log/", reading(reports.api_call_log), name="report-api-calls"),
    path("reports/log/webhooks/", reading(inbox.webhook_inbox), name="report-webhooks"),
    path("reports/<slug:kind>/", reading(reports.report_default), name="report-default"),
    path("reports/<int:pk>/<slug:kind>/", reading(reports.report_list), name="report"),
    path(
        "reports/<int:pk>/parcels/<int:parcel_pk>/",
        reading(reports.report_parcel),
        name="report-parcel",
    ),
    path(
        "reports/<int:pk>/returns/<int:return_pk>/",
        reading(reports.report_return),
        name="report-return",
    ),
    path("api-calls/<int:pk>/", reading(inbox.api_call_detail), name="api-call"),
    # Versandlabels: looking needs view_sendcloud, creating/cancelling/retrying create_labels.
    path("labels/", reading(labels.labels_worklist), name="labels-worklist"),
    path("labels/delivery/<int:pk>/", reading(labels.delivery_labels), name="labels-delivery"),
    path(
        "labels/delivery/<int:pk>/status.json",
        reading(labels.delivery_labels_status),
        name="labels-delivery-status",
    ),
    path(
        "labels/delivery/<int:pk>/section/",
        reading(labels.delivery_labels_section),
        name="labels-delivery-section",
    ),
    path(
        "labels/delivery/<int:pk>/create/",
        guarded(labels.delivery_label_create, VIEW_SENDCLOUD, CREATE_LABELS),
        name="labels-create",
    ),
    path(
        "labels/delivery/<int:pk>/cancel/",
        guarded(labels.delivery_label_cancel, VIEW_SENDCLOUD, CREATE_LABELS),
        name="labels-cancel",
    ),
    path(
        "labels/delivery/<int:pk>/service-point/",
        guarded(service_points.delivery_service_point, VIEW_SENDCLOUD, CREATE_LABELS),
        name="delivery-service-point",
    ),
    path("labels/files/<int:pk>/<slug:kind>/", reading(labels.label_file), name="labels-file"),
    path(
        "labels/shipments/<int:pk>/<slug:kind>.pdf",
        reading(printing.shipment_print_file),
        name="labels-shipment-pdf",
    ),
    path("labels/printed/", guarded(labels.labels_printed, CREATE_LABELS), name="labels-printed"),
    path("labels/jobs/<int:pk>/", reading(labels.label_job_detail), name="labels-job"),
    path(
        "labels/jobs/<int:pk>/status.json",
        reading(labels.label_job_status),
        name="labels-job-status",
    ),
    path(
        "labels/jobs/<int:pk>/retry-failed/",
        guarded(labels.label_job_retry, CREATE_LABELS),
        name="labels-job-retry",
    ),
    path(
        "labels/jobs/<int:pk>/labels.pdf",
        reading(labels.label_job_merged),
        name="labels-job-merged",
    ),
    # Packplatz: scanning, labels and prints need create_labels (Versand, Verwaltung), reading too.
    path("packing/", guarded(packing.packing_page, CREATE_LABELS), name="packing"),
    path(
        "packing/station/",
        guarded(packing.packing_station_choose, CREATE_LABELS),
        name="packing-station",
    ),
    path("packing/scan/", guarded(packing.packing_scan_view, CREATE_LABELS), name="packing-scan"),
    path("packing/ship/", guarded(packing.packing_ship_view, CREATE_LABELS), name="packing-ship"),
    path(
        "packing/reprint/",
        guarded(packing.packing_reprint_view, CREATE_LABELS),
        name="packing-reprint",
    ),
    path("packing/undo/", guarded(packing.packing_undo_view, CREATE_LABELS), name="packing-undo"),
    # Retouren: looking needs view_sendcloud; creating, e-mailing, cancelling and booking
    # create_labels.
    path("returns/", reading(returns.open_returns), name="returns-open"),
    path("returns/delivery/<int:pk>/", reading(returns.delivery_returns), name="returns-delivery"),
    path(
        "returns/delivery/<int:pk>/create/",
        guarded(returns.return_create, VIEW_SENDCLOUD, CREATE_LABELS),
        name="returns-create",
    ),
    path("returns/<int:pk>/", reading(returns.return_detail), name="return"),
    path("returns/<int:pk>/label.pdf", reading(returns.return_label), name="return-label"),
    path(
        "returns/<int:pk>/email/",
        guarded(returns.return_email, VIEW_SENDCLOUD, CREATE_LABELS),
        name="return-email",
    ),
    path(
        "returns/<int:pk>/cancel/",
        guarded(returns.return_cancel_view, VIEW_SENDCLOUD, CREATE_LABELS),
        name="return-cancel",
    ),
    path(
        "returns/<int:pk>/book/",
        guarded(returns.retoure_book_view, VIEW_SENDCLOUD, CREATE_LABELS),
        name="return-book",
    ),
    # Sendcloud calls this one; it proves itself by the token and the signature, not a login.
    path("webhook/<str:token>/", webhook_endpoint, name="webhook"),
]
