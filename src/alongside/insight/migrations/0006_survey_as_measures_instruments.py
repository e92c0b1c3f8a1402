"""The recovery-orientation survey's two versions become measures instruments, so a unit's team
leader can schedule them through the measures schedules (``measures.UnitSchedule``)."""

from django.db import migrations


def load(apps, schema_editor):
    from alongside.insight.survey import register_instruments

    register_instruments(
        (apps.get_model("measures", "Instrument"), apps.get_model("measures", "QuestionnaireVersion"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0005_indicator_group_rollups"),
        ("measures", "0008_unit_schedules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
