# Order push runs take the fields and states of the shared run lifecycle (sendcloud.models.runs):
# created_at becomes queued_at, "done" becomes "succeeded", and they get started/heartbeat times.

from django.db import migrations, models


def done_to_succeeded(apps, schema_editor):
    apps.get_model("sendcloud", "OrderPushRun").objects.filter(state="done").update(
        state="succeeded"
    )


def succeeded_to_done(apps, schema_editor):
    apps.get_model("sendcloud", "OrderPushRun").objects.filter(state="succeeded").update(
        state="done"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sendcloud", "0005_orderoutbox_version_orderpushevent_and_more"),
    ]

    operations = [
        migrations.RenameField(model_name="orderpushrun", old_name="created_at", new_name="queued_at"),
        migrations.AlterModelOptions(
            name="orderpushrun",
            options={
                "ordering": ["-queued_at", "-id"],
                "verbose_name": "order sync",
                "verbose_name_plural": "order syncs",
            },
        ),
        migrations.AlterField(
            model_name="orderpushrun",
            name="queued_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="queued"),
        ),
        migrations.AddField(
            model_name="orderpushrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
        ),
        migrations.AddField(
            model_name="orderpushrun",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started"),
        ),
        migrations.AlterField(
            model_name="orderpushrun",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("running", "running"),
                    ("succeeded", "succeeded"),
                    ("partial", "partly failed"),
                    ("failed", "failed"),
                ],
                db_index=True,
                default="queued",
                max_length=20,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(done_to_succeeded, succeeded_to_done),
        migrations.AlterField(
            model_name="syncrun",
            name="trigger",
            field=models.CharField(
                choices=[("manual", "manual"), ("schedule", "schedule"), ("cli", "command line")],
                max_length=20,
                verbose_name="trigger",
            ),
        ),
        # Object types are declared in the order a run syncs them.
        migrations.AlterField(
            model_name="syncstate",
            name="object_type",
            field=models.CharField(
                choices=[
                    ("brands", "brands"),
                    ("sender_addresses", "sender addresses"),
                    ("shipping_methods", "shipping methods"),
                    ("parcel_statuses", "parcel statuses"),
                    ("invoices", "invoices"),
                    ("returns", "returns"),
                    ("parcels", "parcels"),
                ],
                max_length=30,
            ),
        ),
    ]
