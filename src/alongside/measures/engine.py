"""The questionnaire engine: which items are enabled, and turning answers into checked FHIR items.

Answers come in as a mapping linkId -> value (from a form, the API or an import). ``check_answers``
converts each to its item's type, refuses out-of-range values, unknown items and answers to disabled
items, and returns the typed answers with the FHIR ``QuestionnaireResponse.item`` list to store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alongside.measures.definitions import JSON, item_bounds, option_values

Answer = bool | int | float | str


def _is_answered(value: object) -> bool:
    return value is not None and value != ""


def _compare(actual: object, operator: str, expected: object) -> bool:
    if operator == "=":
        return actual == expected
    if operator == "!=":
        return actual != expected
    try:
        left, right = float(actual), float(expected)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}.get(
        operator, False
    )


def _expected(condition: Mapping[str, Any]) -> object:
    for key, value in condition.items():
        if key.startswith("answer") and key != "answer":
            if key == "answerCoding":
                return str(value.get("code", ""))
            if key == "answerDecimal":
                return float(value)
            return value
    return None


def _condition_met(condition: Mapping[str, Any], answers: Mapping[str, object]) -> bool:
    actual = answers.get(str(condition.get("question")))
    operator = str(condition.get("operator", "="))
    expected = _expected(condition)
    if operator == "exists":
        return _is_answered(actual) == bool(expected)
    if not _is_answered(actual):
        return False
    if isinstance(expected, bool) or isinstance(actual, bool):
        return _compare(_as_bool(actual), operator, expected)
    if isinstance(expected, int | float) and not isinstance(actual, int | float):
        try:
            return _compare(float(str(actual)), operator, expected)
        except ValueError:
            return False
    if isinstance(expected, str) and not isinstance(actual, str):
        return _compare(str(actual), operator, expected)
    return _compare(actual, operator, expected)


def _as_bool(value: object) -> object:
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.lower(), value)
    return value


def enabled_items(questionnaire: Mapping[str, Any], answers: Mapping[str, object]) -> set[str]:
    """The linkIds enabled given these answers. A disabled group disables everything inside it."""
    enabled: set[str] = set()

    def walk(items: list[JSON]) -> None:
        for item in items:
            conditions = item.get("enableWhen", [])
            if conditions:
                results = [_condition_met(c, answers) for c in conditions]
                on = any(results) if item.get("enableBehavior") == "any" else all(results)
                if not on:
                    continue
            enabled.add(str(item["linkId"]))
            walk(item.get("item", []))

    walk(list(questionnaire.get("item", [])))
    return enabled


def _convert(item: JSON, raw: object) -> tuple[Answer, dict[str, Any]]:
    """One answer in its item's type, and its FHIR answer element; ValueError says why not."""
    kind = item["type"]
    if kind == "boolean":
        value = _as_bool(raw)
        if not isinstance(value, bool):
            raise ValueError(_("Answer yes or no."))
        return value, {"valueBoolean": value}
    if kind in ("integer", "decimal"):
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(_("Give a number.")) from None
        if kind == "integer" and number != number.to_integral_value():
            raise ValueError(_("Give a whole number."))
        low, high = item_bounds(item)
        if (low is not None and number < Decimal(str(low))) or (
            high is not None and number > Decimal(str(high))
        ):
            raise ValueError(
                _("Give a number from %(min)s to %(max)s.")
                % {"min": _plain(low), "max": _plain(high)}
            )
        if kind == "integer" and not isinstance(raw, bool):
            return int(number), {"valueInteger": int(number)}
        return float(number), {"valueDecimal": float(number)}
    if kind == "choice":
        text = str(raw)
        if text not in option_values(item):
            raise ValueError(_("Choose one of the options."))
        return text, _choice_element(item, text)
    if kind in ("string", "text"):
        text = str(raw)
        if len(text) > 4000:
            raise ValueError(_("This is too long: at most 4000 characters."))
        return text, {"valueString": text}
    raise ValueError(_("This item takes no answer."))


def _plain(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else str(value)


def _choice_element(item: JSON, value: str) -> dict[str, Any]:
    for option in item.get("answerOption", []):
        if "valueCoding" in option and str(option["valueCoding"].get("code")) == value:
            coding = {k: v for k, v in option["valueCoding"].items() if not k.startswith("_")}
            return {"valueCoding": coding}
        if "valueInteger" in option and str(option["valueInteger"]) == value:
            return {"valueInteger": option["valueInteger"]}
        if "valueString" in option and option["valueString"] == value:
            return {"valueString": value}
    raise ValueError(_("Choose one of the options."))


@dataclass(frozen=True)
class CheckedAnswers:
    typed: dict[str, Answer]  # linkId -> typed answer, only answered and enabled items
    fhir_items: list[dict[str, Any]]  # QuestionnaireResponse.item, in questionnaire order


def check_answers(
    questionnaire: Mapping[str, Any], answers: Mapping[str, object]
) -> CheckedAnswers:
    """Check every answer; raise one ValidationError keyed by linkId listing every problem."""
    from alongside.measures.definitions import item_map

    items = item_map(questionnaire)
    errors: dict[str, str] = {}
    typed: dict[str, Answer] = {}
    elements: dict[str, dict[str, Any]] = {}
    for link_id, raw in answers.items():
        item = items.get(str(link_id))
        if item is None:
            errors[str(link_id)] = _("There is no question %(link_id)s.") % {"link_id": link_id}
            continue
        if not _is_answered(raw):
            continue
        try:
            typed[str(link_id)], elements[str(link_id)] = _convert(item, raw)
        except ValueError as problem:
            errors[str(link_id)] = str(problem)
    enabled = enabled_items(questionnaire, typed)
    for link_id in list(typed):
        if link_id not in enabled and link_id not in errors:
            errors[link_id] = _("This question does not apply given your other answers.")
    for link_id, item in items.items():
        if item.get("required") and link_id in enabled and link_id not in typed:
            errors.setdefault(link_id, _("Please answer this question."))
    if errors:
        raise ValidationError(errors)
    return CheckedAnswers(typed, _build_items(list(questionnaire.get("item", [])), elements))


def _build_items(items: list[JSON], elements: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    built: list[dict[str, Any]] = []
    for item in items:
        link_id = str(item["linkId"])
        children = _build_items(item.get("item", []), elements)
        if link_id in elements:
            built.append({"linkId": link_id, "answer": [elements[link_id]]})
        elif children:
            built.append({"linkId": link_id, "item": children})
    return built


def answers_from_items(items: list[dict[str, Any]]) -> dict[str, Answer]:
    """Read a stored QuestionnaireResponse.item list back into linkId -> typed answer."""
    found: dict[str, Answer] = {}
    for entry in items:
        for answer in entry.get("answer", []):
            for key, value in answer.items():
                if key == "valueCoding":
                    found[str(entry["linkId"])] = str(value.get("code", ""))
                elif key.startswith("value"):
                    found[str(entry["linkId"])] = value
        found.update(answers_from_items(entry.get("item", [])))
    return found
