"""Load the shipped instruments (our own check-ins complete; licensed ones as structure only)."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.measures.definitions import sync_instruments

    sync_instruments(
        (apps.get_model("measures", "Instrument"), apps.get_model("measures", "QuestionnaireVersion"))
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
