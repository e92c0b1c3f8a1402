"""Load the default discharge checklist items."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.discharge.defaults import sync_default_items

    sync_default_items(apps.get_model("discharge", "ChecklistItemTemplate"))


class Migration(migrations.Migration):
    dependencies = [("discharge", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
