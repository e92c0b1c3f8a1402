"""Scores are computed once, when a response is saved, into typed columns; answers are packed
for batch scoring without JSON."""

from __future__ import annotations

import importlib
import math
from typing import Any

import numpy as np
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import current_version
from alongside.measures.models import Instrument, QuestionnaireVersion, Response, Score
from alongside.measures.scoring import score_batch
from alongside.measures.stored import answer_order, pack_answers, scored_answers, unpack_answers
from tests.personas import Persona, World

CHIME = {"connectedness": 6, "hope": 8, "identity": 5, "meaning": 7, "empowerment": 9}


def _version(code: str) -> QuestionnaireVersion:
    found = current_version(Instrument.objects.get(code=code))
    assert found is not None
    return found


def _person(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def test_each_scale_is_stored_as_a_typed_row_equal_to_the_saved_scores(
    world: World, db: None
) -> None:
    first = services.submit_response(_person(world), world.p1, _version("chime_checkin"), CHIME)
    second = services.submit_response(
        _person(world), world.p1, _version("chime_checkin"), {**CHIME, "hope": 2}
    )
    for response in (first, second):
        rows = {row.scale: row for row in Score.objects.filter(response=response)}
        assert set(rows) == set(response.scores)
        for code, score in response.scores.items():
            assert rows[code].value == score["value"]
            assert rows[code].raw == score["raw"]
            assert rows[code].band == (score["band"] or "")
            assert rows[code].person_id == world.p1.pk
            assert rows[code].instrument_id == response.instrument_id
            assert rows[code].answered_at == response.authored_at
    hope = list(
        Score.objects.filter(person=world.p1, scale="hope")
        .order_by("answered_at", "id")
        .values_list("value", flat=True)
    )
    assert hope[-2:] == [8.0, 2.0]


def test_packed_answers_give_the_same_scores_as_the_engine(world: World, db: None) -> None:
    version = _version("chime_checkin")
    answered = [CHIME, {**CHIME, "hope": 1, "meaning": 0}]
    responses = [
        services.submit_response(_person(world), world.p1, version, answers) for answers in answered
    ]
    order = answer_order(version.scoring)
    stored = Response.objects.filter(pk__in=[r.pk for r in responses]).order_by("pk")
    matrix = unpack_answers((bytes(r.answer_values) for r in stored), len(order))
    assert matrix.shape == (2, len(order))
    for row, answers in zip(matrix, answered, strict=True):
        assert [row[order.index(k)] for k in CHIME] == [float(answers[k]) for k in CHIME]
    for scale in version.scoring["scales"]:
        columns = [order.index(str(link_id)) for link_id in scale["items"]]
        batch = score_batch(scale, matrix[:, columns])
        saved = [r.scores[scale["code"]]["value"] for r in responses]
        assert np.allclose(batch, [math.nan if v is None else v for v in saved], equal_nan=True)


def test_unanswered_items_pack_as_nan_and_nothing_answered_packs_all_nan() -> None:
    rules = {"scales": [{"code": "a", "items": ["x", "y"]}, {"code": "b", "items": ["y", "z"]}]}
    assert answer_order(rules) == ["x", "y", "z"]
    packed = unpack_answers([pack_answers(rules, {"y": 3, "z": "odd"})], 3)
    assert np.isnan(packed[0, 0])
    assert packed[0, 1] == 3.0
    assert np.isnan(packed[0, 2])
    assert np.isnan(unpack_answers([pack_answers(rules, {})], 3)).all()
    assert unpack_answers([], 3).shape == (0, 3)


def test_the_backfill_fills_scores_and_answers_of_responses_saved_before(
    world: World, db: None, settings: Any
) -> None:
    response = services.submit_response(_person(world), world.p1, _version("chime_checkin"), CHIME)
    Score.objects.filter(response=response).delete()
    Response.objects.filter(pk=response.pk).update(answer_values=b"")
    settings.MIGRATION_MODULES = {}  # the real migrations (the test database was built without)
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(("measures", "0004_backfill_stored_scores")).apps
    backfill = importlib.import_module("alongside.measures.migrations.0004_backfill_stored_scores")
    backfill.forwards(apps, None)
    assert Score.objects.filter(response=response).count() == len(response.scores)
    response.refresh_from_db()
    assert len(bytes(response.answer_values)) == 8 * len(answer_order(response.version.scoring))


def test_insight_reads_complete_responses_from_the_typed_scores_and_packed_answers(
    world: World, db: None
) -> None:
    version = _version("chime_checkin")
    complete = [CHIME, {**CHIME, "hope": 2, "meaning": 10}]
    for answers in complete:
        services.submit_response(_person(world), world.p1, version, answers)
    # One item unanswered: scored (prorated), but not complete, so not in the estimate.
    missing_one = services.submit_response(
        _person(world), world.p1, version, {k: v for k, v in CHIME.items() if k != "hope"}
    )
    assert missing_one.scores["overall"]["value"] is not None
    matrix, scores = scored_answers(version.instrument_id, "overall")
    assert matrix.shape == (2, 5)
    rows = sorted(zip(matrix.tolist(), scores.tolist(), strict=True))
    expected = sorted(
        ([float(answers[k]) for k in CHIME], sum(answers.values()) / 5) for answers in complete
    )
    assert rows == expected
    single, only = scored_answers(version.instrument_id, "hope")
    assert sorted(only.tolist()) == [2.0, 8.0]  # the response without hope has no hope score
    assert single.shape == (2, 1)
    assert scored_answers(version.instrument_id, "no_such_scale")[0].shape == (0, 0)
