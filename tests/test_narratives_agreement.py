"""Agreement between coders: NVivo's character-level kappa, Krippendorff's alpha, consensus.

Expected values are worked out by hand in the comments, with exact fractions.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from alongside.narratives.agreement import (
    Segment,
    character_agreement,
    cohen_kappa_characters,
    coincidences,
    consensus,
    covered,
    intersection,
    krippendorff_alpha,
    krippendorff_alpha_nominal,
    percent_agreement,
    segments,
    union,
)

# Character-level kappa (NVivo) ---------------------------------------------------------------


def test_the_issue_example_gives_exactly_0_6875() -> None:
    # N = 1000; A codes [0, 200), B codes [50, 250).
    # both = [50, 200) = 150; either = [0, 250) = 250; neither = 1000 - 250 = 750.
    # Po = (150 + 750) / 1000 = 9/10.
    # Pe = (200/1000)(200/1000) + (800/1000)(800/1000) = 1/25 + 16/25 = 17/25.
    # kappa = (9/10 - 17/25) / (1 - 17/25) = (45/50 - 34/50) / (8/25) = (11/50) / (16/50) = 11/16.
    result = character_agreement(1000, [(0, 200)], [(50, 250)])
    assert (result.both, result.neither) == (150, 750)
    assert result.po == Fraction(9, 10)
    assert result.pe == Fraction(17, 25)
    assert result.kappa_exact == Fraction(11, 16)
    assert result.kappa == 0.6875
    assert cohen_kappa_characters(1000, [(0, 200)], [(50, 250)]) == 0.6875
    assert percent_agreement(1000, [(0, 200)], [(50, 250)]) == 90.0


def test_disjoint_coding_gives_a_negative_kappa() -> None:
    # N = 100; A [0, 10), B [50, 60). both = 0, neither = 100 - 20 = 80, Po = 4/5.
    # Pe = (1/10)(1/10) + (9/10)(9/10) = 1/100 + 81/100 = 41/50.
    # kappa = (40/50 - 41/50) / (9/50) = -1/9.
    result = character_agreement(100, [(0, 10)], [(50, 60)])
    assert result.po == Fraction(4, 5)
    assert result.pe == Fraction(41, 50)
    assert result.kappa_exact == Fraction(-1, 9)
    assert result.agreement == 80.0


def test_identical_coding_gives_kappa_one() -> None:
    # Po = 1, Pe = (1/5)^2 + (4/5)^2 = 17/25 < 1, kappa = (1 - 17/25) / (1 - 17/25) = 1.
    result = character_agreement(100, [(10, 30)], [(10, 30)])
    assert result.kappa_exact == 1
    assert result.agreement == 100.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([], []),  # neither coded anything: Pe = 0*0 + 1*1 = 1
        ([(0, 50)], [(0, 50)]),  # both coded everything: Pe = 1*1 + 0*0 = 1
    ],
)
def test_when_chance_agreement_is_one_kappa_is_one(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    result = character_agreement(50, a, b)
    assert result.pe == 1
    assert result.po == 1
    assert result.kappa == 1.0
    assert result.agreement == 100.0


def test_one_coder_everything_the_other_nothing_gives_kappa_zero() -> None:
    # Po = 0; Pe = 1*0 + 0*1 = 0; kappa = (0 - 0) / (1 - 0) = 0.
    result = character_agreement(40, [(0, 40)], [])
    assert result.po == 0
    assert result.pe == 0
    assert result.kappa_exact == 0


def test_overlapping_selections_of_one_coder_count_each_character_once() -> None:
    # A's [0, 100) and [50, 200) are the same characters as [0, 200): same kappa as the example.
    result = character_agreement(1000, [(0, 100), (50, 200)], [(50, 250)])
    assert result.coded_a == 200
    assert result.kappa == 0.6875


def test_several_spans_per_coder() -> None:
    # N = 20; A [0,5) + [10,15) = 10 chars; B [3,12) = 9 chars.
    # both = [3,5) + [10,12) = 4; either = 10 + 9 - 4 = 15; neither = 5. Po = 9/20.
    # Pe = (10/20)(9/20) + (10/20)(11/20) = 90/400 + 110/400 = 1/2.
    # kappa = (9/20 - 10/20) / (1/2) = -1/10.
    result = character_agreement(20, [(0, 5), (10, 15)], [(3, 12)])
    assert (result.coded_a, result.coded_b, result.both, result.neither) == (10, 9, 4, 5)
    assert result.kappa_exact == Fraction(-1, 10)


def test_an_empty_source_has_no_agreement() -> None:
    with pytest.raises(ValueError, match="at least one character"):
        character_agreement(0, [], [])


def test_interval_helpers() -> None:
    assert union([(5, 8), (0, 3), (3, 4), (7, 9), (10, 10)]) == [(0, 4), (5, 9)]
    assert covered([(0, 10), (5, 15)]) == 15
    assert intersection([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]


# Krippendorff's alpha (nominal) --------------------------------------------------------------


def test_alpha_two_coders_no_missing_values() -> None:
    # Units:    1  2  3  4  5
    # coder 1:  a  a  b  b  a
    # coder 2:  a  b  b  b  a
    # Each unit has m = 2 values, so each ordered pair weighs 1/(2-1) = 1.
    # o[a,a] = 2 (unit 1) + 2 (unit 5) = 4; o[b,b] = 2 + 2 = 4; o[a,b] = o[b,a] = 1 (unit 2).
    # n_a = 5, n_b = 5, n = 10.
    # alpha = 1 - (n - 1) * (o[a,b] + o[b,a]) / (n_a n_b + n_b n_a) = 1 - 9 * 2 / 50 = 16/25.
    data = [["a", "a", "b", "b", "a"], ["a", "b", "b", "b", "a"]]
    assert coincidences(data) == {
        ("a", "a"): 4,
        ("a", "b"): 1,
        ("b", "a"): 1,
        ("b", "b"): 4,
    }
    alpha = krippendorff_alpha(data)
    assert alpha.value_exact == Fraction(16, 25)
    assert alpha.value == 0.64


def test_alpha_textbook_example_with_missing_values() -> None:
    # Krippendorff's worked example (Computing Krippendorff's Alpha-Reliability): four observers,
    # twelve units, values 1-5, "." missing.
    #   unit:  1 2 3 4 5 6 7 8 9 10 11 12
    #   A:     1 2 3 3 2 1 4 1 2 .  .  .
    #   B:     1 2 3 3 2 2 4 1 2 5  .  3
    #   C:     . 3 3 3 2 3 4 2 2 5  1  .
    #   D:     1 2 3 3 2 4 4 1 2 5  1  .
    # Unit 12 has one value: not pairable. Units 1 (m=3: 1,1,1), 10 (m=3: 5,5,5), 11 (m=2: 1,1)
    # and the 4-value units fill the coincidence matrix, e.g. unit 6 (1,2,3,4; m=4) adds
    # 1/3 to every o[c,k] with c != k among 1..4, and unit 2 (2,3,2,2) adds 3 * 2/3 = 2 to
    # o[2,2] and 3 * 1/3 = 1 to each of o[2,3], o[3,2].
    #   o =   1     2     3     4    5      n_c
    #   1     7    4/3   1/3   1/3   0       9
    #   2    4/3   10    4/3   1/3   0      13
    #   3    1/3   4/3    8    1/3   0      10
    #   4    1/3   1/3   1/3    4    0       5
    #   5     0     0     0     0    3       3      n = 40
    # Off-diagonal sum = 2 * (4/3 + 1/3 + 1/3 + 4/3 + 1/3 + 1/3) = 8.
    # sum_{c != k} n_c n_k = n^2 - sum n_c^2 = 1600 - (81 + 169 + 100 + 25 + 9) = 1216.
    # alpha = 1 - (40 - 1) * 8 / 1216 = 1 - 312/1216 = 904/1216 = 113/152 = 0.743...
    # (Krippendorff reports 0.743 for nominal data.)
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    matrix = coincidences(data)
    third = Fraction(1, 3)
    assert matrix[(1, 1)] == 7
    assert matrix[(1, 2)] == 4 * third
    assert matrix[(2, 2)] == 10
    assert matrix[(3, 3)] == 8
    assert matrix[(4, 4)] == 4
    assert matrix[(5, 5)] == 3
    assert matrix[(3, 4)] == third
    assert (5, 1) not in matrix
    alpha = krippendorff_alpha(data)
    assert alpha.pairable == 40
    assert alpha.observed_disagreement == 8
    assert alpha.expected_disagreement == 1216
    assert alpha.value_exact == Fraction(113, 152)
    assert round(krippendorff_alpha_nominal(data) or 0, 3) == 0.743


def test_alpha_three_coders_with_a_gap() -> None:
    # Units:   1  2  3
    # c1:      x  x  y
    # c2:      x  .  y
    # c3:      x  y  y
    # unit 1 (x,x,x; m=3): 6 ordered pairs * 1/2 -> o[x,x] += 3.
    # unit 2 (x,y; m=2):   o[x,y] += 1, o[y,x] += 1.
    # unit 3 (y,y,y; m=3): o[y,y] += 3.
    # n_x = 4, n_y = 4, n = 8. alpha = 1 - 7 * 2 / (2 * 16) = 1 - 14/32 = 9/16.
    data: list[list[str | None]] = [["x", "x", "y"], ["x", None, "y"], ["x", "y", "y"]]
    assert krippendorff_alpha(data).value_exact == Fraction(9, 16)


def test_alpha_is_undefined_without_variation_or_pairs() -> None:
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]).value is None  # one category only
    assert krippendorff_alpha([["a", None], [None, "b"]]).value is None  # nothing pairable
    assert krippendorff_alpha([]).value is None


def test_alpha_perfect_agreement_is_one() -> None:
    assert krippendorff_alpha([["a", "b", "c"], ["a", "b", "c"]]).value == 1.0


# Consensus -----------------------------------------------------------------------------------


def test_segments_name_the_coders_covering_each_piece() -> None:
    spans = {"a": [(0, 10)], "b": [(5, 15)], "c": [(8, 9)]}
    assert segments(spans) == [
        Segment(0, 5, frozenset({"a"})),
        Segment(5, 8, frozenset({"a", "b"})),
        Segment(8, 9, frozenset({"a", "b", "c"})),
        Segment(9, 10, frozenset({"a", "b"})),
        Segment(10, 15, frozenset({"b"})),
    ]


def test_consensus_by_majority_all_or_any() -> None:
    spans = {"a": [(0, 10)], "b": [(5, 15)], "c": [(8, 20)]}
    assert consensus(spans) == [(5, 15)]  # two of three
    assert consensus(spans, min_coders=3) == [(8, 10)]
    assert consensus(spans, min_coders=1) == [(0, 20)]
    with pytest.raises(ValueError, match="min_coders"):
        consensus(spans, min_coders=4)
    assert consensus({}) == []


def test_consensus_of_two_coders_is_their_overlap() -> None:
    assert consensus({"a": [(0, 200)], "b": [(50, 250)]}) == [(50, 200)]
