"""Score blocks (``measures.ScoreBlock``, see ``measures/blocks.py``): the stored scores and
answers of up to 1,024 responses of a version packed into one row, for bulk reads. Existing
responses are packed into blocks from their rows (``blocks.rebuild``, the same code as
``alongside measures rebuild-blocks``)."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps: Any, schema_editor: Any) -> None:
    from alongside.measures.blocks import rebuild

    rebuild(
        models=(
            apps.get_model("measures", "ScoreBlock"),
            apps.get_model("measures", "Response"),
            apps.get_model("measures", "Score"),
            apps.get_model("measures", "QuestionnaireVersion"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0009_rsa_dont_know")]

    operations = [
        migrations.CreateModel(
            name="ScoreBlock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("count", models.PositiveIntegerField(default=0)),
                ("scale_codes", models.TextField(blank=True)),
                ("response_ids", models.BinaryField(default=b"")),
                ("scores", models.BinaryField(default=b"")),
                ("answers", models.BinaryField(default=b"")),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="measures.questionnaireversion",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "number"), name="one_score_block_number"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
