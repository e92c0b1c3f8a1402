"""Load the reference frameworks (CHIME, practice themes, recovery steps) from the catalogue."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.frameworks.loader import sync_catalogue

    sync_catalogue(apps.get_model("frameworks", "Concept"))


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
