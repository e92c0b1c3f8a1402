"""Load the default national taxonomy of restrictive measures."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.safety.restrictive import DEFAULT_MEASURE_TYPES

    model = apps.get_model("safety", "MeasureType")
    for code, en, da, ja in DEFAULT_MEASURE_TYPES:
        model.objects.update_or_create(
            organisation=None, code=code, defaults={"label_en": en, "label_da": da, "label_ja": ja}
        )


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_measuretype_restrictiveepisode_debrief_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
