"""Property-based tests (hypothesis) of the pure cores, with independent oracles where one exists:

* code-point offsets of narratives sources under a byte-order mark and CRLF/CR/mixed line ends;
* scoring rules: the NumPy batch path against the one-response path, and both against a
  straightforward re-statement of the rules;
* agreement statistics against the ``krippendorff`` package and scikit-learn's Cohen's kappa
  (dev-only dependencies, used as oracles only).
"""

from __future__ import annotations

import math
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from alongside.measures.scoring import score_batch, score_scale
from alongside.narratives.agreement import (
    cohen_kappa_characters,
    covered,
    intersection,
    krippendorff_alpha_nominal,
    union,
)
from alongside.narratives.text import BOM, normalise

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text: code points from several planes (astral ones included), never a bare line-end character.
_letters = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=["Cs"],
        exclude_characters="\r\n\ufeff",
    ),
    max_size=12,
)
_newlines = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def uploaded_texts(draw: st.DrawFn) -> str:
    """A text as it may arrive: an optional BOM, then lines with any mix of line endings."""
    lines = draw(st.lists(st.tuples(_letters, _newlines), max_size=8))
    tail = draw(_letters)
    bom = BOM if draw(st.booleans()) else ""
    return bom + "".join(text + newline for text, newline in lines) + tail


# Offsets -------------------------------------------------------------------------------------


@PROPERTY
@given(raw=uploaded_texts())
def test_normalising_keeps_the_original_text_recoverable(raw: str) -> None:
    result = normalise(raw)
    assert "\r" not in result.text
    assert result.had_bom == raw.startswith(BOM)
    assert result.line_endings.original_text() == raw.removeprefix(BOM)
    assert result.line_endings.original_length() == len(raw.removeprefix(BOM))


@PROPERTY
@given(raw=uploaded_texts(), data=st.data())
def test_offsets_map_both_ways_and_select_the_same_words(raw: str, data: st.DataObject) -> None:
    result = normalise(raw)
    endings = result.line_endings
    original = raw.removeprefix(BOM)  # a BOM is never counted
    length = len(result.text)
    start = data.draw(st.integers(0, length), label="start")
    end = data.draw(st.integers(start, length), label="end")
    a, b = endings.to_original(start), endings.to_original(end)
    assert endings.from_original(a) == start
    assert endings.from_original(b) == end
    assert not endings.splits_a_pair(a)
    assert not endings.splits_a_pair(b)
    # The same stretch, cut from the file as uploaded, normalises to the stored selection.
    assert normalise(original[a:b]).text == result.text[start:end]


@PROPERTY
@given(raw=uploaded_texts())
def test_offsets_only_grow_and_count_a_crlf_as_two(raw: str) -> None:
    endings = normalise(raw).line_endings
    text = normalise(raw).text
    mapped = [endings.to_original(k) for k in range(len(text) + 1)]
    assert mapped == sorted(mapped)
    assert mapped[-1] == endings.original_length()
    crlf = raw.count("\r\n")
    assert endings.original_length() - len(text) == crlf


# Scoring rules -------------------------------------------------------------------------------


@st.composite
def scales(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    items = [f"q{k}" for k in range(n)]
    low = draw(st.integers(0, 1))
    high = draw(st.integers(low + 1, low + 6))
    return {
        "code": "total",
        "items": items,
        "method": draw(st.sampled_from(["sum", "mean"])),
        "item_min": low,
        "item_max": high,
        "reverse": draw(st.lists(st.sampled_from(items), unique=True)),
        "rescale": draw(st.booleans()),
        "max_missing": draw(st.integers(0, n)),
    }


@st.composite
def scales_with_answers(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, object]]]:
    scale = draw(scales())
    low, high = scale["item_min"], scale["item_max"]
    answer = st.one_of(st.none(), st.integers(low, high))
    responses = draw(
        st.lists(
            st.fixed_dictionaries(dict.fromkeys(scale["items"], answer)),
            min_size=1,
            max_size=8,
        )
    )
    return scale, responses


def _by_hand(scale: dict[str, Any], answers: dict[str, object]) -> float | None:
    """The rules in the module docstring, restated plainly."""
    low, high = scale["item_min"], scale["item_max"]
    given_values = []
    for item in scale["items"]:
        value = answers[item]
        if value is None:
            continue
        assert isinstance(value, int)
        given_values.append(low + high - value if item in scale["reverse"] else value)
    n, missing = len(scale["items"]), len(scale["items"]) - len(given_values)
    if not given_values or missing > scale["max_missing"]:
        return None
    mean = sum(given_values) / len(given_values)
    raw = mean if scale["method"] == "mean" else mean * n
    if scale["rescale"]:
        span = (high - low) * (n if scale["method"] == "sum" else 1)
        floor = low * (n if scale["method"] == "sum" else 1)
        raw = (raw - floor) / span * 100
    return raw


@PROPERTY
@given(case=scales_with_answers())
def test_one_response_and_the_batch_score_alike_and_as_the_rules_say(
    case: tuple[dict[str, Any], list[dict[str, object]]],
) -> None:
    scale, responses = case
    matrix = np.array(
        [[math.nan if r[i] is None else float(r[i]) for i in scale["items"]] for r in responses]  # type: ignore[arg-type]
    )
    batch = score_batch(scale, matrix)
    for row, answers in enumerate(responses):
        single = score_scale(scale, answers).value
        expected = _by_hand(scale, answers)
        if expected is None:
            assert single is None
            assert math.isnan(batch[row])
            continue
        assert single == pytest.approx(expected, abs=1e-3)
        assert batch[row] == pytest.approx(single, abs=1e-9)


@PROPERTY
@given(scale=scales())
def test_a_complete_response_at_the_extremes_spans_the_whole_range(scale: dict[str, Any]) -> None:
    scale = {**scale, "reverse": [], "rescale": True}
    lowest = score_scale(scale, dict.fromkeys(scale["items"], scale["item_min"])).value
    highest = score_scale(scale, dict.fromkeys(scale["items"], scale["item_max"])).value
    assert (lowest, highest) == (0.0, 100.0)


# Agreement statistics against independent implementations ----------------------------------


@st.composite
def reliability_data(draw: st.DrawFn) -> list[list[int | None]]:
    """Coders x units of nominal values, with gaps."""
    coders = draw(st.integers(2, 4))
    units = draw(st.integers(2, 12))
    value = st.one_of(st.none(), st.integers(0, 3))
    return [[draw(value) for _ in range(units)] for _ in range(coders)]


@PROPERTY
@given(data=reliability_data())
def test_alpha_agrees_with_the_krippendorff_package(data: list[list[int | None]]) -> None:
    # Units coded by fewer than two coders are not pairable; with no pairable values, or only one
    # value in all of them, alpha is undefined for both implementations.
    pairable = [
        [row[u] for row in data if row[u] is not None]
        for u in range(len(data[0]))
        if sum(row[u] is not None for row in data) >= 2
    ]
    values = {v for unit in pairable for v in unit}
    ours = krippendorff_alpha_nominal(data)
    if len(values) < 2:
        assert ours is None or ours == pytest.approx(1.0)
        return
    oracle_input = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in data], dtype=float
    )
    theirs = krippendorff.alpha(reliability_data=oracle_input, level_of_measurement="nominal")
    assert ours is not None
    assert ours == pytest.approx(theirs, abs=1e-9)


_spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 15)), max_size=5).map(
    lambda pairs: [(start, min(start + width, 40)) for start, width in pairs]
)


@PROPERTY
@given(a=_spans, b=_spans)
def test_character_kappa_agrees_with_scikit_learn(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    length = 40
    first = [any(s <= k < e for s, e in a) for k in range(length)]
    second = [any(s <= k < e for s, e in b) for k in range(length)]
    # Identical constant labels leave kappa undefined (0/0): scikit-learn answers NaN.
    assume(len(set(first) | set(second)) > 1)
    ours = cohen_kappa_characters(length, a, b)
    theirs = cohen_kappa_score(first, second)
    assert ours == pytest.approx(theirs, abs=1e-9)


@PROPERTY
@given(a=_spans, b=_spans)
def test_interval_algebra_counts_characters(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    chars_a = {k for s, e in a for k in range(s, e)}
    chars_b = {k for s, e in b for k in range(s, e)}
    assert covered(a) == len(chars_a)
    assert covered(union([*a, *b])) == len(chars_a | chars_b)
    assert covered(intersection(a, b)) == len(chars_a & chars_b)
