"""PHQ-9 version 1 gains its risk item (item 9, an answer of 1 or more) in its scoring data.

A published version never changes its scores, and this does not: ``risk_items`` only says which
answer raises a risk alert (``alongside.alerts``). The shipped file already holds it, so a new
database loads it in 0002 and this changes nothing there; an existing one is brought level with
the file, and ``alongside measures sync`` stays a no-op.
"""

from django.db import migrations

RISK_ITEMS = [{"code": "self_harm_thoughts", "item": "q9", "at_least": 1}]


def add(apps, schema_editor):
    version_model = apps.get_model("measures", "QuestionnaireVersion")
    for version in version_model.objects.filter(instrument__code="phq9", version="1"):
        scoring = dict(version.scoring)
        if scoring.get("risk_items") != RISK_ITEMS:
            scoring["risk_items"] = RISK_ITEMS
            version.scoring = scoring
            version.save(update_fields=["scoring"])


def remove(apps, schema_editor):
    version_model = apps.get_model("measures", "QuestionnaireVersion")
    for version in version_model.objects.filter(instrument__code="phq9", version="1"):
        scoring = dict(version.scoring)
        if scoring.pop("risk_items", None) is not None:
            version.scoring = scoring
            version.save(update_fields=["scoring"])


class Migration(migrations.Migration):
    dependencies = [("measures", "0005_reliability_estimates")]

    operations = [migrations.RunPython(add, remove)]
