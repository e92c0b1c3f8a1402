"""Agreement between coders, as pure functions over spans and values (no database).

* **Character-level agreement, as NVivo defines it.** For one code in one source, every character
  is a unit, and each coder either applied the code to it or did not. Characters neither coder
  coded count as agreement. With N characters, A and B the characters each coder coded and both
  the characters they both coded:

      Po = (both + (N - |A u B|)) / N                       (percent agreement = 100 * Po)
      Pe = (|A| / N) * (|B| / N) + ((N - |A|) / N) * ((N - |B|) / N)
      kappa = (Po - Pe) / (1 - Pe)

  Pe is 1 only when both coders coded all characters or both coded none; then they agree on every
  character (Po = 1), and kappa is 1.0, as NVivo reports it.
  Arithmetic is exact (fractions) and converted to float at the end, so the example in the issue
  (N = 1000, A = [0, 200), B = [50, 250)) gives exactly 0.6875.

* **Krippendorff's alpha, nominal**, for pre-segmented units with any number of coders and missing
  values, by the coincidence matrix (Krippendorff, *Computing Krippendorff's Alpha-Reliability*).

* **Consensus**: where the coders' spans for a code overlap, and the spans at least
  ``min_coders`` of them agree on.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

Interval = tuple[int, int]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same characters. Empty spans vanish."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def covered(intervals: Iterable[Interval]) -> int:
    """How many characters the intervals cover (overlaps counted once)."""
    return sum(end - start for start, end in union(intervals))


def intersection(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    """The characters both sets of intervals cover, as sorted intervals."""
    left, right = union(a), union(b)
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def _clip(intervals: Iterable[Interval], length: int) -> list[Interval]:
    clipped = [(max(0, s), min(length, e)) for s, e in intervals]
    return union(clipped)


@dataclass(frozen=True)
class CharacterAgreement:
    """Agreement of two coders on one code in one source of ``length`` characters."""

    length: int
    coded_a: int
    coded_b: int
    both: int
    neither: int
    po: Fraction
    pe: Fraction
    kappa_exact: Fraction

    @property
    def agreement(self) -> float:
        """Percent agreement, 0 to 100."""
        return float(self.po * 100)

    @property
    def kappa(self) -> float:
        return float(self.kappa_exact)

    @property
    def disagreement_a_only(self) -> int:
        return self.coded_a - self.both

    @property
    def disagreement_b_only(self) -> int:
        return self.coded_b - self.both


def character_agreement(
    length: int, a: Iterable[Interval], b: Iterable[Interval]
) -> CharacterAgreement:
    """Percent agreement and Cohen's kappa over the ``length`` characters of one source."""
    if length <= 0:
        raise ValueError("a source needs at least one character")
    span_a, span_b = _clip(a, length), _clip(b, length)
    coded_a, coded_b = covered(span_a), covered(span_b)
    both = covered(intersection(span_a, span_b))
    neither = length - (coded_a + coded_b - both)
    n = Fraction(length)
    po = (both + neither) / n
    pa, pb = coded_a / n, coded_b / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    # Pe == 1 means both coded everything or both coded nothing: full agreement (Po == 1).
    kappa = Fraction(1) if pe == 1 else (po - pe) / (1 - pe)
    return CharacterAgreement(length, coded_a, coded_b, both, neither, po, pe, kappa)


def percent_agreement(length: int, a: Iterable[Interval], b: Iterable[Interval]) -> float:
    return character_agreement(length, a, b).agreement


def cohen_kappa_characters(length: int, a: Iterable[Interval], b: Iterable[Interval]) -> float:
    return character_agreement(length, a, b).kappa


# Krippendorff's alpha ------------------------------------------------------------------------


def coincidences(data: Sequence[Sequence[V | None]]) -> dict[tuple[V, V], Fraction]:
    """The coincidence matrix o[c, k] of a reliability data matrix ``data[coder][unit]``.

    ``None`` is a missing value. A unit with m_u >= 2 values contributes, for every ordered pair
    of values from two different coders, 1 / (m_u - 1) to o[c, k]. Units with fewer than two
    values cannot be paired and are left out.
    """
    if not data:
        return {}
    units = max(len(row) for row in data)
    matrix: dict[tuple[V, V], Fraction] = defaultdict(Fraction)
    for unit in range(units):
        values: list[V] = []
        for row in data:
            value = row[unit] if unit < len(row) else None
            if value is not None:
                values.append(value)
        m = len(values)
        if m < 2:
            continue
        weight = Fraction(1, m - 1)
        for i, first in enumerate(values):
            for j, second in enumerate(values):
                if i != j:
                    matrix[(first, second)] += weight
    return dict(matrix)


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha with what it was computed from; ``value`` is None when undefined."""

    pairable: int  # n: the number of pairable values
    observed_disagreement: Fraction  # sum of o[c, k] for c != k
    expected_disagreement: Fraction  # sum of n_c * n_k for c != k
    value_exact: Fraction | None

    @property
    def value(self) -> float | None:
        return None if self.value_exact is None else float(self.value_exact)


def krippendorff_alpha(data: Sequence[Sequence[V | None]]) -> Alpha:
    """Nominal alpha = 1 - (n - 1) * sum_{c != k} o[c, k] / sum_{c != k} n_c * n_k.

    Undefined (``value_exact`` None) when fewer than two values can be paired, or when every value
    is the same category, so that no disagreement could be expected: alpha is then 0 / 0.
    """
    matrix = coincidences(data)
    totals: dict[V, Fraction] = defaultdict(Fraction)
    for (first, _second), weight in matrix.items():
        totals[first] += weight
    n = sum(totals.values(), Fraction(0))
    observed = sum((w for (c, k), w in matrix.items() if c != k), Fraction(0))
    expected = Fraction(0)
    categories = list(totals)
    for c in categories:
        for k in categories:
            if c != k:
                expected += totals[c] * totals[k]
    if n < 2 or expected == 0:
        return Alpha(int(n), observed, expected, None)
    value = 1 - (n - 1) * observed / expected
    return Alpha(int(n), observed, expected, value)


def krippendorff_alpha_nominal(data: Sequence[Sequence[V | None]]) -> float | None:
    return krippendorff_alpha(data).value


# Consensus -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment(Generic[K]):
    """A stretch of text and the coders who coded all of it."""

    start: int
    end: int
    coders: frozenset[K]


def segments(spans: Mapping[K, Iterable[Interval]]) -> list[Segment[K]]:
    """Cut the text at every span boundary; each piece names the coders that cover it.

    Pieces no coder covers are left out; neighbouring pieces with the same coders are joined.
    """
    events: dict[int, list[tuple[K, int]]] = defaultdict(list)
    for coder, intervals in spans.items():
        for start, end in union(intervals):
            events[start].append((coder, 1))
            events[end].append((coder, -1))
    active: dict[K, int] = defaultdict(int)
    result: list[Segment[K]] = []
    positions = sorted(events)
    for index, position in enumerate(positions):
        for coder, change in events[position]:
            active[coder] += change
        if index + 1 == len(positions):
            break
        coders = frozenset(c for c, count in active.items() if count > 0)
        if not coders:
            continue
        following = positions[index + 1]
        if result and result[-1].end == position and result[-1].coders == coders:
            result[-1] = Segment(result[-1].start, following, coders)
        else:
            result.append(Segment(position, following, coders))
    return result


def consensus(
    spans: Mapping[K, Iterable[Interval]], min_coders: int | None = None
) -> list[Interval]:
    """The spans at least ``min_coders`` coders agree on (default: a strict majority)."""
    coders = len(spans)
    if coders == 0:
        return []
    needed = min_coders if min_coders is not None else math.floor(coders / 2) + 1
    if not 1 <= needed <= coders:
        raise ValueError("min_coders must be between 1 and the number of coders")
    return union((s.start, s.end) for s in segments(spans) if len(s.coders) >= needed)
