"""Load the Recovery Self-Assessment's four versions (structure only, like the other licensed
measures); sync is idempotent, so the instruments already loaded are left as they are."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.measures.definitions import sync_instruments

    sync_instruments(
        (apps.get_model("measures", "Instrument"), apps.get_model("measures", "QuestionnaireVersion"))
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0006_phq9_risk_item")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
