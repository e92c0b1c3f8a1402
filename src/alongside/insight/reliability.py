"""Honest reliable change: Jacobson-Truax from the service's own responses.

A change counts as reliable when it exceeds ``1.96 x SD x sqrt(2) x sqrt(1 - alpha)``, with SD
the spread of the scale's scores and alpha (Cronbach's) its internal consistency, both estimated
on the service's own complete responses once there are ``MIN_RESPONSES`` of them. Until then the
honest words are "changed by N points or more", with no claim about chance.

``read_scores`` is the one place this room reads stored measure answers and scores: the typed
score column and the packed answers (``measures.stored.scored_answers``), as NumPy arrays, so a
million responses are read and estimated without a JSON document or a Python object per row.

The measures charts and the alerts use it through ``measures.reliable``, which stores the
estimates so no page scans every response.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alongside.measures.models import Instrument
from alongside.measures.stored import scored_answers

MIN_RESPONSES = 100
Z = 1.96


def read_scores(
    instrument_code: str, scale_code: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Every complete response's item values (one row each, scale order) and its scale score."""
    instrument_id = Instrument.objects.filter(code=instrument_code).values_list("pk", flat=True)
    found = instrument_id.first()
    if found is None:
        return np.empty((0, 0), dtype=np.float64), np.empty(0, dtype=np.float64)
    return scored_answers(found, scale_code)


def cronbach_alpha(matrix: Sequence[Sequence[float]] | npt.NDArray[np.float64]) -> float | None:
    """k / (k - 1) x (1 - sum of item variances / variance of totals); None if undefined."""
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] < 2 or values.shape[1] < 2:
        return None
    k = int(values.shape[1])
    item_variance = float(values.var(axis=0, ddof=1).sum())
    total_variance = float(values.sum(axis=1).var(ddof=1))
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


@dataclass(frozen=True)
class Estimate:
    """What the service's own responses say about a scale (``None``: too few, or no spread)."""

    n: int
    alpha: float | None
    sd: float | None
    threshold: float | None


def estimate(
    matrix: Sequence[Sequence[float]] | npt.NDArray[np.float64],
    scores: Sequence[float] | npt.NDArray[np.float64],
    minimum: int = MIN_RESPONSES,
) -> Estimate:
    """Alpha, the spread of the scores and the Jacobson-Truax threshold, once there are
    ``minimum`` complete responses."""
    n = len(scores)
    alpha = cronbach_alpha(matrix) if n >= minimum else None
    if alpha is None:
        return Estimate(n, None, None, None)
    sd = float(np.std(np.asarray(scores, dtype=np.float64), ddof=1))
    return Estimate(n, alpha, sd, jacobson_truax(sd, alpha))


def service_reliability(instrument_code: str, scale_code: str) -> Reliability:
    found = estimate(*read_scores(instrument_code, scale_code))
    return Reliability(found.n, found.alpha, found.threshold)
