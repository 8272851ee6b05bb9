"""Roles a retailer understands, as Django groups with permissions (see README, "Rollen").

The groups are created by a migration and kept in sync after every `migrate`: a role always
has exactly the permissions listed here. The installation operator (superuser) needs no role.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

SHIPPING = "Versand"
MANAGEMENT = "Verwaltung"
READING = "Lesen"

# Models of the back office a company works with: (app label, model name).
BUSINESS_MODELS = [
    ("inventory", "warehouse"),
    ("inventory", "product"),
    ("sales", "customer"),
    ("sales", "customeraddress"),
    ("sales", "shippingmethod"),
    ("sales", "salesorder"),
    ("sales", "salesorderline"),
    ("sales", "deliveryorder"),
    ("sales", "deliveryorderline"),
    ("sales", "package"),
    ("sendcloud", "warehousesenderaddress"),
    ("sendcloud", "shippingmethodoption"),
    ("sendcloud", "printer"),
    ("sendcloud", "packingstation"),
]

# The Sendcloud permissions, defined on sendcloud.Integration's Meta.
VIEW_SENDCLOUD = "sendcloud.view_sendcloud"
CREATE_LABELS = "sendcloud.create_labels"
PUSH_ORDERS = "sendcloud.push_orders"
RUN_SYNC = "sendcloud.run_sync"
MANAGE_INTEGRATION = "sendcloud.manage_integration"

# Print jobs are written by printing only; every role reads them (the printer page lists them).
_READ = [f"{app}.view_{model}" for app, model in BUSINESS_MODELS] + [
    VIEW_SENDCLOUD,
    "sendcloud.view_printjob",
]
_WRITE = [
    f"{app}.{action}_{model}"
    for app, model in BUSINESS_MODELS
    for action in ("add", "change", "delete")
]
_USERS = [f"companies.{action}_user" for action in ("view", "add", "change", "delete")]

ROLES: dict[str, list[str]] = {
    READING: _READ,
    SHIPPING: [*_READ, CREATE_LABELS, PUSH_ORDERS, RUN_SYNC],
    MANAGEMENT: [
        *_READ,
        CREATE_LABELS,
        PUSH_ORDERS,
        RUN_SYNC,
        MANAGE_INTEGRATION,
        *_WRITE,
        *_USERS,
    ],
}


def roles_sync(apps, using: str = "default") -> None:
    """Create the role groups and give each exactly the permissions of ROLES."""
    for app_config in apps.get_app_configs():
        # Permissions are normally created after the last migration; roles need them now.
        if getattr(app_config, "models_module", None) is None:
            app_config.models_module = True
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
            app_config.models_module = None
        else:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _created = group_model.objects.using(using).get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            found = (
                permission_model.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if found is None:
                if _model_exists(apps, app_label, codename.partition("_")[2]):
                    raise LookupError(f"no permission {code}")  # a typo in ROLES
                continue  # its model comes with a later migration; post_migrate syncs again
            wanted.append(found)
        group.permissions.set(wanted)


def _model_exists(apps, app_label: str, model_name: str) -> bool:
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


def roles_sync_after_migrate(sender, apps=global_apps, using="default", **kwargs):
    """post_migrate: keep the role groups in step with ROLES (also after a test flush)."""
    roles_sync(apps, using)
