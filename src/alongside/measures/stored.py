"""Scores and answers stored for speed: what charts, insight and batch scoring read.

When a response is saved, each scale's score goes into a typed ``Score`` row (a float column, not
JSON), and the numeric answers into ``Response.answer_values``: little-endian float64s, one per
item of ``answer_order(rules)``, NaN where unanswered. Reading a million scores is then one column
of floats, and a batch of answers is ``np.frombuffer`` over joined bytes: no JSON decoded per row.

The same numbers are also kept in score blocks (``measures.blocks``: up to 1,024 responses of a
version in one row, as packed arrays, written in the same transaction as the rows).
``scored_answers`` is how insight reads them in bulk (the service's reliability estimates over
every response to a scale): one plain cursor per version over its blocks, joined and viewed as
NumPy arrays, never a row, a model instance or a JSON document per response. The per-row tables
stay the source of truth, and what a single person's pages read. See
``benchmarks/bench_measures.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from alongside.measures.scoring import _number, numeric_items, scale_by_code

FLOAT = np.dtype("<f8")


def answer_order(rules: Mapping[str, Any]) -> list[str]:
    """The linkIds packed for a version: every scale's items, in first-seen order."""
    seen: dict[str, None] = {}
    for scale in rules.get("scales", []):
        for link_id in scale.get("items", []):
            seen.setdefault(str(link_id), None)
    return list(seen)


def pack_answers(rules: Mapping[str, Any], answers: Mapping[str, object]) -> bytes:
    """The numeric answers in ``answer_order``; NaN for unanswered or non-numeric ones."""
    values = []
    for link_id in answer_order(rules):
        try:
            number = _number(answers.get(link_id))
        except (TypeError, ValueError):
            number = None
        values.append(math.nan if number is None else number)
    return np.asarray(values, dtype=FLOAT).tobytes()


def unpack_answers(packed: Iterable[bytes], width: int) -> npt.NDArray[np.float64]:
    """One matrix row per packed response (all of the same version, so the same width)."""
    joined = b"".join(packed)
    return np.frombuffer(joined, dtype=FLOAT).reshape(-1, width).astype(np.float64, copy=False)


def score_fields(scores: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The ``Score`` columns for each scale of a response's JSON scores."""
    return [
        {
            "scale": code,
            "value": None if score.get("value") is None else float(score["value"]),
            "raw": None if score.get("raw") is None else float(score["raw"]),
            "band": str(score.get("band") or ""),
        }
        for code, score in scores.items()
    ]


# Every block of one version (measures.blocks): the score matrix's columns, scores and answers.
_BLOCKS = (
    "SELECT scale_codes, scores, answers FROM measures_scoreblock"
    " WHERE version_id = %s AND count > 0 ORDER BY number"
)


@contextmanager
def _bytes_cursor() -> Iterator[Any]:
    """A cursor for reading many bytes. On PostgreSQL a psycopg cursor with server-side binding
    on Django's connection (same transaction), so results come in binary: Django's own cursor
    binds on the client, which makes PostgreSQL send bytea as hex text, about twice the bytes,
    decoded in Python. It bypasses Django's query logging."""
    if connection.vendor != "postgresql":
        with connection.cursor() as plain:
            yield plain
        return
    import psycopg

    connection.ensure_connection()

    class Binary(psycopg.Cursor[Any]):
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(query, params, binary=True, **kwargs)

    with Binary(connection.connection) as binary:
        yield binary


def scored_answers(
    instrument_id: int, scale_code: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Every complete response's numeric answers to the scale (one row each, the scale's item
    order) and its stored score, as NumPy arrays read from the score blocks.

    Complete: scored, and every item of the scale answered with a number. Versions whose scale
    has another number of items than the newest version's are left out (a different scale)."""
    from alongside.measures.models import QuestionnaireVersion

    versions = [
        (pk, scale, answer_order(rules))
        for pk, rules in QuestionnaireVersion.objects.filter(instrument_id=instrument_id)
        .order_by("-loaded_at", "-pk")
        .values_list("pk", "scoring")
        if (scale := scale_by_code(rules or {}, scale_code)) is not None
    ]
    width = len(numeric_items(versions[0][1])) if versions else 0
    matrices: list[npt.NDArray[np.float64]] = []
    scores: list[npt.NDArray[np.float64]] = []
    with _bytes_cursor() as cursor:
        for pk, scale, order in versions:
            items = numeric_items(scale)
            if not items or len(items) != width or not all(link_id in order for link_id in items):
                continue
            cursor.execute(_BLOCKS, [pk])
            found = cursor.fetchall()
            # Blocks of one version share their columns; group them in case one day they do not.
            for codes_text in dict.fromkeys(map(itemgetter(0), found)):
                codes = str(codes_text).split()
                if scale_code not in codes:
                    continue
                rows = [row for row in found if row[0] == codes_text]
                # A few hundred blocks joined and viewed as arrays: no loop over the responses.
                value = unpack_answers(map(itemgetter(1), rows), len(codes))[
                    :, codes.index(scale_code)
                ]
                packed = unpack_answers(map(itemgetter(2), rows), len(order))
                columns = [order.index(link_id) for link_id in items]
                matrices.append(
                    packed if columns == list(range(len(order))) else packed[:, columns]
                )
                scores.append(value)
    if not matrices:
        return np.empty((0, width), dtype=np.float64), np.empty(0, dtype=np.float64)
    matrix = np.concatenate(matrices) if len(matrices) > 1 else matrices[0]
    score = np.concatenate(scores) if len(scores) > 1 else scores[0]
    complete = ~np.isnan(matrix).any(axis=1) & ~np.isnan(score)
    if complete.all():
        return matrix, score
    return matrix[complete], score[complete]
