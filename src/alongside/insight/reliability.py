"""Honest reliable change: Jacobson-Truax from the service's own responses.

A change counts as reliable when it exceeds ``1.96 x SD x sqrt(2) x sqrt(1 - alpha)``, with SD
the spread of the scale's scores and alpha (Cronbach's) its internal consistency, both estimated
on the service's own complete responses once there are ``MIN_RESPONSES`` of them. Until then the
honest words are "changed by N points or more", with no claim about chance.

``read_scores`` is the one place this room reads stored measure answers and scores, so the
storage can change (typed score columns) by changing this function alone.

The measures charts and the alerts use it through ``measures.reliable``, which stores the
estimates so no page scans every response.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from alongside.measures.engine import answers_from_items
from alongside.measures.models import Response
from alongside.measures.scoring import _number, numeric_items, scale_by_code

MIN_RESPONSES = 100
Z = 1.96


def read_scores(instrument_code: str, scale_code: str) -> tuple[list[list[float]], list[float]]:
    """Every complete response's item values (scale order) and its scale score."""
    matrix: list[list[float]] = []
    scores: list[float] = []
    for version_scoring, items, stored in Response.objects.filter(
        instrument__code=instrument_code
    ).values_list("version__scoring", "items", "scores"):
        scale = scale_by_code(version_scoring or {}, scale_code)
        if scale is None:
            continue
        answers = answers_from_items(items)
        values = [_number(answers.get(link_id)) for link_id in numeric_items(scale)]
        score = (stored.get(scale_code) or {}).get("value")
        if any(v is None for v in values) or score is None:
            continue
        matrix.append([float(v) for v in values if v is not None])
        scores.append(float(score))
    return matrix, scores


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """k / (k - 1) x (1 - sum of item variances / variance of totals); None if undefined."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    item_variance = sum(statistics.variance([row[i] for row in matrix]) for i in range(k))
    total_variance = statistics.variance([sum(row) for row in matrix])
    if total_variance == 0:
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def jacobson_truax(sd: float, alpha: float) -> float:
    """The smallest change that is reliable at the 5% level."""
    return Z * sd * math.sqrt(2) * math.sqrt(max(0.0, 1 - alpha))


@dataclass(frozen=True)
class Reliability:
    n: int
    alpha: float | None
    threshold: float | None  # None: not enough responses yet; say "changed by N or more"


def service_reliability(instrument_code: str, scale_code: str) -> Reliability:
    matrix, scores = read_scores(instrument_code, scale_code)
    if len(scores) < MIN_RESPONSES:
        return Reliability(len(scores), None, None)
    alpha = cronbach_alpha(matrix)
    if alpha is None:
        return Reliability(len(scores), None, None)
    return Reliability(len(scores), alpha, jacobson_truax(statistics.stdev(scores), alpha))
