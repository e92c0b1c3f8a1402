"""Scales whose item key comes with the licence, not with Alongside.

Some licensed measures ship a scale's rules (method, range, N/A codes, direction, label) but not
which items belong to it, because the key is part of the licensed material and could not be
checked here (the Recovery Self-Assessment's factors: docs/measures-wording.md). The shipped
scoring declares such scales under ``licensed_scales``, each without ``items``; the licence
holder gives the items in the wording file (``"scales": {"life_goals": ["q3", ...], ...}``), and
``complete_rules`` turns the declarations into ordinary scales, placed before the shipped ones.

Pure functions: the write path is ``measures.services.load_wording``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

LICENSED_SCALES = "licensed_scales"


def declared_codes(rules: Mapping[str, Any]) -> list[str]:
    """The codes of the scales the licence holder must key, in their declared order."""
    return [str(scale["code"]) for scale in rules.get(LICENSED_SCALES, [])]


def shipped_part(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The rules as shipped: without the scales a licence holder's key added.

    ``load_definition`` compares this with the shipped file, so syncing the shipped instruments
    again after the key was loaded is still a no-op.
    """
    keyed = set(declared_codes(rules))
    shipped = dict(rules)
    shipped["scales"] = [s for s in rules.get("scales", []) if s.get("code") not in keyed]
    return shipped


def key_problems(
    rules: Mapping[str, Any], key: object, answered_items: Sequence[str]
) -> dict[str, str]:
    """What is wrong with a licence holder's item key, by scale code (empty when it is usable).

    Every declared scale needs a non-empty list of the questionnaire's answered items, each once;
    an item may belong to one keyed scale only; no undeclared scale is accepted.
    """
    codes = declared_codes(rules)
    if not codes:
        return {"scales": _("This questionnaire has no scales keyed by the licence holder.")}
    if not isinstance(key, Mapping):
        return {"scales": _("Give each factor's items: %s.") % ", ".join(codes)}
    problems: dict[str, str] = {}
    unknown = sorted(str(code) for code in key if code not in codes)
    if unknown:
        problems["scales"] = _("Unknown scales: %s") % ", ".join(unknown)
    owner: dict[str, str] = {}
    for code in codes:
        items = key.get(code)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            problems[code] = _("Give the items of %(code)s as a list of linkIds.") % {"code": code}
            continue
        strangers = [i for i in items if i not in answered_items]
        twice = sorted({i for i in items if items.count(i) > 1} | {i for i in items if i in owner})
        if strangers:
            problems[code] = _("%(code)s: not items of this questionnaire: %(items)s") % {
                "code": code,
                "items": ", ".join(strangers),
            }
        elif twice:
            problems[code] = _("%(code)s: items given twice or in two factors: %(items)s") % {
                "code": code,
                "items": ", ".join(twice),
            }
        owner.update(dict.fromkeys(items, code))
    return problems


def complete_rules(rules: Mapping[str, Any], key: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The rules with each declared scale given its items, before the shipped scales.

    Up to a quarter of a keyed scale's items may be unanswered (rounded down), as for the shipped
    total. Call ``key_problems`` first.
    """
    keyed = []
    for declared in rules.get(LICENSED_SCALES, []):
        items = list(key[str(declared["code"])])
        keyed.append({**declared, "items": items, "max_missing": len(items) // 4})
    completed = shipped_part(rules)
    completed["scales"] = keyed + list(completed["scales"])
    return completed


def keyed_items(rules: Mapping[str, Any]) -> dict[str, list[str]]:
    """The key a version holds now (code -> items), empty before the licence holder loads it."""
    codes = set(declared_codes(rules))
    return {
        str(scale["code"]): [str(i) for i in scale.get("items", [])]
        for scale in rules.get("scales", [])
        if scale.get("code") in codes
    }
