"""Score blocks: the stored scores and answers of many responses packed into one row.

A ``ScoreBlock`` holds up to ``BLOCK_SIZE`` responses of one questionnaire version as packed
arrays (the layout is documented on the model). Reading a million scores is then a few hundred
rows turned into arrays with ``np.frombuffer`` (``stored.scored_answers``), where one row per
response costs about a second per million rows before any arithmetic.

The per-row tables (``Response``, ``Score``) stay the source of truth. The blocks are kept equal
to them in the same transaction:

- ``append``: saving a response (``services.submit_response``, the one write path) locks the
  version's last block row (``SELECT ... FOR UPDATE``) and adds the response to it, or opens the
  next block when it is full (two saves opening the same block number: the unique constraint
  refuses one, which retries and appends to the block the other opened);
- ``rewrite``: when a response or one of its scores is deleted or changed afterwards, the blocks
  holding it are rebuilt from the rows (``measures.signals``: the product itself never deletes or
  changes a saved response, but a change made through the ORM, such as an administrator's
  deletion, must not leave the blocks wrong; a queryset ``update()`` sends no signal, so after
  one run ``alongside measures rebuild-blocks``);
- ``rebuild``: every block of a version, or of all versions, from the rows (the migration that
  introduced blocks, and ``alongside measures rebuild-blocks``).

Why 1,024: appending rewrites the last block (a PHQ-9 block of 1,024 responses is about 100 kB),
so a bigger block makes each save dearer, while a smaller one gives the bulk read more rows (a
million responses are 977 blocks).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction

from alongside.measures.stored import FLOAT, answer_order

BLOCK_SIZE = 1024
IDS = np.dtype("<i8")
# How often a save retries after another save opened the same new block first.
_OPEN_RETRIES = 10


def scale_codes(rules: Mapping[str, Any]) -> list[str]:
    """The score matrix's columns: the version's scales in its scoring order."""
    return [str(scale["code"]) for scale in rules.get("scales", [])]


def pack_scores(codes: Iterable[str], values: Mapping[str, float | None]) -> bytes:
    """One row of the score matrix: each scale's value, NaN where it has none."""
    row = [values.get(code) for code in codes]
    return np.asarray([np.nan if v is None else v for v in row], dtype=FLOAT).tobytes()


def _models(models: tuple[type[Any], ...] | None) -> tuple[type[Any], ...]:
    """(ScoreBlock, Response, Score): the app's own, or a migration's historical ones."""
    if models is not None:
        return models
    from alongside.measures.models import Response, Score, ScoreBlock

    return ScoreBlock, Response, Score


def append(
    version_id: int,
    rules: Mapping[str, Any],
    response_id: int,
    values: Mapping[str, float | None],
    answers: bytes,
) -> None:
    """Add one saved response to its version's last block (inside the caller's transaction)."""
    from alongside.measures.models import ScoreBlock

    codes = scale_codes(rules)
    width = len(answer_order(rules))
    if len(answers) != FLOAT.itemsize * width:
        answers = np.full(width, np.nan, dtype=FLOAT).tobytes()
    scores = pack_scores(codes, values)
    ids = np.asarray([response_id], dtype=IDS).tobytes()
    for _attempt in range(_OPEN_RETRIES):
        last = (
            ScoreBlock.objects.select_for_update()
            .filter(version_id=version_id)
            .order_by("-number")
            .first()
        )
        if last is not None and last.count < BLOCK_SIZE:
            last.count += 1
            last.response_ids = bytes(last.response_ids) + ids
            last.scores = bytes(last.scores) + scores
            last.answers = bytes(last.answers) + answers
            last.save(update_fields=["count", "response_ids", "scores", "answers"])
            return
        try:
            with transaction.atomic():
                ScoreBlock.objects.create(
                    version_id=version_id,
                    number=0 if last is None else last.number + 1,
                    count=1,
                    scale_codes=" ".join(codes),
                    response_ids=ids,
                    scores=scores,
                    answers=answers,
                )
            return
        except IntegrityError:
            continue  # another save opened this block first: append to it
    raise RuntimeError(f"could not add response {response_id} to a score block")


def _packed_rows(
    models: tuple[type[Any], ...],
    version_id: int,
    codes: list[str],
    width: int,
    low: int,
    high: int,
) -> dict[int, tuple[bytes, bytes]]:
    """Response id -> (score row, answer row) for the version's responses with ids in [low, high],
    read from the per-row tables."""
    _block, response_model, score_model = models[:3]
    nan_answers = np.full(width, np.nan, dtype=FLOAT).tobytes()
    answers: dict[int, bytes] = {}
    for pk, packed in response_model.objects.filter(
        version_id=version_id, pk__gte=low, pk__lte=high
    ).values_list("pk", "answer_values"):
        packed = bytes(packed)
        answers[pk] = packed if len(packed) == FLOAT.itemsize * width else nan_answers
    values: dict[int, dict[str, float | None]] = {pk: {} for pk in answers}
    for response_id, scale, value in score_model.objects.filter(
        response_id__gte=low, response_id__lte=high, scale__in=codes
    ).values_list("response_id", "scale", "value"):
        if response_id in values:
            values[response_id][scale] = value
    return {pk: (pack_scores(codes, values[pk]), answers[pk]) for pk in answers}


def _fill(
    block: Any, codes: list[str], ids: list[int], rows: Mapping[int, tuple[bytes, bytes]]
) -> None:
    block.count = len(ids)
    block.scale_codes = " ".join(codes)
    block.response_ids = np.asarray(ids, dtype=IDS).tobytes()
    block.scores = b"".join(rows[pk][0] for pk in ids)
    block.answers = b"".join(rows[pk][1] for pk in ids)


def rewrite(version_id: int, rules: Mapping[str, Any], response_ids: Collection[int]) -> int:
    """Rebuild, from the rows, every block of the version that holds one of ``response_ids``
    (a deleted response leaves its block; a changed one is read again). Answers how many."""
    models = _models(None)
    block_model = models[0]
    wanted = np.fromiter(response_ids, dtype=IDS, count=len(response_ids))
    codes = scale_codes(rules)
    width = len(answer_order(rules))
    affected = [
        pk
        for pk, packed in block_model.objects.filter(version_id=version_id).values_list(
            "pk", "response_ids"
        )
        if np.isin(np.frombuffer(bytes(packed), dtype=IDS), wanted).any()
    ]
    for block in block_model.objects.select_for_update().filter(pk__in=affected).order_by("number"):
        held = np.frombuffer(bytes(block.response_ids), dtype=IDS)
        if not held.size:
            continue
        rows = _packed_rows(models, version_id, codes, width, int(held.min()), int(held.max()))
        _fill(block, codes, [pk for pk in held.tolist() if pk in rows], rows)
        block.save(update_fields=["count", "scale_codes", "response_ids", "scores", "answers"])
    return len(affected)


def rebuild(
    version_ids: Iterable[int] | None = None, *, models: tuple[type[Any], ...] | None = None
) -> int:
    """Every block of the versions (all by default) built again from the rows, in id order, each
    version in one transaction. ``models``: (ScoreBlock, Response, Score, QuestionnaireVersion)
    of a migration. Answers how many blocks were written."""
    if models is None:
        from alongside.measures.models import QuestionnaireVersion

        models = (*_models(None), QuestionnaireVersion)
    block_model, response_model, _score, version_model = models
    versions = version_model.objects.order_by("pk")
    if version_ids is not None:
        versions = versions.filter(pk__in=list(version_ids))
    written = 0
    for version_id, rules in versions.values_list("pk", "scoring"):
        codes = scale_codes(rules or {})
        width = len(answer_order(rules or {}))
        with transaction.atomic():
            block_model.objects.filter(version_id=version_id).delete()
            # Every id of the version at once (one query; 8 MB of ints for a million), then the
            # rows of each block by an id range.
            every = list(
                response_model.objects.filter(version_id=version_id)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for number, low in enumerate(range(0, len(every), BLOCK_SIZE)):
                ids = every[low : low + BLOCK_SIZE]
                rows = _packed_rows(models, version_id, codes, width, ids[0], ids[-1])
                block = block_model(version_id=version_id, number=number)
                _fill(block, codes, ids, rows)
                block.save()
                written += 1
    return written


def blocks_equal_rows(version_id: int) -> bool:
    """Whether the version's blocks hold exactly its rows' scores and answers (a check for tests
    and for ``alongside measures rebuild-blocks --check``)."""
    from alongside.measures.models import QuestionnaireVersion, ScoreBlock

    rules = QuestionnaireVersion.objects.get(pk=version_id).scoring or {}
    codes = scale_codes(rules)
    width = len(answer_order(rules))
    ids: list[int] = []
    scores: list[bytes] = []
    answers: list[bytes] = []
    for block in ScoreBlock.objects.filter(version_id=version_id).order_by("number"):
        if block.scale_codes.split() != codes and block.count:
            return False
        ids += np.frombuffer(bytes(block.response_ids), dtype=IDS).tolist()
        scores.append(bytes(block.scores))
        answers.append(bytes(block.answers))
    if len(set(ids)) != len(ids):
        return False
    if not ids:
        return not _packed_rows(_models(None), version_id, codes, width, 0, 2**62)
    rows = _packed_rows(_models(None), version_id, codes, width, 0, 2**62)
    if set(rows) != set(ids):
        return False
    return b"".join(scores) == b"".join(rows[pk][0] for pk in ids) and b"".join(
        answers
    ) == b"".join(rows[pk][1] for pk in ids)
