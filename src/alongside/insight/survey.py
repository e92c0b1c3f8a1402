"""The recovery-orientation survey: a person version and a staff version, one item per practice
theme, and the gap between what staff believe and what persons experience.

The two questionnaires are FHIR R4 Questionnaires in ``insight/instruments/``, written by us,
checked by the measures engine (``check_questionnaire``) and answered through it
(``check_answers``). Each item's ``code`` names its theme. Answers are 1 to 5 (agreement) or
"na" (does not apply), which takes no part in a mean.

The gap for a theme is the staff mean minus the person mean, with a 95% interval from Welch's t
(unequal variances). It is hidden when either side has fewer than 5 answers on that theme.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from alongside.insight.suppression import SMALL_NUMBER

INSTRUMENTS = Path(__file__).resolve().parent / "instruments"
SIDES = ("person", "staff")
NOT_APPLICABLE = "na"


@cache
def definition(side: str) -> dict[str, Any]:
    if side not in SIDES:
        raise KeyError(side)
    with (INSTRUMENTS / f"recovery_orientation_{side}.json").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def instrument_code(side: str) -> str:
    return str(definition(side)["code"])


def register_instruments(models: tuple[Any, Any] | None = None) -> None:
    """Load both versions as measures instruments (idempotent), so they can be scheduled for a
    unit. Answers never become measures responses: they are kept here, without a name."""
    from alongside.measures.definitions import load_definition
    from alongside.measures.models import Instrument, QuestionnaireVersion

    for side in SIDES:
        load_definition(
            instrument_code(side),
            questionnaire(side),
            {"scales": []},
            names=definition(side)["names"],
            models=models or (Instrument, QuestionnaireVersion),
        )


def questionnaire(side: str) -> dict[str, Any]:
    found: dict[str, Any] = definition(side)["questionnaire"]
    return found


def theme_of_items(side: str) -> dict[str, str]:
    """linkId -> practice theme code."""
    return {
        str(item["linkId"]): str(item["code"][0]["code"])
        for item in questionnaire(side)["item"]
        if item.get("code")
    }


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def to_scores(side: str, answers: Mapping[str, object]) -> dict[str, int | None]:
    """Checked answers (linkId -> option code) as theme code -> 1..5, None for "does not apply"."""
    themes = theme_of_items(side)
    scores: dict[str, int | None] = {}
    for link_id, theme in themes.items():
        value = answers.get(link_id)
        code = getattr(value, "code", value)
        if code is None:
            continue
        scores[theme] = None if str(code) == NOT_APPLICABLE else int(str(code))
    return scores


def t_quantile(df: float, p: float = 0.975) -> float:
    """Student's t quantile by the Cornish-Fisher expansion around the normal (z = 1.96 for
    p = 0.975); within 0.01 of the exact value from 4 degrees of freedom up."""
    z = _normal_quantile(p)
    v = max(df, 1.0)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


def _normal_quantile(p: float) -> float:
    # Bisection on erf: exact to far more places than an interval needs.
    low, high = -10.0, 10.0
    for _step in range(80):
        mid = (low + high) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2


@dataclass(frozen=True)
class Side:
    n: int
    mean: float | None
    variance: float | None


def describe(values: Sequence[float]) -> Side:
    n = len(values)
    if n == 0:
        return Side(0, None, None)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else None
    return Side(n, mean, variance)


@dataclass(frozen=True)
class ThemeGap:
    theme: str
    staff: Side
    persons: Side
    suppressed: bool
    gap: float | None = None
    low: float | None = None
    high: float | None = None


def theme_gap(theme: str, staff: Sequence[float], persons: Sequence[float]) -> ThemeGap:
    s, p = describe(staff), describe(persons)
    if s.n < SMALL_NUMBER or p.n < SMALL_NUMBER:
        return ThemeGap(theme, Side(s.n, None, None), Side(p.n, None, None), True)
    assert s.mean is not None
    assert p.mean is not None
    assert s.variance is not None
    assert p.variance is not None
    gap = s.mean - p.mean
    a, b = s.variance / s.n, p.variance / p.n
    error = math.sqrt(a + b)
    if error == 0:
        return ThemeGap(theme, s, p, False, gap, gap, gap)
    df = (a + b) ** 2 / (a**2 / (s.n - 1) + b**2 / (p.n - 1)) if a or b else s.n + p.n - 2
    margin = t_quantile(df) * error
    return ThemeGap(theme, s, p, False, gap, gap - margin, gap + margin)


def gaps(
    rows: Sequence[tuple[str, Mapping[str, int | None]]], themes: Sequence[str]
) -> list[ThemeGap]:
    """``rows``: (side, theme -> score) for every response of one unit (or more) and quarter."""
    out = []
    for theme in themes:
        staff = [
            float(v) for side, a in rows if side == "staff" and (v := a.get(theme)) is not None
        ]
        persons = [
            float(v) for side, a in rows if side == "person" and (v := a.get(theme)) is not None
        ]
        out.append(theme_gap(theme, staff, persons))
    return out
