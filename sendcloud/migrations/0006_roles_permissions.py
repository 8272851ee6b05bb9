# The Sendcloud permissions and the roles Versand, Verwaltung and Lesen (as groups).

from django.db import migrations

from backoffice.companies.roles import roles_sync


def roles_create(apps, schema_editor):
    roles_sync(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("companies", "0001_initial"),
        ("inventory", "0001_initial"),
        ("sales", "0001_initial"),
        ("sendcloud", "0005_orderoutbox_version_orderpushevent_and_more"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="integration",
            options={
                "ordering": ["position", "id"],
                "permissions": [
                    ("view_sendcloud", "Can see the Sendcloud pages, lists, runs and logs"),
                    ("create_labels", "Can create and cancel Sendcloud labels"),
                    ("push_orders", "Can push orders to Sendcloud"),
                    ("run_sync", "Can start a Sendcloud sync"),
                    (
                        "manage_integration",
                        "Can configure the Sendcloud integration (link, keys, settings, "
                        "warehouses)",
                    ),
                ],
                "verbose_name": "Sendcloud integration",
                "verbose_name_plural": "Sendcloud integrations",
            },
        ),
        migrations.RunPython(roles_create, migrations.RunPython.noop),
    ]
