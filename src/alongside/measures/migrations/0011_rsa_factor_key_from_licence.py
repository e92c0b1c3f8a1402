"""Version 3 of the Recovery Self-Assessment's four versions: the shipped score is the total; the
five factors are declared without their items, which the licence holder gives with the wording
(``measures/licensed_scales.py``, docs/measures-wording.md). Versions 1 and 2 carried an item key
that could not be checked, so they are retired: their responses and scores stay as they were, and
new answers use version 3 once its wording and key are loaded. Sync is idempotent."""

from __future__ import annotations

from typing import Any

from django.db import migrations

RSA = ("rsa_person", "rsa_provider", "rsa_family", "rsa_administrator")


def forwards(apps: Any, schema_editor: Any) -> None:
    from alongside.measures.definitions import sync_instruments

    instrument, version = (
        apps.get_model("measures", "Instrument"),
        apps.get_model("measures", "QuestionnaireVersion"),
    )
    sync_instruments((instrument, version))
    version.objects.filter(instrument__code__in=RSA, version__in=["1", "2"]).update(
        status="retired"
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0010_score_blocks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
