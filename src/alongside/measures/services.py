"""Every write to measures: responses, schedules, retiring versions, licensed wording, DIALOG talk.

A response is checked whole before anything is saved (range, type, enableWhen, version status,
wording) and then saved in one transaction with its scores, its schedule advanced, an audit
record and any alert it raises (``alerts.services``). Nothing is ever saved in part.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.alerts.services import raise_for_response
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.measures import blocks, licensed_scales
from alongside.measures.definitions import (
    ANSWERED_TYPES,
    LANGUAGES,
    TRANSLATION,
    current_version,
    flat_items,
    item_map,
)
from alongside.measures.engine import check_answers
from alongside.measures.models import (
    Audience,
    Instrument,
    QuestionnaireVersion,
    Response,
    Schedule,
    ScheduleKind,
    Score,
    TalkAction,
    TalkArea,
    UnitSchedule,
    VersionStatus,
)
from alongside.measures.scoring import score_response
from alongside.measures.stored import pack_answers, score_fields
from alongside.organisations.models import Role, StaffRole, Unit
from alongside.people.models import Person
from alongside.plans.models import Goal

MAX_TALK_AREAS = 3


def sendable_reason(version: QuestionnaireVersion) -> str | None:
    """Why this version cannot be sent or answered now, or None when it can."""
    if version.status == VersionStatus.RETIRED:
        return _("This version of the questionnaire is retired; use the current version.")
    if not version.wording_loaded:
        return _(
            "The wording of this questionnaire is licensed and has not been loaded yet. "
            "An administrator can load it with 'alongside measures load-wording'."
        )
    return None


def _advance(schedule: Schedule, answered_on: date) -> None:
    if schedule.kind == ScheduleKind.ONCE:
        schedule.active = False
        schedule.next_due_on = None
    elif schedule.kind == ScheduleKind.EVERY_N_WEEKS:
        schedule.next_due_on = answered_on + timedelta(weeks=schedule.every_weeks or 1)
    schedule.save(update_fields=["active", "next_due_on"])


def store_scores(response: Response) -> list[Score]:
    """The typed ``Score`` rows of a response's scores (part of saving it; and the backfill)."""
    return Score.objects.bulk_create(
        Score(
            response=response,
            person_id=response.person_id,
            instrument_id=response.instrument_id,
            answered_at=response.authored_at,
            **fields,
        )
        for fields in score_fields(response.scores)
    )


def submit_response(
    actor: Actor,
    person: Person,
    version: QuestionnaireVersion,
    answers: Mapping[str, object],
    *,
    together_with_staff: bool = False,
    schedule: Schedule | None = None,
    authored_at: datetime | None = None,
    response_uuid: UUID | None = None,
) -> Response:
    """Check every answer, then save the response with its scores in one transaction.

    ``response_uuid`` keeps the identity of an imported FHIR QuestionnaireResponse.
    """
    reason = sendable_reason(version)
    if reason is not None:
        raise ValidationError({"__all__": reason})
    if schedule is not None and (
        schedule.person_id != person.pk or schedule.instrument_id != version.instrument_id
    ):
        raise ValidationError({"__all__": _("This schedule is for another person or measure.")})
    checked = check_answers(version.questionnaire, answers)
    scores = score_response(version.scoring, checked.typed)
    moment = authored_at or timezone.now()
    if moment > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"__all__": _("A response cannot be dated in the future.")})
    if response_uuid is not None and Response.objects.filter(uuid=response_uuid).exists():
        raise ValidationError({"__all__": _("This response has already been imported.")})
    with transaction.atomic():
        response = Response.objects.create(
            uuid=response_uuid or uuid4(),
            person=person,
            version=version,
            instrument_id=version.instrument_id,
            authored_at=moment,
            answered_by=actor.user,
            answered_by_role=actor.role,
            together_with_staff=together_with_staff,
            items=checked.fhir_items,
            scores={code: score.as_json() for code, score in scores.items()},
            answer_values=pack_answers(version.scoring, checked.typed),
            schedule=schedule,
        )
        store_scores(response)
        if schedule is not None:
            _advance(schedule, timezone.localdate(moment))
        record(actor, AuditAction.CREATE, obj=response, person_id=person.pk)
        # A worse score or a risk answer reaches the care team with the response, or neither.
        raise_for_response(response, scores, checked.typed)
        # The same numbers into the version's last score block, for bulk reads (measures.blocks).
        # Last, so the block's row lock, which serialises the saves of one version, is held only
        # until the commit.
        blocks.append(
            version.pk,
            version.scoring,
            response.pk,
            {fields["scale"]: fields["value"] for fields in score_fields(response.scores)},
            bytes(response.answer_values),
        )
    return response


def schedule_measure(
    actor: Actor,
    person: Person,
    instrument: Instrument,
    *,
    kind: ScheduleKind | str,
    every_weeks: int | None = None,
    first_due_on: date | None = None,
) -> Schedule:
    """Ask a person to answer a measure once, every N weeks, or before each plan review."""
    if actor.user is None:
        raise PermissionDenied("a schedule is set by a member of staff")
    errors: dict[str, str] = {}
    if kind not in ScheduleKind.values:
        errors["kind"] = _("Choose how often.")
    if kind == ScheduleKind.EVERY_N_WEEKS and (every_weeks is None or not 1 <= every_weeks <= 52):
        errors["every_weeks"] = _("Give a number of weeks from 1 to 52.")
    today = timezone.localdate()
    if first_due_on is not None and first_due_on < today:
        errors["first_due_on"] = _("The first date cannot be in the past.")
    if kind == ScheduleKind.EACH_REVIEW and first_due_on is not None:
        errors["first_due_on"] = _("A measure at each review is due before the review date.")
    version = current_version(instrument)
    if version is None or sendable_reason(version) is not None:
        # Refused here so the person is never asked for something they cannot answer.
        errors["instrument"] = _(
            "This questionnaire cannot be answered yet: its licensed wording has not been "
            "loaded. Choose another one, or ask whoever manages your questionnaires."
        )
    if errors:
        raise ValidationError(errors)
    schedule = Schedule.objects.create(
        person=person,
        instrument=instrument,
        kind=kind,
        every_weeks=every_weeks if kind == ScheduleKind.EVERY_N_WEEKS else None,
        next_due_on=None if kind == ScheduleKind.EACH_REVIEW else (first_due_on or today),
        created_by=actor.user,
    )
    record(actor, AuditAction.CREATE, obj=schedule, person_id=person.pk)
    return schedule


def _leads_unit(actor: Actor, unit: Unit) -> bool:
    return (
        actor.user is not None
        and StaffRole.objects.current()
        .filter(user=actor.user)
        .filter(
            Q(role=Role.TEAM_LEADER, unit=unit)
            | Q(role=Role.SERVICE_MANAGER, unit__organisation_id=unit.organisation_id)
        )
        .exists()
    )


def schedule_for_unit(
    actor: Actor, unit: Unit, instrument: Instrument, audience: Audience | str
) -> UnitSchedule:
    """Ask everyone in ``audience`` on the unit, once a quarter, anonymously. The unit's team
    leader or a service manager of its organisation decides; asking again is a no-op."""
    if not _leads_unit(actor, unit):
        raise PermissionDenied("the unit's team leader or a service manager decides this")
    assert actor.user is not None
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who is asked.")})
    version = current_version(instrument)
    if version is None or sendable_reason(version) is not None:
        raise ValidationError(
            {"instrument": _("This questionnaire cannot be answered yet, so nobody is asked.")}
        )
    existing = UnitSchedule.objects.filter(
        unit=unit, instrument=instrument, audience=audience, active=True
    ).first()
    if existing is not None:
        return existing
    schedule = UnitSchedule.objects.create(
        unit=unit, instrument=instrument, audience=audience, created_by=actor.user
    )
    record(actor, AuditAction.CREATE, obj=schedule)
    return schedule


def end_unit_schedule(actor: Actor, schedule: UnitSchedule) -> UnitSchedule:
    if not _leads_unit(actor, schedule.unit):
        raise PermissionDenied("the unit's team leader or a service manager decides this")
    schedule.active = False
    schedule.save(update_fields=["active"])
    record(actor, AuditAction.END, obj=schedule)
    return schedule


def end_schedule(actor: Actor, schedule: Schedule) -> Schedule:
    schedule.active = False
    schedule.save(update_fields=["active"])
    record(actor, AuditAction.END, obj=schedule, person_id=schedule.person_id)
    return schedule


def retire_version(actor: Actor, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A retired version keeps its responses but takes no new ones."""
    version.status = VersionStatus.RETIRED
    version.save(update_fields=["status"])
    record(actor, AuditAction.END, obj=version)
    return version


def _translated(element: dict[str, Any], key: str, texts: Mapping[str, str]) -> None:
    element[key] = texts["en"]
    element["_" + key] = {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": lang},
                    {"url": "content", "valueString": texts[lang]},
                ],
            }
            for lang in LANGUAGES
            if lang != "en"
        ]
    }


def _texts(value: object, where: str) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or any(
        not isinstance(value.get(lang), str) or not value.get(lang) for lang in LANGUAGES
    ):
        raise ValidationError(
            {where: _("Give the text in en, da and ja for %(where)s.") % {"where": where}}
        )
    return value


def _scoring_with_licensed_key(
    version: QuestionnaireVersion, questionnaire: Mapping[str, Any], key: object
) -> dict[str, Any]:
    """The version's scoring with the licence holder's item key for its ``licensed_scales``.

    A version without such scales takes no key. Once responses were scored with a key, loading
    the wording again must give the same key: scores already computed never change silently.
    """
    rules: dict[str, Any] = dict(version.scoring)
    if key is None and not licensed_scales.declared_codes(rules):
        return rules
    answered = [str(i["linkId"]) for i in flat_items(questionnaire) if i["type"] in ANSWERED_TYPES]
    problems = licensed_scales.key_problems(rules, key, answered)
    if problems:
        raise ValidationError(problems)
    assert isinstance(key, Mapping)
    held = licensed_scales.keyed_items(rules)
    given = {code: list(items) for code, items in key.items()}
    if held and held != given and Response.objects.filter(version=version).exists():
        raise ValidationError(
            {
                "scales": _(
                    "Responses were already scored with another item key for these factors; "
                    "a changed key needs a new version of the questionnaire."
                )
            }
        )
    return licensed_scales.complete_rules(rules, given)


def load_wording(
    actor: Actor,
    source: Path | str | Mapping[str, Any],
    *,
    organisation_code: str | None = None,
) -> QuestionnaireVersion:
    """Load licensed item wording (format: docs/measures-wording.md) into a version, all or nothing.

    Wording is global per instrument version, not per organisation: the organisation that holds the
    licence is named in the audit record.
    """
    data: Mapping[str, Any]
    if isinstance(source, Mapping):
        data = source
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as problem:
            raise ValidationError(
                {"file": _("Cannot read the wording file: %s") % problem}
            ) from None
    version = QuestionnaireVersion.objects.filter(
        instrument__code=data.get("instrument"), version=str(data.get("version"))
    ).first()
    if version is None:
        raise ValidationError({"instrument": _("No such instrument version.")})
    questionnaire = json.loads(json.dumps(version.questionnaire))
    texts = data.get("items", {})
    shared_options = data.get("options", {})
    per_item_options = data.get("item_options", {})
    known = item_map(questionnaire)
    unknown = sorted(set(texts) - set(known))
    if unknown:
        raise ValidationError({"items": _("Unknown items: %s") % ", ".join(unknown)})
    for item in flat_items(questionnaire):
        link_id = str(item["linkId"])
        if item["type"] == "group" and link_id not in texts:
            continue
        _translated(item, "text", _texts(texts.get(link_id), link_id))
        for option in item.get("answerOption", []):
            coding = option.get("valueCoding")
            if coding is None:
                continue
            code = str(coding.get("code"))
            label = per_item_options.get(link_id, {}).get(code, shared_options.get(code))
            _translated(coding, "display", _texts(label, f"{link_id} option {code}"))
    from alongside.measures.definitions import check_questionnaire

    problems = check_questionnaire(questionnaire)
    if problems:
        raise ValidationError({"questionnaire": problems})
    scoring = _scoring_with_licensed_key(version, questionnaire, data.get("scales"))
    with transaction.atomic():
        version.questionnaire = questionnaire
        version.scoring = scoring
        version.wording_loaded = True
        version.save(update_fields=["questionnaire", "scoring", "wording_loaded"])
        record(
            actor,
            AuditAction.UPDATE,
            obj=version,
            why=f"licensed wording loaded for organisation {organisation_code or '-'}",
        )
    return version


def choose_talk_areas(actor: Actor, response: Response, link_ids: Sequence[str]) -> list[TalkArea]:
    """DIALOG: after rating, the person picks up to three areas to talk about."""
    allowed = list(response.version.scoring.get("talk_areas", []))
    picks = list(dict.fromkeys(link_ids))
    if not allowed:
        raise ValidationError({"areas": _("This measure has no areas to talk about.")})
    if len(picks) > MAX_TALK_AREAS:
        raise ValidationError({"areas": _("Choose at most three areas.")})
    if any(pick not in allowed for pick in picks):
        raise ValidationError({"areas": _("Choose areas from this questionnaire.")})
    with transaction.atomic():
        response.talk_areas.all().delete()
        areas = [
            TalkArea.objects.create(response=response, link_id=pick, order=position)
            for position, pick in enumerate(picks, start=1)
        ]
        record(actor, AuditAction.UPDATE, obj=response, person_id=response.person_id)
    return areas


def add_talk_action(
    actor: Actor,
    area: TalkArea,
    *,
    text: str,
    goal: Goal | None = None,
    due_on: date | None = None,
) -> TalkAction:
    """An action agreed while talking about an area; with a goal it becomes a step of that goal."""
    from alongside.plans import services as plans

    if actor.user is None:
        raise PermissionDenied("an agreed action has a human author")
    if not text.strip():
        raise ValidationError({"text": _("Please write something here.")})
    if len(text) > 1000:
        raise ValidationError({"text": _("This is too long: at most 1000 characters.")})
    person_id = area.response.person_id
    if goal is not None and goal.person_id != person_id:
        raise ValidationError({"goal": _("Choose one of this person's goals.")})
    with transaction.atomic():
        step = plans.add_step(actor, goal, text=text, due_on=due_on) if goal is not None else None
        action = TalkAction.objects.create(
            area=area, text=text, goal_step=step, author=actor.user, author_role=actor.role
        )
        record(actor, AuditAction.CREATE, obj=action, person_id=person_id)
    return action
