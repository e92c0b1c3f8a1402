"""Scoring rules as data, and the pure functions that apply them.

A definition's rules are JSON::

    {"scales": [{"code": "total", "label": {"en": "...", "da": "...", "ja": "..."},
                 "items": ["q1", "q2"], "method": "sum" | "mean" | "count_true",
                 "item_min": 0, "item_max": 4, "reverse": ["q2"], "rescale": false,
                 "important_only": false, "not_applicable": ["na"], "max_missing": 0,
                 "higher_is_better": true,
                 "reliable_change": 6, "loinc": "",
                 "bands": [{"code": "mild", "min": 5, "max": 9, "label": {"en": "Mild"}}]}],
     "talk_areas": ["q1"],
     "risk_items": [{"code": "self_harm_thoughts", "item": "q9", "at_least": 1}]}

* ``reverse``: a reversed answer counts as ``item_min + item_max - answer``.
* ``important_only``: only items whose companion boolean ``<linkId>.important`` is true count
  (INSPIRE Support); the others are left out, not missing.
* ``not_applicable``: answer codes that mean "does not apply" (the RSA's N/A): an item answered so
  is left out of the scale, neither counted nor missing, so it never moves a mean.
* ``max_missing``: up to this many unanswered items are allowed; the score is then prorated
  (a sum becomes the mean of the answered items times the number of items). More missing: no score.
* ``rescale``: the score is mapped to 0-100 over its possible range.
* ``bands``: the last band whose ``min`` the score reaches (a prorated 4.5 with bands 0-4, 5-9 is in
  the first band); no band below the lowest ``min`` or above the highest ``max``.
* ``reliable_change``: a change of at least this much between consecutive scores is reliable,
  ``higher_is_better`` tells improvement from worsening.

* ``risk_items``: an answer to ``item`` of at least ``at_least`` raises a risk alert to the care
  team (``alongside.alerts``); ``code`` names the risk, never the item's (licensed) wording.

``score_response`` scores one response; ``score_batch`` does the same for many at once with NumPy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

IMPORTANT_SUFFIX = ".important"
METHODS = ("sum", "mean", "count_true")
Status = Literal["ok", "too_many_missing", "no_items"]
Change = Literal["improved", "worse"]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ScaleScore:
    value: float | None
    raw: float | None
    answered: int
    missing: int
    prorated: bool
    band: str | None
    status: Status

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _number(value: object) -> float | None:
    """An answer as a number, or None when unanswered. Booleans count as 1/0."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return float(str(value))


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "yes", "1"))


def band_for(scale: Mapping[str, Any], value: float | None) -> str | None:
    """The code of the band holding ``value``: the last band whose ``min`` it reaches."""
    if value is None:
        return None
    bands = sorted(scale.get("bands", []), key=lambda b: float(b["min"]))
    found = None
    for band in bands:
        if value >= float(band["min"]):
            found = band
    # A prorated score may fall between two integer bands (4.5 with bands 0-4, 5-9): it stays in
    # the lower band. Only above the top band's max is there no band.
    if found is None or value > float(bands[-1]["max"]):
        return None
    return str(found["code"])


def _not_applicable(scale: Mapping[str, Any], value: object) -> bool:
    codes = scale.get("not_applicable") or ()
    return value is not None and str(getattr(value, "code", value)) in {str(c) for c in codes}


def scale_items(scale: Mapping[str, Any], answers: Mapping[str, object]) -> list[str]:
    """The items that count for this response: important ones only, and none answered N/A."""
    items = [str(i) for i in scale["items"]]
    if scale.get("important_only"):
        items = [i for i in items if _truthy(answers.get(i + IMPORTANT_SUFFIX))]
    return [i for i in items if not _not_applicable(scale, answers.get(i))]


def _rescaled(scale: Mapping[str, Any], raw: float, n: int) -> float:
    low, high = float(scale["item_min"]), float(scale["item_max"])
    if scale["method"] == "sum":
        low, high = low * n, high * n
    return (raw - low) / (high - low) * 100.0


def score_scale(scale: Mapping[str, Any], answers: Mapping[str, object]) -> ScaleScore:
    """Score one scale of one response; ``answers`` maps linkId to answer (None = unanswered)."""
    items = scale_items(scale, answers)
    n = len(items)
    if n == 0:
        return ScaleScore(None, None, 0, 0, False, None, "no_items")
    method = scale["method"]
    reverse = set(scale.get("reverse", []))
    values: list[float] = []
    for link_id in items:
        number = _number(answers.get(link_id))
        if number is None:
            continue
        if link_id in reverse:
            number = float(scale["item_min"]) + float(scale["item_max"]) - number
        values.append(number)
    answered = len(values)
    missing = n - answered
    if answered == 0 or missing > int(scale.get("max_missing", 0)):
        return ScaleScore(None, None, answered, missing, False, None, "too_many_missing")
    total = float(sum(values))
    mean = total / answered
    prorated = missing > 0
    if method == "count_true":
        raw = total
        prorated = False
    elif method == "mean":
        raw = mean
    else:
        raw = mean * n if prorated else total
    value = _rescaled(scale, raw, n) if scale.get("rescale") else raw
    value = round(value, 4)
    return ScaleScore(
        value, round(raw, 4), answered, missing, prorated, band_for(scale, value), "ok"
    )


def score_response(
    rules: Mapping[str, Any], answers: Mapping[str, object]
) -> dict[str, ScaleScore]:
    """Every scale of the rules, scored."""
    return {str(scale["code"]): score_scale(scale, answers) for scale in rules.get("scales", [])}


def reliable_change(
    previous: float | None,
    current: float | None,
    threshold: float | None,
    *,
    higher_is_better: bool,
) -> Change | None:
    """'improved' or 'worse' when the change reaches the threshold, else None."""
    if previous is None or current is None or threshold is None:
        return None
    change = current - previous
    if abs(change) < float(threshold):
        return None
    return "improved" if (change > 0) == higher_is_better else "worse"


@dataclass(frozen=True)
class RiskHit:
    """An answer that reached a risk item's threshold."""

    code: str
    item: str
    value: float
    at_least: float


def risk_hits(rules: Mapping[str, Any], answers: Mapping[str, object]) -> list[RiskHit]:
    """Every risk item of the rules whose answer reaches its threshold."""
    hits = []
    for risk in rules.get("risk_items", []):
        value = _number(answers.get(str(risk["item"])))
        if value is not None and value >= float(risk["at_least"]):
            hits.append(
                RiskHit(str(risk["code"]), str(risk["item"]), value, float(risk["at_least"]))
            )
    return hits


def score_batch(
    scale: Mapping[str, Any],
    matrix: FloatArray,
    important: npt.NDArray[np.bool_] | None = None,
    not_applicable: npt.NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Score many responses at once, exactly as ``score_scale`` does one.

    ``matrix`` has one row per response and one column per item of ``scale["items"]`` (NaN =
    unanswered); ``important`` flags the items that count when the scale is important-only;
    ``not_applicable`` flags the items answered "does not apply", which are left out.
    Returns the values, NaN where there is no score.
    """
    values = np.array(matrix, dtype=np.float64, copy=True)
    items = [str(i) for i in scale["items"]]
    low, high = float(scale.get("item_min", 0)), float(scale.get("item_max", 1))
    reverse = [k for k, link_id in enumerate(items) if link_id in set(scale.get("reverse", []))]
    if reverse:
        values[:, reverse] = low + high - values[:, reverse]
    counts = np.ones(values.shape, dtype=np.bool_)
    if scale.get("important_only") and important is not None:
        counts &= important
    if not_applicable is not None:
        counts &= ~not_applicable
    values = np.where(counts, values, np.nan)
    n = counts.sum(axis=1).astype(np.float64)
    answered = (~np.isnan(values)).sum(axis=1).astype(np.float64)
    total = np.nansum(values, axis=1)
    missing = n - answered
    invalid = (answered == 0) | (missing > int(scale.get("max_missing", 0)))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / answered
        if scale["method"] == "mean":
            raw = mean
        elif scale["method"] == "count_true":
            raw = total
        else:
            raw = np.where(missing > 0, mean * n, total)
        if scale.get("rescale"):
            if scale["method"] == "sum":
                raw = (raw - low * n) / ((high - low) * n) * 100.0
            else:
                raw = (raw - low) / (high - low) * 100.0
    result: FloatArray = np.where(invalid, np.nan, np.round(raw, 4))
    return result


def check_rules(rules: Mapping[str, Any], item_types: Mapping[str, str]) -> list[str]:
    """Problems in a set of rules against the questionnaire's items (linkId -> type)."""
    errors: list[str] = []
    codes: set[str] = set()
    for scale in rules.get("scales", []):
        code = str(scale.get("code", ""))
        if not code or code in codes:
            errors.append(_("Scale %(code)s: needs a unique code.") % {"code": code or "?"})
        codes.add(code)
        if scale.get("method") not in METHODS:
            errors.append(_("Scale %(code)s: unknown method.") % {"code": code})
        items = [str(i) for i in scale.get("items", [])]
        if not items:
            errors.append(_("Scale %(code)s: has no items.") % {"code": code})
        for link_id in items:
            if link_id not in item_types:
                errors.append(
                    _("Scale %(code)s: item %(link_id)s is not in the questionnaire.")
                    % {"code": code, "link_id": link_id}
                )
            if scale.get("important_only") and link_id + IMPORTANT_SUFFIX not in item_types:
                errors.append(
                    _("Scale %(code)s: item %(link_id)s has no importance question.")
                    % {"code": code, "link_id": link_id}
                )
        for link_id in scale.get("reverse", []):
            if link_id not in items:
                errors.append(
                    _("Scale %(code)s: reversed item %(link_id)s is not one of its items.")
                    % {"code": code, "link_id": link_id}
                )
        if scale.get("method") in ("sum", "mean"):
            low, high = scale.get("item_min"), scale.get("item_max")
            if low is None or high is None or float(low) >= float(high):
                errors.append(_("Scale %(code)s: needs item_min below item_max.") % {"code": code})
        for band in scale.get("bands", []):
            if float(band.get("min", 0)) > float(band.get("max", 0)) or not band.get("code"):
                errors.append(
                    _("Scale %(code)s: band %(band)s is malformed.")
                    % {"code": code, "band": band.get("code", "?")}
                )
    for declared in rules.get("licensed_scales", []):
        code = str(declared.get("code", ""))
        if not code or code in codes or "items" in declared:
            errors.append(
                _(
                    "Licensed scale %(code)s: needs a unique code and no items (the licence holder "
                    "gives them)."
                )
                % {"code": code or "?"}
            )
        codes.add(code)
        if declared.get("method") not in METHODS:
            errors.append(_("Scale %(code)s: unknown method.") % {"code": code})
    for link_id in rules.get("talk_areas", []):
        if link_id not in item_types:
            errors.append(
                _("Talk area %(link_id)s is not in the questionnaire.") % {"link_id": link_id}
            )
    for risk in rules.get("risk_items", []):
        link_id = str(risk.get("item", ""))
        if not risk.get("code") or link_id not in item_types:
            errors.append(
                _("Risk item %(link_id)s: needs a code and an item of the questionnaire.")
                % {"link_id": link_id or "?"}
            )
        if not isinstance(risk.get("at_least"), int | float) or isinstance(
            risk.get("at_least"), bool
        ):
            errors.append(
                _("Risk item %(link_id)s: needs a number in at_least.")
                % {"link_id": link_id or "?"}
            )
    return errors


def scale_by_code(rules: Mapping[str, Any], code: str) -> Mapping[str, Any] | None:
    for scale in rules.get("scales", []):
        if scale.get("code") == code:
            return dict(scale)
    return None


def numeric_items(scale: Mapping[str, Any]) -> Sequence[str]:
    return [str(i) for i in scale["items"]]
