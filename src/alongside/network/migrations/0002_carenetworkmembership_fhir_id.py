"""FHIR logical ids: a random UUID on each row (never the database key); existing rows get
distinct ones."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    for model_name in ("carenetworkmembership",):
        model = apps.get_model("network", model_name)
        for pk in model.objects.filter(fhir_id__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(fhir_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [
        migrations.AddField("carenetworkmembership", "fhir_id", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            "carenetworkmembership",
            "fhir_id",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
