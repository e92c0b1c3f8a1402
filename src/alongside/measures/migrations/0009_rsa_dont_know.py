"""Load version 2 of the Recovery Self-Assessment's four versions: "D/K" (don't know) beside N/A,
both left out of the factor means. Version 1 stays as it was (a published version never changes);
sync is idempotent, so a database that already has version 2 is left as it is."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.measures.definitions import sync_instruments

    sync_instruments(
        (apps.get_model("measures", "Instrument"), apps.get_model("measures", "QuestionnaireVersion"))
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0008_unit_schedules")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
