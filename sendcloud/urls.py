from django.contrib import admin
from django.urls import path

from .views.integration import integration_overview

app_name = "sendcloud"

urlpatterns = [
    path("integration/", admin.site.admin_view(integration_overview), name="integration"),
]
