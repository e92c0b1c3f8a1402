"""How big a change must be before the charts and the alerts call it reliable, and what we may say.

Three honest bases, per scale:

- **published**: a licensed measure takes the published reliable-change threshold in its scoring
  data (``reliable_change``), with its own wording ("reliably better / worse");
- **service**: one of our own check-ins, once the service has ``MIN_RESPONSES`` complete responses
  to it: the Jacobson-Truax threshold ``1.96 x SD x sqrt(2) x sqrt(1 - alpha)`` from Cronbach's
  alpha and the spread of scores estimated on those responses (``insight.reliability``). Staff are
  shown alpha and n;
- **provisional**: our own check-in before that: the chosen threshold in its scoring data (2
  points), worded "changed by 2 points or more", with no claim about chance.

Why 100: with 100 respondents and five items, an alpha near 0.8 is known to within about
0.73-0.86 (Feldt's 95% interval), narrow enough for a threshold; with 30 it would be 0.66-0.89.

The estimates are stored (``ReliabilityEstimate``), refreshed by ``refresh_estimates`` from the
reminder worker's round, so drawing a chart or saving a response reads one small row per scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.utils import timezone

from alongside.insight.reliability import MIN_RESPONSES, Z, estimate
from alongside.measures.models import Instrument, InstrumentKind, ReliabilityEstimate
from alongside.measures.stored import scored_answers

REFRESH_EVERY = timedelta(hours=1)

__all__ = ["MIN_RESPONSES", "Basis", "ChangeRule", "rci", "refresh_estimates", "rules_for"]


class Basis(StrEnum):
    PUBLISHED = "published"
    SERVICE = "service"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class ChangeRule:
    """The smallest change that counts for one scale, and on what basis."""

    basis: Basis
    threshold: float | None
    n: int = 0
    alpha: float | None = None

    @property
    def claims_reliability(self) -> bool:
        """Whether the words may say "reliably": not for a chosen, provisional threshold."""
        return self.basis is not Basis.PROVISIONAL


def rci(previous: float, current: float, sd: float, alpha: float) -> float:
    """The Jacobson-Truax reliable change index: the change over the standard error of a
    difference, ``(x2 - x1) / (SD x sqrt(2) x sqrt(1 - alpha))``; reliable beyond +-1.96."""
    return (current - previous) / (sd * math.sqrt(2) * math.sqrt(1 - alpha))


def rule_for(
    kind: str, scale: Mapping[str, Any], estimate: ReliabilityEstimate | None
) -> ChangeRule:
    chosen = scale.get("reliable_change")
    threshold = None if chosen is None else float(chosen)
    if kind != InstrumentKind.OWN:
        return ChangeRule(Basis.PUBLISHED, threshold)
    if estimate is not None and estimate.threshold is not None:
        return ChangeRule(Basis.SERVICE, estimate.threshold, estimate.n, estimate.alpha)
    return ChangeRule(Basis.PROVISIONAL, threshold, estimate.n if estimate else 0)


def rules_for(instrument: Instrument, scoring: Mapping[str, Any]) -> dict[str, ChangeRule]:
    """Every scale's rule for this instrument (one query)."""
    estimates = {
        e.scale: e for e in ReliabilityEstimate.objects.filter(instrument_id=instrument.pk)
    }
    return {
        str(scale["code"]): rule_for(instrument.kind, scale, estimates.get(str(scale["code"])))
        for scale in scoring.get("scales", [])
    }


def _estimate(instrument: Instrument, scale_code: str) -> dict[str, Any]:
    matrix, scores = scored_answers(instrument.pk, scale_code)
    found = estimate(matrix, scores, minimum=MIN_RESPONSES)
    return {"n": found.n, "alpha": found.alpha, "sd": found.sd, "threshold": found.threshold}


def refresh_estimates(now: datetime | None = None, *, force: bool = False) -> int:
    """Estimate alpha for every multi-item scale of our own instruments, at most once per
    ``REFRESH_EVERY`` (the worker calls this every round). Answers how many were refreshed."""
    from alongside.measures.definitions import current_version

    moment = now or timezone.now()
    newest = ReliabilityEstimate.objects.order_by("-computed_at").first()
    if not force and newest is not None and newest.computed_at > moment - REFRESH_EVERY:
        return 0
    count = 0
    for instrument in Instrument.objects.filter(kind=InstrumentKind.OWN):
        version = current_version(instrument)
        for scale in (version.scoring if version else {}).get("scales", []):
            if len(scale.get("items", [])) < 2 or scale.get("method") == "count_true":
                continue  # alpha needs two items or more
            ReliabilityEstimate.objects.update_or_create(
                instrument=instrument,
                scale=str(scale["code"]),
                defaults={**_estimate(instrument, str(scale["code"])), "computed_at": moment},
            )
            count += 1
    return count


# Re-exported so a reader finds the 1.96 where the rule is.
CRITICAL_Z = Z
