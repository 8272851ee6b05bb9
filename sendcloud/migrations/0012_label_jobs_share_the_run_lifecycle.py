# Label jobs take the fields and states of the shared run lifecycle (sendcloud.models.runs):
# created_at becomes queued_at, "done" becomes "succeeded", and they get started/heartbeat times.

from django.db import migrations, models


def done_to_succeeded(apps, schema_editor):
    apps.get_model("sendcloud", "LabelJob").objects.filter(state="done").update(state="succeeded")


def succeeded_to_done(apps, schema_editor):
    apps.get_model("sendcloud", "LabelJob").objects.filter(
        state__in=["succeeded", "partial"]
    ).update(state="done")


class Migration(migrations.Migration):
    dependencies = [
        ("sendcloud", "0011_order_shipping_options"),
    ]

    operations = [
        migrations.RenameField(model_name="labeljob", old_name="created_at", new_name="queued_at"),
        migrations.AlterModelOptions(
            name="labeljob",
            options={
                "ordering": ["-queued_at", "-id"],
                "verbose_name": "label job",
                "verbose_name_plural": "label jobs",
            },
        ),
        migrations.AlterField(
            model_name="labeljob",
            name="queued_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="queued"),
        ),
        migrations.AddField(
            model_name="labeljob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
        ),
        migrations.AddField(
            model_name="labeljob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started"),
        ),
        migrations.AlterField(
            model_name="labeljob",
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
    ]
