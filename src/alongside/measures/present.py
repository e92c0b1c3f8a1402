"""From the engine's read helpers to what the pages show: charts, score lists, answers in words.

Callers have opened the person through the access layer; this module only shapes data. The charts
themselves are drawn by ``charts`` (pure functions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from alongside.measures import charts, queries
from alongside.measures.definitions import (
    current_version,
    flat_items,
    item_map,
    item_text,
    option_choices,
)
from alongside.measures.models import Instrument, Response, TalkArea
from alongside.measures.reliable import MIN_RESPONSES, Basis, ChangeRule, rules_for
from alongside.people.models import Person

CHIME_LETTERS = ("c", "h", "i", "m", "e")
# Scale codes that name a CHIME process in words (the CHIME check-in uses these).
CHIME_WORDS = {
    "connectedness": "c",
    "hope": "h",
    "identity": "i",
    "meaning": "m",
    "empowerment": "e",
}
TONES = ("low", "mid", "high")


def _tones(count: int, higher_is_better: bool) -> list[str]:
    """Band shades from worst to best, so the colours always mean the same thing."""
    if count <= 1:
        return ["neutral"] * count
    order = ["low"] + ["mid"] * (count - 2) + ["high"]
    return order if higher_is_better else list(reversed(order))


def chart_bands(info: queries.ScaleInfo, language: str) -> list[charts.Band]:
    ordered = sorted(info.bands, key=lambda b: b.min)
    tones = _tones(len(ordered), info.higher_is_better)
    return [
        charts.Band(
            low=band.min,
            high=band.max,
            label=band.label.get(language[:2]) or band.label.get("en") or band.code,
            tone=tone,
        )
        for band, tone in zip(ordered, tones, strict=True)
    ]


def _change(value: str | None) -> charts.Change | None:
    if value == "improved":
        return charts.Change.BETTER
    if value == "worse":
        return charts.Change.WORSE
    return None


def change_note(rule: ChangeRule, *, staff: bool) -> str:
    """What a change marker means for one scale, honestly: published, worked out from this
    service's answers (alpha and n for staff), or a chosen size that claims nothing about chance."""
    if rule.threshold is None:
        return ""
    points = charts.format_number(rule.threshold)
    if rule.basis is Basis.PUBLISHED:
        return _(
            "A change of %(points)s points or more is marked as reliable, by the threshold "
            "published for this measure."
        ) % {"points": points}
    if rule.basis is Basis.SERVICE:
        if staff:
            return _(
                "A change of %(points)s points or more is marked as reliable (Jacobson-Truax), "
                "worked out from this service's own answers: Cronbach's alpha %(alpha)s, "
                "%(n)s answers."
            ) % {
                "points": points,
                "alpha": number_format(round(rule.alpha or 0, 2), decimal_pos=2),
                "n": rule.n,
            }
        return _(
            "A change of %(points)s points or more is marked as reliable: bigger than the usual "
            "ups and downs of this questionnaire, worked out from many answers in this service."
        ) % {"points": points}
    return _(
        "A change of %(points)s points or more is marked. This size was chosen, not worked out "
        "from answers, so it says nothing about chance. Once the service has %(minimum)s answers "
        "(now %(n)s), it will be worked out from them."
    ) % {"points": points, "minimum": MIN_RESPONSES, "n": rule.n}


def _changed_by(rule: ChangeRule | None) -> float | None:
    return rule.threshold if rule is not None and not rule.claims_reliability else None


def trend_charts(
    person: Person,
    instrument: Instrument,
    language: str,
    *,
    primary_only: bool = False,
    staff: bool = False,
) -> list[charts.Chart]:
    """The instrument's scales over time. The first scale (the total) and any scale with
    interpretation bands get a chart of their own; the other scales that share a range are drawn
    together, told apart by line pattern. Changes are marked by each scale's ``ChangeRule``.
    ``primary_only`` keeps the first scale only (the overview page); ``staff`` shows the
    service's alpha and n."""
    infos = queries.scales(instrument.code)
    version = current_version(instrument) or instrument.versions.order_by("-loaded_at").first()
    rules = rules_for(instrument, version.scoring if version is not None else {})
    thresholds = {code: rule.threshold for code, rule in rules.items()}
    points = queries.trend(person, instrument.code, language, thresholds)
    by_scale: dict[str, list[charts.Point]] = {}
    for point in points:
        if point.value is not None:
            by_scale.setdefault(point.scale_code, []).append(
                charts.Point(point.date, point.value, _change(point.reliable_change))
            )
    if primary_only:
        infos = infos[:1]
    name = instrument.name(language)
    found: list[charts.Chart] = []
    grouped: dict[tuple[float, float], list[queries.ScaleInfo]] = {}
    for position, info in enumerate(infos):
        if info.bands or position == 0:
            found.append(
                charts.trend_chart(
                    chart_id=f"trend-{instrument.code}-{info.code}".replace(".", "-"),
                    title=f"{name}: {info.label(language)}",
                    series=[charts.Series(info.label(language), by_scale.get(info.code, []))],
                    y_min=info.min,
                    y_max=info.max,
                    bands=chart_bands(info, language),
                    y_label=_higher_means(info),
                    changed_by=_changed_by(rules.get(info.code)),
                    note=change_note(rules[info.code], staff=staff) if info.code in rules else "",
                )
            )
        else:
            grouped.setdefault((info.min, info.max), []).append(info)
    for (low, high), members in grouped.items():
        found.append(
            charts.trend_chart(
                chart_id=f"trend-{instrument.code}-{members[0].code}".replace(".", "-"),
                title=f"{name}: " + ", ".join(m.label(language) for m in members),
                series=[
                    charts.Series(m.label(language), by_scale.get(m.code, [])) for m in members
                ],
                y_min=low,
                y_max=high,
                y_label=_higher_means(members[0]),
                changed_by=_changed_by(rules.get(members[0].code)),
            )
        )
    return found


def _higher_means(info: queries.ScaleInfo) -> str:
    return _("Higher is better") if info.higher_is_better else _("Lower is better")


@dataclass(frozen=True)
class ScoreLine:
    label: str
    value: str
    band: str
    note: str


def score_lines(response: Response, language: str) -> list[ScoreLine]:
    """Each scale's score of one response, with what it means, in the reader's language."""
    lines = []
    for info in queries.scale_infos(response.version.scoring):
        score: Mapping[str, Any] = response.scores.get(info.code, {})
        value = score.get("value")
        band = next((b for b in info.bands if b.code == score.get("band")), None)
        note = ""
        if score.get("status") == "too_many_missing":
            note = _("Not scored: too many questions were left unanswered.")
        elif score.get("prorated"):
            note = _("Some questions were left unanswered; the score allows for that.")
        lines.append(
            ScoreLine(
                label=info.label(language),
                value="" if value is None else charts.format_number(float(value)),
                band=(band.label.get(language[:2]) or band.label.get("en", "")) if band else "",
                note=note,
            )
        )
    return lines


def _answer_value(answer: Mapping[str, Any]) -> str:
    for key, value in answer.items():
        if key == "valueCoding":
            return str(value.get("code", ""))
        if key == "valueBoolean":
            return "true" if value else "false"
        if key.startswith("value"):
            return str(value)
    return ""


def _flatten(items: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for item in items:
        found[str(item.get("linkId"))] = list(item.get("answer", []))
        found.update(_flatten(item.get("item", [])))
        for answer in item.get("answer", []):
            found.update(_flatten(answer.get("item", [])))
    return found


def answers_in_words(response: Response, language: str) -> list[tuple[str, str]]:
    """(question, answer) for every answered item, answers shown as the options' labels."""
    given = _flatten(response.items)
    shown = []
    for item in flat_items(response.version.questionnaire):
        link_id = str(item["linkId"])
        if not given.get(link_id):
            continue
        labels = dict(option_choices(item, language)) if item.get("type") == "choice" else {}
        values = [_answer_value(answer) for answer in given[link_id]]
        if item.get("type") == "boolean":
            words = [_("Yes") if v == "true" else _("No") for v in values]
        else:
            words = [labels.get(v, v) for v in values]
        shown.append((item_text(item, language), ", ".join(words)))
    return shown


def answer_values(response: Response) -> dict[str, str]:
    """linkId -> the first answer's value as a string (for the DIALOG talk-area list)."""
    return {
        link_id: _answer_value(answers[0])
        for link_id, answers in _flatten(response.items).items()
        if answers
    }


def chime_letter(scale: Mapping[str, Any]) -> str | None:
    """The CHIME process a scale stands for: ``"chime": "h"`` on the scale, a scale code
    ``chime.h``, or a scale code naming the process (``hope``)."""
    letter = scale.get("chime")
    if isinstance(letter, str) and letter.lower() in CHIME_LETTERS:
        return letter.lower()
    code = str(scale.get("code", ""))
    if code.startswith("chime.") and code[6:] in CHIME_LETTERS:
        return code[6:]
    return CHIME_WORDS.get(code)


def chime_axes(response: Response, language: str) -> list[tuple[str, charts.Axis]]:
    """(scale code, axis) for the five CHIME processes, in C-H-I-M-E order, each named by its
    scale's label in the reader's language."""
    by_letter: dict[str, tuple[str, str]] = {}
    for scale in response.version.scoring.get("scales", []):
        letter = chime_letter(scale)
        if letter is not None:
            labels = queries.scale_labels(scale)
            label = labels.get(language[:2]) or labels.get("en") or letter.upper()
            by_letter[letter] = (str(scale["code"]), str(label))
    return [
        (by_letter[letter][0], charts.Axis(f"chime.{letter}", by_letter[letter][1]))
        for letter in CHIME_LETTERS
        if letter in by_letter
    ]


def chime_snapshot(response: Response, axes: Sequence[tuple[str, charts.Axis]]) -> charts.Snapshot:
    values = {}
    for scale_code, axis in axes:
        value = response.scores.get(scale_code, {}).get("value")
        if value is not None:
            values[axis.code] = float(value)
    return charts.Snapshot(response_date(response), values)


def response_date(response: Response) -> date:
    return timezone.localdate(response.authored_at)


def chime_range(response: Response, axes: Sequence[tuple[str, charts.Axis]]) -> tuple[float, float]:
    infos = {i.code: i for i in queries.scale_infos(response.version.scoring)}
    chosen = [infos[code] for code, _axis in axes if code in infos]
    if not chosen:
        return 0.0, 1.0
    return min(i.min for i in chosen), max(i.max for i in chosen)


@dataclass(frozen=True)
class TalkState:
    """The areas to talk about on a DIALOG-style result: which could be picked, which were, and
    whether it is settled (an action agreed on any area locks the choice)."""

    enabled: bool
    choices: list[tuple[str, str]]
    areas: list[TalkArea]
    picked: list[str]
    locked: bool

    def label(self, link_id: str) -> str:
        return dict(self.choices).get(link_id, link_id)


def _area_label(item: Mapping[str, Any], lang: str, value: str | None) -> str:
    text = item_text(item, lang) if item else ""
    return f"{text} ({value})" if value else text


def talk_state(response: Response, language: str) -> TalkState:
    scoring = response.version.scoring
    enabled = response.instrument.picks_talk_areas and bool(scoring.get("talk_areas"))
    items = item_map(response.version.questionnaire)
    values = answer_values(response)
    choices = [
        (link_id, _area_label(items.get(link_id, {}), language, values.get(link_id)))
        for link_id in scoring.get("talk_areas", [])
    ]
    areas = list(response.talk_areas.prefetch_related("actions__goal_step"))
    return TalkState(
        enabled=enabled,
        choices=choices,
        areas=areas,
        picked=[area.link_id for area in areas],
        locked=any(area.actions.all() for area in areas),
    )
