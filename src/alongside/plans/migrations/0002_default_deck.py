"""Load the default "What matters to me" card deck."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.plans.deck_loader import sync_default_deck

    sync_default_deck(apps.get_model("plans", "DeckCard"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
