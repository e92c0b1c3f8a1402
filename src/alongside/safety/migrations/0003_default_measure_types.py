"""Load the default national taxonomy of restrictive measures."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.safety.restrictive import sync_default_measure_types

    sync_default_measure_types(apps.get_model("safety", "MeasureType"))


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_measuretype_restrictiveepisode_debrief_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
