from django.contrib import admin
from django.urls import path

from .views import inbox, integration, warehouses
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
    path("integration/<int:pk>/warehouses/", staff(warehouses.warehouses_configure),
         name="warehouses"),
    path("webhooks/", staff(inbox.webhook_inbox), name="webhook-inbox"),
    path("webhooks/<int:pk>/", staff(inbox.webhook_event_detail), name="webhook-event"),
    path(
        "webhooks/<int:pk>/replay/", staff(inbox.webhook_event_replay_view), name="webhook-replay"
    ),
    path("api-calls/", staff(inbox.api_call_log), name="api-calls"),
    path("webhook/<str:token>/", webhook_endpoint, name="webhook"),
]
