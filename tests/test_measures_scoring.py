"""Scoring rules and every shipped instrument, against scores worked out by hand.

Each expected number has its arithmetic in a comment. Missing-answer edge cases: prorating within
the allowance, one over the allowance, nothing answered, and important-only with nothing important.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from alongside.measures.definitions import INSTRUMENTS_DIR
from alongside.measures.engine import check_answers
from alongside.measures.scoring import (
    band_for,
    reliable_change,
    score_batch,
    score_response,
    score_scale,
)


def scale(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": "t",
        "items": ["a", "b", "c", "d"],
        "method": "sum",
        "item_min": 0,
        "item_max": 4,
    }
    base.update(overrides)
    return base


FULL = {"a": 1, "b": 2, "c": 3, "d": 4}


# --- every rule ---------------------------------------------------------------------------------


def test_sum_adds_the_answers() -> None:
    assert score_scale(scale(), FULL).value == 10  # 1+2+3+4


def test_mean_averages_the_answers() -> None:
    assert score_scale(scale(method="mean"), FULL).value == 2.5  # 10/4


def test_reversed_item_counts_as_min_plus_max_minus_answer() -> None:
    assert score_scale(scale(reverse=["d"]), FULL).value == 6  # 1+2+3+(0+4-4)
    assert score_scale(scale(reverse=["a", "d"]), FULL).value == 8  # (4-1)+2+3+0


def test_rescale_sum_to_0_100() -> None:
    # possible range 0..16; 10/16*100
    assert score_scale(scale(rescale=True), FULL).value == 62.5


def test_rescale_mean_to_0_100_with_nonzero_minimum() -> None:
    # items 1..7, mean of 4 and 7 = 5.5; (5.5-1)/(7-1)*100 = 75
    rule = scale(items=["a", "b"], method="mean", item_min=1, item_max=7, rescale=True)
    assert score_scale(rule, {"a": 4, "b": 7}).value == 75


def test_important_only_counts_only_items_marked_important() -> None:
    rule = scale(method="mean", important_only=True, rescale=True)
    answers = {**FULL, "a.important": True, "b.important": False, "c.important": True}
    result = score_scale(rule, answers)
    # a and c count: mean (1+3)/2 = 2 -> 2/4*100 = 50; b and d are left out, not missing
    assert (result.value, result.answered, result.missing) == (50, 2, 0)


def test_important_only_with_nothing_important_has_no_score() -> None:
    result = score_scale(scale(important_only=True), {**FULL, "a.important": False})
    assert result.value is None
    assert result.status == "no_items"


def test_important_item_left_unrated_is_missing() -> None:
    rule = scale(method="mean", important_only=True, max_missing=1)
    answers = {"a": 4, "b": None, "a.important": True, "b.important": True}
    result = score_scale(rule, answers)
    assert (result.value, result.missing, result.prorated) == (4, 1, True)


def test_missing_within_allowance_is_prorated() -> None:
    result = score_scale(scale(max_missing=1), {"a": 1, "b": 2, "d": 4})
    # mean of answered 7/3, times 4 items = 9.3333
    assert result.value == pytest.approx(9.3333, abs=1e-4)
    assert (result.answered, result.missing, result.prorated, result.status) == (3, 1, True, "ok")


def test_mean_with_missing_is_the_mean_of_the_answered() -> None:
    result = score_scale(scale(method="mean", max_missing=2), {"a": 1, "b": 2})
    assert (result.value, result.prorated) == (1.5, True)


def test_one_missing_over_the_allowance_gives_no_score() -> None:
    result = score_scale(scale(max_missing=1), {"a": 1, "b": 2})
    assert result.value is None
    assert result.status == "too_many_missing"
    assert (result.answered, result.missing) == (2, 2)


def test_no_missing_allowed_by_default() -> None:
    assert score_scale(scale(), {"a": 1, "b": 2, "c": 3}).value is None


def test_nothing_answered_gives_no_score_even_with_a_large_allowance() -> None:
    result = score_scale(scale(max_missing=4), {})
    assert result.value is None
    assert result.status == "too_many_missing"


def test_count_true_counts_yes_answers() -> None:
    rule = {"code": "h", "items": ["a", "b", "c"], "method": "count_true", "max_missing": 3}
    assert score_scale(rule, {"a": True, "b": False, "c": True}).value == 2
    assert score_scale(rule, {"a": False}).value == 0


BANDS = scale(
    bands=[
        {"code": "low", "min": 0, "max": 4},
        {"code": "mid", "min": 5, "max": 9},
        {"code": "high", "min": 10, "max": 16},
    ]
)


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "low"), (4, "low"), (4.5, "low"), (5, "mid"), (9.9, "mid"), (10, "high"), (16, "high")],
)
def test_bands_by_lower_bound(value: float, band: str) -> None:
    assert band_for(BANDS, value) == band


def test_no_band_outside_the_bands() -> None:
    assert band_for(BANDS, 16.5) is None
    assert band_for(BANDS, -1) is None
    assert band_for(BANDS, None) is None


def test_score_carries_its_band() -> None:
    assert score_scale(BANDS, FULL).band == "high"  # 10


@pytest.mark.parametrize(
    ("previous", "current", "higher_is_better", "expected"),
    [
        (15, 8, False, "improved"),  # down 7 >= 6, lower is better
        (15, 9, False, "improved"),  # exactly the threshold counts
        (15, 10, False, None),  # down 5 < 6
        (8, 14, False, "worse"),
        (30, 40, True, "improved"),
        (40, 30, True, "worse"),
    ],
)
def test_reliable_change_is_direction_aware(
    previous: float, current: float, higher_is_better: bool, expected: str | None
) -> None:
    assert reliable_change(previous, current, 6, higher_is_better=higher_is_better) == expected


def test_no_reliable_change_without_threshold_or_score() -> None:
    assert reliable_change(1, 20, None, higher_is_better=True) is None
    assert reliable_change(None, 20, 6, higher_is_better=True) is None


def test_batch_scores_equal_single_scores() -> None:
    rng = np.random.default_rng(7)
    matrix = rng.integers(0, 5, size=(400, 4)).astype(float)
    matrix[rng.random((400, 4)) < 0.2] = np.nan
    important = rng.random((400, 4)) < 0.7
    for rule in [
        scale(max_missing=1),
        scale(method="mean", max_missing=2, reverse=["b"], rescale=True),
        scale(method="mean", important_only=True, rescale=True, max_missing=1),
        scale(max_missing=1, rescale=True, reverse=["a", "c"]),
    ]:
        batch = score_batch(rule, matrix, important)
        for row in range(matrix.shape[0]):
            answers: dict[str, object] = {}
            for col, link_id in enumerate(rule["items"]):
                cell = matrix[row, col]
                answers[link_id] = None if math.isnan(cell) else cell
                answers[link_id + ".important"] = bool(important[row, col])
            single = score_scale(rule, answers).value
            if single is None:
                assert math.isnan(batch[row])
            else:
                assert batch[row] == pytest.approx(single, abs=1e-9)


# --- every shipped instrument -----------------------------------------------------------------


def instrument(code: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INSTRUMENTS_DIR / f"{code}.json").read_text("utf-8"))
    return data


def scores(code: str, answers: dict[str, object]) -> dict[str, Any]:
    data = instrument(code)
    typed = check_answers(data["questionnaire"], answers).typed
    return dict(score_response(data["scoring"], typed).items())


def numbered(prefix: str, values: list[int | None]) -> dict[str, object]:
    return {f"{prefix}{n}": None if v is None else str(v) for n, v in enumerate(values, 1)}


def test_phq9_total_and_band() -> None:
    result = scores("phq9", numbered("q", [1, 2, 3, 0, 1, 2, 3, 0, 1]))["total"]
    assert (result.value, result.band) == (13, "moderate")  # 1+2+3+0+1+2+3+0+1


def test_phq9_one_missing_is_prorated() -> None:
    result = scores("phq9", numbered("q", [1, 2, 3, 0, 1, 2, 3, 0, None]))["total"]
    # 12 over 8 answered = 1.5 each, times 9 = 13.5: still the 10-14 band
    assert (result.value, result.band, result.prorated) == (13.5, "moderate", True)


def test_phq9_two_missing_has_no_score() -> None:
    result = scores("phq9", numbered("q", [1, 2, 3, 0, 1, 2, 3, None, None]))["total"]
    assert result.value is None


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([0] * 9, 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),
        ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
        ([3] * 9, 27, "severe"),
    ],
)
def test_phq9_bands(values: list[int | None], total: int, band: str) -> None:
    result = scores("phq9", numbered("q", values))["total"]
    assert (result.value, result.band) == (total, band)


def test_phq9_and_gad7_carry_their_loinc_codes() -> None:
    phq, gad = instrument("phq9"), instrument("gad7")
    assert phq["questionnaire"]["code"][0]["code"] == "44249-1"
    assert phq["scoring"]["scales"][0]["loinc"] == "44261-6"
    assert gad["questionnaire"]["code"][0]["code"] == "69737-5"
    assert gad["scoring"]["scales"][0]["loinc"] == "70274-6"


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 2, 0, 0], 10, "moderate"),
        ([3, 3, 3, 3, 3, 0, 0], 15, "severe"),
        ([3] * 7, 21, "severe"),
    ],
)
def test_gad7_total_and_bands(values: list[int | None], total: int, band: str) -> None:
    result = scores("gad7", numbered("q", values))["total"]
    assert (result.value, result.band) == (total, band)


def test_gad7_one_missing_prorated() -> None:
    # 1+2+3+0+1+2 = 9 over 6 = 1.5, times 7 = 10.5: moderate
    result = scores("gad7", numbered("q", [1, 2, 3, 0, 1, 2, None]))["total"]
    assert (result.value, result.band) == (10.5, "moderate")


def test_qpr15_sum_and_prorating() -> None:
    assert scores("qpr15", numbered("q", [2] * 15))["total"].value == 30  # 15 x 2
    # 13 answered, all 3: mean 3 x 15 items = 45
    assert scores("qpr15", numbered("q", [3] * 13 + [None, None]))["total"].value == 45
    assert scores("qpr15", numbered("q", [3] * 12 + [None] * 3))["total"].value is None


def test_inspire_support_counts_only_important_items_and_relationship_rescales() -> None:
    answers: dict[str, object] = {f"s{n}.important": False for n in range(1, 21)}
    answers.update({"s1.important": True, "s2.important": True, "s3.important": True})
    answers.update({"s1": "4", "s2": "2", "s3": "3"})
    answers.update(numbered("r", [4, 4, 3, 3, 2, 2, 1]))
    result = scores("inspire", answers)
    assert result["support"].value == 75  # mean (4+2+3)/3 = 3, x25
    assert result["relationship"].value == pytest.approx(67.8571, abs=1e-4)  # 19/28 x 100


def test_inspire_rating_an_unimportant_item_is_refused() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        scores("inspire", {"s1.important": False, "s1": "3"})
    assert "s1" in caught.value.message_dict


def test_brief_inspire_mean_rescaled() -> None:
    assert scores("brief_inspire", numbered("b", [4, 3, 2, 1, 0]))["support"].value == 50  # 2 x 25
    # b5 missing: mean (4+3+2+1)/4 = 2.5 -> 62.5
    assert scores("brief_inspire", numbered("b", [4, 3, 2, 1, None]))["support"].value == 62.5


def test_dialog_means_and_help_count() -> None:
    answers = numbered("d", [7, 6, 5, 4, 3, 2, 1, 4, 5, 6, 7])
    answers.update({"d1.help": True, "d4.help": True, "d9.help": False})
    result = scores("dialog", answers)
    assert result["quality_of_life"].value == 4  # (7+6+5+4+3+2+1+4)/8 = 32/8
    assert result["treatment"].value == 6  # (5+6+7)/3
    assert result["help_wanted"].value == 2


def test_dialog_treatment_with_two_missing_has_no_score() -> None:
    answers = numbered("d", [7, 6, 5, 4, 3, 2, 1, 4, 5, None, None])
    assert scores("dialog", answers)["treatment"].value is None


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        # all 4: items 1,3,6,9 reversed to 0 -> 6 x 4 = 24
        ([4] * 10, 24, "clinical"),
        # all 0: reversed items become 4 -> 4 x 4 = 16
        ([0] * 10, 16, "clinical"),
        # best answers: 0 on negative items, 4 on positive ones -> 40
        ([0, 4, 0, 4, 4, 0, 4, 4, 0, 4], 40, "non_clinical"),
        # q1 answered 3 (reversed 1) + six positive items at 4 = 25: the lowest non-clinical score
        ([3, 4, 4, 4, 4, 4, 4, 4, 4, 4], 25, "non_clinical"),
        # negatives answered 1 (reversed 3 each = 12) + positives 3,3,3,3,3,4 (= 19) = 31
        ([1, 3, 1, 3, 3, 1, 3, 3, 1, 4], 31, "non_clinical"),
    ],
)
def test_reqol10_reverses_negative_items(values: list[int | None], total: int, band: str) -> None:
    result = scores("reqol10", numbered("q", values))["total"]
    assert (result.value, result.band) == (total, band)


def test_chime_checkin_overall_and_per_process() -> None:
    answers: dict[str, object] = {
        "connectedness": 6,
        "hope": 8,
        "identity": 5,
        "meaning": 7,
        "empowerment": 9,
    }
    result = scores("chime_checkin", answers)
    assert result["overall"].value == 7  # 35/5
    assert result["hope"].value == 8
    answers["hope"] = None
    assert scores("chime_checkin", answers)["overall"].value == 6.75  # 27/4, one missing allowed


def test_working_relationship_checkin() -> None:
    result = scores("working_relationship", {"heard": 8, "hopeful": 6, "equal": 10})
    assert result["overall"].value == 8  # 24/3
