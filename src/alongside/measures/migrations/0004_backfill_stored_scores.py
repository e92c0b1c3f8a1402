"""Existing responses get their typed Score rows and packed answers, from what was stored when
they were saved (the JSON scores are not recomputed: they are what the person was shown)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from alongside.measures.engine import answers_from_items
from alongside.measures.stored import pack_answers, score_fields

BATCH = 2000


def forwards(apps: Any, schema_editor: Any) -> None:
    Response = apps.get_model("measures", "Response")
    Score = apps.get_model("measures", "Score")
    rules_of: dict[int, Any] = {}
    last = 0
    while True:
        batch = list(
            Response.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "person_id", "instrument_id", "version_id", "authored_at", "items", "scores")[
                :BATCH
            ]
        )
        if not batch:
            return
        scores = []
        for response in batch:
            if response.version_id not in rules_of:
                version = apps.get_model("measures", "QuestionnaireVersion").objects.get(
                    pk=response.version_id
                )
                rules_of[response.version_id] = version.scoring
            packed = pack_answers(rules_of[response.version_id], answers_from_items(response.items))
            Response.objects.filter(pk=response.pk).update(answer_values=packed)
            scores.extend(
                Score(
                    response_id=response.pk,
                    person_id=response.person_id,
                    instrument_id=response.instrument_id,
                    answered_at=response.authored_at,
                    **fields,
                )
                for fields in score_fields(response.scores)
            )
        Score.objects.bulk_create(scores, ignore_conflicts=True)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("measures", "0003_stored_scores")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
