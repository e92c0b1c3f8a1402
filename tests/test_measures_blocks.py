"""Score blocks (measures.blocks) always equal the per-row scores and answers they copy, and
insight's bulk read (stored.scored_answers) reads them."""

from __future__ import annotations

import importlib
import threading
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alongside.audit.log import Actor
from alongside.measures import blocks, services
from alongside.measures.definitions import current_version
from alongside.measures.fhir import export_response, import_response
from alongside.measures.models import (
    Instrument,
    QuestionnaireVersion,
    Response,
    Score,
    ScoreBlock,
)
from alongside.measures.stored import FLOAT, answer_order, scored_answers
from tests.personas import Persona, World

CHIME = {"connectedness": 6, "hope": 8, "identity": 5, "meaning": 7, "empowerment": 9}


def _version(code: str = "chime_checkin") -> QuestionnaireVersion:
    found = current_version(Instrument.objects.get(code=code))
    assert found is not None
    return found


def _person(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def _answers(index: int) -> dict[str, int]:
    """Varied answers, some with an item left out (scored by prorating, or not complete)."""
    answers = {
        code: (value + index * (k + 1)) % 11 for k, (code, value) in enumerate(CHIME.items())
    }
    if index % 4 == 3:
        del answers["hope"]
    return answers


def _save_many(world: World, version: QuestionnaireVersion, count: int) -> list[Response]:
    """``count`` responses by p1, each with different answers, in order."""
    return [
        services.submit_response(_person(world), world.p1, version, _answers(i))
        for i in range(count)
    ]


def _in_blocks(version: QuestionnaireVersion) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The version's blocks concatenated: response ids, score matrix, answer matrix."""
    ids: list[int] = []
    scores: list[bytes] = []
    answers: list[bytes] = []
    for block in ScoreBlock.objects.filter(version=version).order_by("number"):
        assert block.scale_codes.split() == blocks.scale_codes(version.scoring)
        held = np.frombuffer(bytes(block.response_ids), dtype="<i8").tolist()
        assert len(held) == block.count
        ids += held
        scores.append(bytes(block.scores))
        answers.append(bytes(block.answers))
    codes = blocks.scale_codes(version.scoring)
    width = len(answer_order(version.scoring))
    return (
        ids,
        np.frombuffer(b"".join(scores), dtype=FLOAT).reshape(-1, len(codes)),
        np.frombuffer(b"".join(answers), dtype=FLOAT).reshape(-1, width),
    )


def _assert_blocks_equal_rows(version: QuestionnaireVersion) -> None:
    """Checked here by hand from the ORM rows, independently of blocks.blocks_equal_rows."""
    ids, scores, answers = _in_blocks(version)
    expected_ids = sorted(Response.objects.filter(version=version).values_list("pk", flat=True))
    assert sorted(ids) == expected_ids
    codes = blocks.scale_codes(version.scoring)
    for row, pk in enumerate(ids):
        response = Response.objects.get(pk=pk)
        stored = np.frombuffer(bytes(response.answer_values), dtype=FLOAT)
        assert np.array_equal(answers[row], stored, equal_nan=True), pk
        values = dict(Score.objects.filter(response_id=pk).values_list("scale", "value"))
        wanted = [np.nan if values.get(code) is None else values[code] for code in codes]
        assert np.array_equal(scores[row], wanted, equal_nan=True), pk
    assert blocks.blocks_equal_rows(version.pk)


def _row_level_read(version: QuestionnaireVersion, scale: str) -> list[tuple[list[float], float]]:
    """What scored_answers must give, computed from the ORM rows: complete responses only."""
    rules = version.scoring
    order = answer_order(rules)
    items = next(s["items"] for s in rules["scales"] if s["code"] == scale)
    found = []
    for score in Score.objects.filter(response__version=version, scale=scale).select_related(
        "response"
    ):
        row = np.frombuffer(bytes(score.response.answer_values), dtype=FLOAT)
        picked = [float(row[order.index(link_id)]) for link_id in items]
        if score.value is not None and not np.isnan(picked).any():
            found.append((picked, score.value))
    return sorted(found)


def test_many_saves_across_block_boundaries_equal_the_rows(
    world: World, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 3)
    version = _version()
    saved = _save_many(world, version, 8)
    counts = list(
        ScoreBlock.objects.filter(version=version).order_by("number").values_list("number", "count")
    )
    assert counts == [(0, 3), (1, 3), (2, 2)]
    ids = _in_blocks(version)[0]
    assert ids == [response.pk for response in saved]  # in the order they were saved
    _assert_blocks_equal_rows(version)
    matrix, values = scored_answers(version.instrument_id, "overall")
    assert sorted(zip(matrix.tolist(), values.tolist(), strict=True)) == _row_level_read(
        version, "overall"
    )
    assert len(values) == 6  # two of the eight left "hope" out


def test_saving_the_same_answers_twice_gives_two_entries_and_an_import_once(
    world: World, db: None
) -> None:
    version = _version()
    first = services.submit_response(_person(world), world.p1, version, CHIME)
    second = services.submit_response(_person(world), world.p1, version, CHIME)
    ids, scores, _answers = _in_blocks(version)
    assert ids[-2:] == [first.pk, second.pk]
    assert np.array_equal(scores[-1], scores[-2])
    _assert_blocks_equal_rows(version)
    # The same FHIR response imported twice: refused the second time, one entry in the blocks.
    data = export_response(first)
    data["id"] = "0b7c7e49-64c2-4a8e-9d0e-3d1f1f0e0c11"
    imported = import_response(_person(world), dict(data), world.p1)
    with pytest.raises(Exception, match="already been imported"):
        import_response(_person(world), dict(data), world.p1)
    ids = _in_blocks(version)[0]
    assert ids.count(imported.pk) == 1
    _assert_blocks_equal_rows(version)


def test_a_deleted_or_corrected_response_rewrites_its_block(
    world: World, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 2)
    version = _version()
    saved = _save_many(world, version, 5)
    # Deleting a response through the ORM (its scores go with it): its block no longer holds it.
    Response.objects.get(pk=saved[1].pk).delete()
    ids = _in_blocks(version)[0]
    assert saved[1].pk not in ids
    assert ScoreBlock.objects.get(version=version, number=0).count == 1
    _assert_blocks_equal_rows(version)
    # A corrected score.
    row = Score.objects.get(response=saved[2], scale="overall")
    row.value = 1.25
    row.save()
    _assert_blocks_equal_rows(version)
    # Corrected answers.
    response = Response.objects.get(pk=saved[3].pk)
    changed = np.frombuffer(bytes(response.answer_values), dtype=FLOAT).copy()
    changed[0] = 10.0
    response.answer_values = changed.tobytes()
    response.save()
    _assert_blocks_equal_rows(version)
    # A deleted score row: NaN in its block.
    Score.objects.filter(response=saved[4], scale="hope").delete()
    _assert_blocks_equal_rows(version)
    # The next save still goes to the last block.
    services.submit_response(_person(world), world.p1, version, CHIME)
    _assert_blocks_equal_rows(version)


def test_an_update_that_sends_no_signal_is_found_and_mended_by_the_command(
    world: World, db: None
) -> None:
    version = _version()
    response = services.submit_response(_person(world), world.p1, version, CHIME)
    call_command("measures", "rebuild-blocks", "--check", stdout=StringIO())
    Score.objects.filter(response=response, scale="hope").update(value=0.5)
    assert not blocks.blocks_equal_rows(version.pk)
    with pytest.raises(CommandError, match="differ from the rows"):
        call_command("measures", "rebuild-blocks", "--check", stdout=StringIO())
    call_command("measures", "rebuild-blocks", stdout=StringIO())
    _assert_blocks_equal_rows(version)
    call_command("measures", "rebuild-blocks", "--check", stdout=StringIO())


def test_two_versions_side_by_side_each_have_their_own_blocks(
    world: World, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 2)
    first = _version()
    second = QuestionnaireVersion.objects.create(
        instrument=first.instrument,
        version="test-2",
        questionnaire=first.questionnaire,
        scoring=first.scoring,
    )
    for i in range(7):
        services.submit_response(_person(world), world.p1, first if i % 2 else second, _answers(i))
    for version in (first, second):
        _assert_blocks_equal_rows(version)
    assert ScoreBlock.objects.filter(version=second).count() == 2  # 4 responses
    assert ScoreBlock.objects.filter(version=first).count() == 2  # 3 responses
    matrix, values = scored_answers(first.instrument_id, "overall")
    both = sorted(_row_level_read(first, "overall") + _row_level_read(second, "overall"))
    assert sorted(zip(matrix.tolist(), values.tolist(), strict=True)) == both


def test_no_responses_means_no_blocks_and_an_empty_read(world: World, db: None) -> None:
    version = _version("chime_checkin")
    Response.objects.filter(version=version).delete()
    ScoreBlock.objects.filter(version=version).delete()
    assert blocks.blocks_equal_rows(version.pk)
    matrix, values = scored_answers(version.instrument_id, "overall")
    assert matrix.shape == (0, 5)
    assert values.shape == (0,)
    assert blocks.rebuild([version.pk]) == 0


def test_the_migration_builds_blocks_equal_to_the_rows_saved_before(
    world: World, db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = _version()
    for i in range(5):
        services.submit_response(_person(world), world.p1, version, _answers(i))
    ScoreBlock.objects.all().delete()
    assert not blocks.blocks_equal_rows(version.pk)
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 2)
    settings.MIGRATION_MODULES = {}  # the real migrations (the test database was built without)
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(("measures", "0010_score_blocks")).apps
    migration = importlib.import_module("alongside.measures.migrations.0010_score_blocks")
    migration.forwards(apps, None)
    assert ScoreBlock.objects.filter(version=version).count() == 3
    _assert_blocks_equal_rows(version)


def test_two_saves_at_once_both_land_in_the_blocks(
    transactional_db: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL's row locks")
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 3)  # new blocks are opened during the races
    version = _version()
    actors = [_person(world), Actor(world.users[Persona.KEY_WORKER], "key_worker")]
    failures: list[BaseException] = []
    for round_ in range(12):
        barrier = threading.Barrier(2)

        def save(index: int, round_: int = round_, barrier: threading.Barrier = barrier) -> None:
            try:
                barrier.wait()
                services.submit_response(actors[index], world.p1, version, _answers(round_ + index))
            except BaseException as problem:  # reported below
                failures.append(problem)
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert Response.objects.filter(version=version).count() == 24
    ids = _in_blocks(version)[0]
    assert len(ids) == 24
    numbers = list(
        ScoreBlock.objects.filter(version=version).order_by("number").values_list("number", "count")
    )
    assert numbers == [(n, 3) for n in range(8)]
    _assert_blocks_equal_rows(version)
