"""Cronbach's alpha and the Jacobson-Truax threshold, against numbers worked out by hand; and
the service's own estimate waits for enough responses."""

from __future__ import annotations

import math

import pytest

from alongside.insight.reliability import (
    MIN_RESPONSES,
    cronbach_alpha,
    jacobson_truax,
    read_scores,
    service_reliability,
)
from tests.access_matrix_measures import answer_chime
from tests.personas import World

# Four respondents, three items. Item variances 5/3, 2/3, 5/3 (sum 4); totals 5, 8, 10, 13 have
# variance 34/3. Alpha = 3/2 x (1 - 4 / (34/3)) = 1.5 x 22/34 = 0.9706.
MATRIX = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]]


def test_cronbach_alpha_by_hand() -> None:
    alpha = cronbach_alpha(MATRIX)
    assert alpha is not None
    assert round(alpha, 4) == 0.9706
    assert cronbach_alpha([[1, 2]]) is None  # one respondent
    assert cronbach_alpha([[3, 3], [3, 3]]) is None  # no spread


def test_jacobson_truax_by_hand() -> None:
    # SD of totals sqrt(34/3) = 3.3665; 1.96 x 3.3665 x sqrt(2) x sqrt(1 - 0.9706) = 1.60.
    alpha = cronbach_alpha(MATRIX)
    assert alpha is not None
    assert round(jacobson_truax(math.sqrt(34 / 3), alpha), 2) == 1.60
    assert jacobson_truax(2.0, 1.0) == 0.0


@pytest.mark.usefixtures("db")
def test_too_few_responses_claim_nothing(world: World) -> None:
    for level in (3, 5, 7):
        answer_chime(world, level)
    matrix, scores = read_scores("chime_checkin", "overall")
    reliability = service_reliability("chime_checkin", "overall")
    assert reliability.threshold is None
    assert reliability.n == len(scores) == 3 < MIN_RESPONSES
    assert all(len(row) == 5 for row in matrix)  # the five CHIME processes
