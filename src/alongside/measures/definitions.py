"""Questionnaire definitions: reading FHIR R4 Questionnaire JSON, checking it, loading it.

Definitions are FHIR R4 ``Questionnaire`` resources, validated with ``fhir.resources.R4B``
(the R4-compatible classes of fhir.resources 8) and then by our own checks, whose messages name
the item's linkId. Per-language text uses the standard translation extension on ``_text``
(and on an answer option's ``_display``)::

    "text": "How hopeful do you feel?",
    "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
              "extension": [{"url": "lang", "valueCode": "da"},
                            {"url": "content", "valueString": "..."}]}]}

Loading is all-or-nothing: a definition with one broken item leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError as PydanticError

from alongside.measures.licensed_scales import shipped_part
from alongside.measures.models import (
    Instrument,
    InstrumentKind,
    QuestionnaireVersion,
    VersionStatus,
)
from alongside.measures.scoring import check_rules

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
LANGUAGES = ("en", "da", "ja")
ITEM_TYPES = frozenset(
    {"group", "display", "boolean", "choice", "integer", "decimal", "string", "text"}
)
ANSWERED_TYPES = ITEM_TYPES - {"group", "display"}
INSTRUMENTS_DIR = Path(__file__).parent / "instruments"

JSON = dict[str, Any]


def _translations(element: Mapping[str, Any] | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for ext in (element or {}).get("extension", []):
        if ext.get("url") != TRANSLATION:
            continue
        parts = {sub.get("url"): sub for sub in ext.get("extension", [])}
        lang = parts.get("lang", {}).get("valueCode")
        content = parts.get("content", {}).get("valueString")
        if lang and content is not None:
            found[str(lang)] = str(content)
    return found


def texts(item: Mapping[str, Any]) -> dict[str, str]:
    """Every language's text of an item: the base ``text`` is English."""
    found = _translations(item.get("_text"))
    if item.get("text") is not None:
        found.setdefault("en", str(item["text"]))
    return found


def item_text(item: Mapping[str, Any], language: str) -> str:
    """The item's text in ``language`` (en, da, ja), falling back to the base text."""
    lang = (language or "en")[:2]
    return _translations(item.get("_text")).get(lang) or str(item.get("text", ""))


def _option_value(option: Mapping[str, Any]) -> str:
    if "valueCoding" in option:
        return str(option["valueCoding"].get("code", ""))
    for key in ("valueInteger", "valueString"):
        if key in option:
            return str(option[key])
    return ""


def option_values(item: Mapping[str, Any]) -> list[str]:
    return [_option_value(option) for option in item.get("answerOption", [])]


def option_choices(item: Mapping[str, Any], language: str) -> list[tuple[str, str]]:
    """(value, label) of each answer option, label in ``language`` when a translation exists."""
    lang = (language or "en")[:2]
    choices = []
    for option in item.get("answerOption", []):
        value = _option_value(option)
        label = value
        coding = option.get("valueCoding")
        if coding is not None:
            label = (
                _translations(coding.get("_display")).get(lang) or coding.get("display") or value
            )
        choices.append((value, str(label)))
    return choices


def _extension_value(item: Mapping[str, Any], url: str) -> float | None:
    for ext in item.get("extension", []):
        if ext.get("url") == url:
            for key in ("valueInteger", "valueDecimal"):
                if key in ext:
                    return float(ext[key])
    return None


def item_bounds(item: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """Lowest and highest allowed answer of an integer or decimal item (minValue/maxValue)."""
    return _extension_value(item, MIN_VALUE), _extension_value(item, MAX_VALUE)


def iter_items(items: list[JSON]) -> Iterator[JSON]:
    for item in items:
        yield item
        yield from iter_items(item.get("item", []))


def flat_items(questionnaire: Mapping[str, Any]) -> list[JSON]:
    """Every item of the questionnaire, depth first, groups included."""
    return list(iter_items(list(questionnaire.get("item", []))))


def _fhir_errors(questionnaire: Mapping[str, Any], error: PydanticError) -> list[str]:
    """Turn pydantic's ``item.3.linkId`` locations into messages naming the item's linkId."""
    messages = []
    for problem in error.errors():
        node: Any = questionnaire
        named = ""
        path: list[str] = []
        for part in problem.get("loc", ()):
            path.append(str(part))
            if isinstance(node, Mapping):
                node = node.get(str(part))
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                if isinstance(node, Mapping) and node.get("linkId"):
                    named = str(node["linkId"])
            else:
                node = None
        where = ".".join(path)
        if named:
            messages.append(
                _("Item %(link_id)s: %(problem)s (at %(where)s).")
                % {"link_id": named, "problem": problem.get("msg", ""), "where": where}
            )
        else:
            messages.append(
                _("%(where)s: %(problem)s.") % {"where": where, "problem": problem.get("msg", "")}
            )
    return messages


def _check_item(item: JSON, known: set[str], errors: list[str]) -> None:
    link_id = str(item.get("linkId", ""))
    kind = item.get("type")
    if kind not in ITEM_TYPES:
        errors.append(
            _("Item %(link_id)s: type %(type)s is not supported.")
            % {"link_id": link_id, "type": kind}
        )
        return
    missing = [lang for lang in LANGUAGES if lang not in texts(item)]
    if missing and kind != "group":
        errors.append(
            _("Item %(link_id)s: text missing in %(languages)s.")
            % {"link_id": link_id, "languages": ", ".join(missing)}
        )
    if kind == "choice":
        values = option_values(item)
        if not values:
            errors.append(
                _("Item %(link_id)s: a choice item needs answer options.") % {"link_id": link_id}
            )
        elif len(set(values)) != len(values) or "" in values:
            errors.append(
                _("Item %(link_id)s: answer options need distinct, non-empty values.")
                % {"link_id": link_id}
            )
    if kind in ("integer", "decimal"):
        low, high = item_bounds(item)
        if low is not None and high is not None and low > high:
            errors.append(
                _("Item %(link_id)s: minimum %(min)s is above maximum %(max)s.")
                % {"link_id": link_id, "min": low, "max": high}
            )
    if kind == "display" and item.get("required"):
        errors.append(
            _("Item %(link_id)s: a display item cannot be required.") % {"link_id": link_id}
        )
    for condition in item.get("enableWhen", []):
        question = condition.get("question")
        if question not in known:
            errors.append(
                _("Item %(link_id)s: enableWhen refers to unknown item %(question)s.")
                % {"link_id": link_id, "question": question}
            )
        elif question == link_id:
            errors.append(
                _("Item %(link_id)s: enableWhen refers to itself.") % {"link_id": link_id}
            )


def check_questionnaire(questionnaire: JSON) -> list[str]:
    """Every problem in the definition, each naming the item's linkId. Empty when it is sound."""
    if questionnaire.get("resourceType") != "Questionnaire":
        return [_("This is not a FHIR Questionnaire (resourceType).")]
    try:
        Questionnaire.model_validate(questionnaire)
    except PydanticError as error:
        return _fhir_errors(questionnaire, error)
    errors: list[str] = []
    if not questionnaire.get("url") or not questionnaire.get("version"):
        errors.append(_("The questionnaire needs a url and a version."))
    items = flat_items(questionnaire)
    seen: set[str] = set()
    for item in items:
        link_id = str(item.get("linkId", ""))
        if link_id in seen:
            errors.append(_("Item %(link_id)s: linkId used twice.") % {"link_id": link_id})
        seen.add(link_id)
    for item in items:
        _check_item(item, seen, errors)
    return errors


def _raise(errors: list[str]) -> None:
    if errors:
        raise ValidationError({"questionnaire": errors})


def load_definition(
    instrument_code: str,
    questionnaire: JSON,
    scoring: JSON,
    *,
    kind: str = InstrumentKind.OWN,
    names: Mapping[str, str] | None = None,
    loinc_code: str = "",
    wording_loaded: bool = True,
    picks_talk_areas: bool = False,
    models: tuple[Any, Any] = (Instrument, QuestionnaireVersion),
) -> QuestionnaireVersion:
    """Check and store one version of a definition, creating the instrument if needed.

    The same (instrument, version) loaded again with identical content is a no-op; with different
    content it is refused (a published version never changes: make a new version). ``models`` lets
    the data migration pass its historical model classes.
    """
    instrument_model, version_model = models
    errors = check_questionnaire(questionnaire)
    _raise(errors)
    item_types = {str(i["linkId"]): str(i["type"]) for i in flat_items(questionnaire)}
    _raise(check_rules(scoring, item_types))
    names = dict(names or {})
    version_code = str(questionnaire["version"])
    with transaction.atomic():
        instrument, _created = instrument_model.objects.update_or_create(
            code=instrument_code,
            defaults={
                "name_en": names.get("en", instrument_code),
                "name_da": names.get("da", ""),
                "name_ja": names.get("ja", ""),
                "kind": kind,
                "loinc_code": loinc_code,
                "picks_talk_areas": picks_talk_areas,
            },
        )
        existing = version_model.objects.filter(instrument=instrument, version=version_code).first()
        if existing is not None:
            if shipped_part(existing.scoring) != scoring or (
                existing.wording_loaded == wording_loaded
                and existing.questionnaire != questionnaire
            ):
                raise ValidationError(
                    {
                        "questionnaire": _(
                            "Version %(version)s of %(code)s is already loaded with other content; "
                            "give the changed definition a new version."
                        )
                        % {"version": version_code, "code": instrument_code}
                    }
                )
            found: QuestionnaireVersion = existing
            return found
        created: QuestionnaireVersion = version_model.objects.create(
            instrument=instrument,
            version=version_code,
            questionnaire=questionnaire,
            scoring=scoring,
            wording_loaded=wording_loaded,
            status=VersionStatus.ACTIVE.value,
        )
        return created


def load_file(
    path: Path, models: tuple[Any, Any] = (Instrument, QuestionnaireVersion)
) -> QuestionnaireVersion:
    """Load one shipped instrument file.

    Keys: code, kind, names, loinc, picks_talk_areas, questionnaire, scoring.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    return load_definition(
        str(data["code"]),
        data["questionnaire"],
        data["scoring"],
        kind=str(data.get("kind", InstrumentKind.OWN)),
        names=data.get("names", {}),
        loinc_code=str(data.get("loinc", "")),
        wording_loaded=data.get("kind", InstrumentKind.OWN) == InstrumentKind.OWN,
        picks_talk_areas=bool(data.get("picks_talk_areas", False)),
        models=models,
    )


def sync_instruments(
    models: tuple[Any, Any] = (Instrument, QuestionnaireVersion),
) -> list[QuestionnaireVersion]:
    """Load every shipped instrument (idempotent); used by the data migration, demo and tests."""
    with transaction.atomic():
        return [load_file(path, models) for path in sorted(INSTRUMENTS_DIR.glob("*.json"))]


def current_version(instrument: Instrument) -> QuestionnaireVersion | None:
    """The newest active version of an instrument."""
    return (
        QuestionnaireVersion.objects.filter(instrument=instrument, status=VersionStatus.ACTIVE)
        .order_by("-loaded_at", "-id")
        .first()
    )


def item_map(questionnaire: Mapping[str, Any]) -> dict[str, JSON]:
    return {str(item["linkId"]): item for item in flat_items(questionnaire)}
