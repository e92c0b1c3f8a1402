"""The catalogue's names in plain words where the person reads them (CHIME "Empowerment" is
now "Having a say"): upsert every concept from the catalogue again, by code."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.frameworks.loader import sync_catalogue

    sync_catalogue(apps.get_model("frameworks", "Concept"))


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0002_load_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
