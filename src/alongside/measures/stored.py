"""Scores and answers stored for speed: what charts, insight and batch scoring read.

When a response is saved, each scale's score goes into a typed ``Score`` row (a float column, not
JSON), and the numeric answers into ``Response.answer_values``: little-endian float64s, one per
item of ``answer_order(rules)``, NaN where unanswered. Reading a million scores is then one column
of floats, and a batch of answers is ``np.frombuffer`` over joined bytes: no JSON decoded per row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from alongside.measures.scoring import _number

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
