"""Our rows as FHIR R4 resources (plain JSON-ready dicts).

Logical ids are the rows' ``fhir_id`` UUIDs (see ``ids``); references are relative
(``Patient/<uuid>``) unless a caller rewrites them (the handover document uses ``urn:uuid``).
Codes are our stable codes in our code systems; labels are English ``display`` text, the same
whichever language the requester reads, because the receiving system shows its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple

from django.utils import translation

from alongside.accounts.models import User
from alongside.audit.models import AuditAction, AuditEvent
from alongside.fhir import ids
from alongside.fhir.extensions import (
    GOAL_ORIGIN,
    GOAL_STANCE,
    ROLE_SYSTEM,
    SCORE_SYSTEM,
    SECTION_SYSTEM,
    STANCE_SYSTEM,
    TOGETHER_WITH_STAFF,
)
from alongside.measures.models import QuestionnaireVersion, Response
from alongside.network.models import NETWORK_ROLE_CHOICES, CareNetworkMembership
from alongside.network.scopes import SECTION_FIELD, Section
from alongside.organisations.models import Organisation, OrganisationKind, StaffRole
from alongside.people.models import Person, PersonIdentifier, Stay, StayKind, StayStatus
from alongside.plans.models import Goal, GoalStance, GoalStatus, Stance
from alongside.safety.models import CrisisPlanVersion

JSON = dict[str, Any]
CORE = "http://hl7.org/fhir/StructureDefinition/"
LOINC = "http://loinc.org"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ORG_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://loinc.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
AUDIT_TYPE = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_SUBTYPE = "http://hl7.org/fhir/restful-interaction"
PROVENANCE_ROLE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
CARE_PLAN_CATEGORY = "http://fhir.alongside.care/CodeSystem/care-plan-kind"

GOAL_LIFECYCLE: dict[str, str] = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.ACHIEVED: "completed",
    GoalStatus.PAUSED: "on-hold",
    GoalStatus.LET_GO: "cancelled",
}


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def meta(kind: str, updated: datetime | None, version: int | None = None) -> JSON:
    out: JSON = {"profile": [f"{CORE}{kind}"]}
    if version is not None:
        out["versionId"] = str(version)
    if updated is not None:
        out["lastUpdated"] = instant(updated)
    return out


def english(label: object) -> str:
    with translation.override("en"):
        return str(label)


def role_coding(role: str) -> JSON:
    labels = dict(NETWORK_ROLE_CHOICES)
    return {"system": ROLE_SYSTEM, "code": role, "display": english(labels.get(role, role))}


def identifiers(person: Person, rows: list[PersonIdentifier] | None = None) -> list[JSON]:
    found = rows if rows is not None else list(person.identifiers.all())
    return [{"system": i.system, "value": i.value} for i in found if i.system and i.value]


def patient(person: Person, rows: list[PersonIdentifier] | None = None) -> JSON:
    name: JSON = {"use": "official", "text": person.name}
    resource: JSON = {
        "resourceType": "Patient",
        "id": str(person.fhir_id),
        "meta": meta("Patient", person.created_at),
        "active": True,
        "name": [name],
    }
    if person.preferred_name and person.preferred_name != person.name:
        resource["name"].append({"use": "usual", "text": person.preferred_name})
    found = identifiers(person, rows)
    if found:
        resource["identifier"] = found
    if person.date_of_birth is not None:
        resource["birthDate"] = person.date_of_birth.isoformat()
    languages = [code for code in person.languages if isinstance(code, str) and code]
    if languages:
        resource["communication"] = [
            {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": code}]}}
            for code in languages
        ]
    return resource


def practitioner(user: User) -> JSON:
    return {
        "resourceType": "Practitioner",
        "id": str(user.fhir_id),
        "meta": meta("Practitioner", user.date_joined),
        "active": user.is_active,
        "name": [{"text": user.shown_name}],
    }


def organization(org: Organisation) -> JSON:
    kind = {OrganisationKind.HOSPITAL: "prov", OrganisationKind.MUNICIPALITY: "govt"}.get(
        org.kind,  # type: ignore[call-overload]
        "other",
    )
    return {
        "resourceType": "Organization",
        "id": str(org.fhir_id),
        "meta": meta("Organization", None),
        "identifier": [{"system": "urn:alongside:organisation", "value": org.code}],
        "active": True,
        "type": [{"coding": [{"system": ORG_TYPE, "code": kind}]}],
        "name": org.name,
    }


def practitioner_role(role: StaffRole) -> JSON:
    resource: JSON = {
        "resourceType": "PractitionerRole",
        "id": str(role.fhir_id),
        "meta": meta("PractitionerRole", None),
        "active": role.ended_on is None,
        "period": {"start": role.started_on.isoformat()},
        "practitioner": ids.ref("Practitioner", role.user.fhir_id),
        "organization": ids.ref("Organization", role.unit.organisation.fhir_id),
        "code": [{"coding": [role_coding(role.role)], "text": english(role.get_role_display())}],
    }
    if role.ended_on is not None:
        resource["period"]["end"] = role.ended_on.isoformat()
    return resource


def encounter(stay: Stay) -> JSON:
    status = {
        StayStatus.PLANNED: "planned",
        StayStatus.ACTIVE: "in-progress",
        StayStatus.ENDED: "finished",
    }[StayStatus(stay.status)]
    code = "IMP" if stay.kind == StayKind.INPATIENT else "AMB"
    resource: JSON = {
        "resourceType": "Encounter",
        "id": str(stay.fhir_id),
        "meta": meta("Encounter", None),
        "status": status,
        "class": {"system": ACT_CODE, "code": code},
        "subject": ids.ref("Patient", stay.person.fhir_id),
        "serviceProvider": ids.ref("Organization", stay.unit.organisation.fhir_id),
        "period": {"start": stay.started_on.isoformat()},
    }
    if stay.ended_on is not None:
        resource["period"]["end"] = stay.ended_on.isoformat()
    return resource


def _member_reference(member: CareNetworkMembership) -> JSON:
    if member.is_informal:
        return {"display": member.member.shown_name}
    return {**ids.ref("Practitioner", member.member.fhir_id), "display": member.member.shown_name}


def care_team(person: Person, members: list[CareNetworkMembership]) -> JSON:
    resource: JSON = {
        "resourceType": "CareTeam",
        "id": str(person.fhir_id),
        "meta": meta("CareTeam", None),
        "status": "active",
        "name": "Network",
        "subject": ids.ref("Patient", person.fhir_id),
    }
    participants = []
    for member in members:
        entry: JSON = {
            "role": [{"coding": [role_coding(member.role)]}],
            "member": _member_reference(member),
            "period": {"start": instant(member.started_at)},
        }
        if member.organisation is not None and not member.is_informal:
            entry["onBehalfOf"] = ids.ref("Organization", member.organisation.fhir_id)
        participants.append(entry)
    if participants:
        resource["participant"] = participants
    return resource


def consent(member: CareNetworkMembership) -> JSON:
    """One sharing choice: the person lets this member see these sections of their record."""
    active = member.ended_at is None
    resource: JSON = {
        "resourceType": "Consent",
        "id": str(member.fhir_id),
        "meta": meta("Consent", member.created_at),
        "status": "active" if active else "inactive",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": CONSENT_CATEGORY, "code": "59284-0"}]}],
        "patient": ids.ref("Patient", member.person.fhir_id),
        "dateTime": instant(member.started_at),
        "policyRule": {"text": "Shared by the person on their network page"},
        "provision": {
            "type": "permit",
            "period": {"start": instant(member.started_at)},
            "actor": [{"role": {"coding": [role_coding(member.role)]}, "reference": {}}],
            "class": [
                {"system": SECTION_SYSTEM, "code": section.value}
                for section in Section
                if getattr(member, SECTION_FIELD[section])
            ],
        },
    }
    resource["provision"]["actor"][0]["reference"] = _member_reference(member)
    if member.ended_at is not None:
        resource["provision"]["period"]["end"] = instant(member.ended_at)
    if not resource["provision"]["class"]:
        del resource["provision"]["class"]
    return resource


class GoalRow(NamedTuple):
    """What a Goal resource shows of a goal, read with ``values_list(*GoalRow.FIELDS)`` on the
    search path (no model instances: building 300 of them cost more than the rest of a page)."""

    pk: int
    person_id: int
    fhir_id: uuid.UUID
    person_fhir_id: uuid.UUID
    author_fhir_id: uuid.UUID
    text: str
    origin: str
    status: str
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, item: Goal) -> GoalRow:
        return cls(
            item.pk,
            item.person_id,
            item.fhir_id,
            item.person.fhir_id,
            item.author.fhir_id,
            item.text,
            item.origin,
            item.status,
            item.created_at,
            item.updated_at,
            item.version,
        )


GOAL_ROW_FIELDS = (
    "pk",
    "person_id",
    "fhir_id",
    "person__fhir_id",
    "author__fhir_id",
    "text",
    "origin",
    "status",
    "created_at",
    "updated_at",
    "version",
)


class StanceRow(NamedTuple):
    """The person's latest stance on a goal: the code and their words."""

    stance: str
    words: str


class StepRow(NamedTuple):
    """A goal's step as the recovery plan shows it."""

    text: str
    done_at: datetime | None


def _stance(stance: StanceRow) -> JSON:
    concept: JSON = {
        "coding": [
            {
                "system": STANCE_SYSTEM,
                "code": stance.stance,
                "display": english(Stance(stance.stance).label),
            }
        ]
    }
    if stance.words.strip():
        concept["text"] = stance.words
    return {"url": GOAL_STANCE, "valueCodeableConcept": concept}


def goal(item: Goal | GoalRow, stance: GoalStance | StanceRow | None = None) -> JSON:
    row = item if isinstance(item, GoalRow) else GoalRow.of(item)
    person_id = row.person_fhir_id
    resource: JSON = {
        "resourceType": "Goal",
        "id": str(row.fhir_id),
        "meta": meta("Goal", row.updated_at, row.version),
        "extension": [{"url": GOAL_ORIGIN, "valueCode": row.origin}],
        "lifecycleStatus": GOAL_LIFECYCLE[row.status],
        "description": {"text": row.text},
        "subject": ids.ref("Patient", person_id),
        "startDate": row.created_at.date().isoformat(),
    }
    if stance is not None:
        resource["extension"].append(_stance(StanceRow(stance.stance, stance.words)))
    if row.status == GoalStatus.ACHIEVED:
        resource["achievementStatus"] = {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": "achieved"}]
        }
    if row.origin == "person":
        resource["expressedBy"] = ids.ref("Patient", person_id)
    else:
        resource["expressedBy"] = ids.ref("Practitioner", row.author_fhir_id)
    return resource


def recovery_plan(
    person: Person, goals: Sequence[GoalRow], steps: Mapping[int, Sequence[StepRow]]
) -> JSON:
    """The person's recovery plan: their goals in order, and each goal's steps by goal id."""
    resource: JSON = {
        "resourceType": "CarePlan",
        "id": ids.plan_id(ids.RECOVERY_PLAN, person.fhir_id),
        "meta": meta("CarePlan", max((g.updated_at for g in goals), default=None)),
        "status": "active",
        "intent": "plan",
        "category": [{"coding": [{"system": CARE_PLAN_CATEGORY, "code": "recovery"}]}],
        "title": "Recovery plan",
        "subject": ids.ref("Patient", person.fhir_id),
        "careTeam": [ids.ref("CareTeam", person.fhir_id)],
    }
    if goals:
        resource["goal"] = [ids.ref("Goal", g.fhir_id) for g in goals]
    activities = [
        {
            "detail": {
                "status": "completed" if step.done_at else "not-started",
                "description": step.text,
                "goal": [ids.ref("Goal", g.fhir_id)],
            }
        }
        for g in goals
        for step in steps.get(g.pk, ())
    ]
    if activities:
        resource["activity"] = activities
    return resource


def crisis_plan(version: CrisisPlanVersion) -> JSON:
    person = version.person
    notes = [
        {"text": f"{english(heading)}: {text}"} for _f, heading, text in version.sections() if text
    ]
    resource: JSON = {
        "resourceType": "CarePlan",
        "id": ids.plan_id(ids.CRISIS_PLAN, person.fhir_id),
        "meta": meta("CarePlan", version.created_at, version.number),
        "status": "active",
        "intent": "plan",
        "category": [{"coding": [{"system": CARE_PLAN_CATEGORY, "code": "crisis"}]}],
        "title": "Crisis plan",
        "subject": ids.ref("Patient", person.fhir_id),
        "created": instant(version.created_at),
    }
    if notes:
        resource["note"] = notes
    return resource


def questionnaire(version: QuestionnaireVersion) -> JSON:
    from alongside.measures.fhir import export_questionnaire

    data = dict(export_questionnaire(version))
    data["id"] = ids.derived("questionnaire", f"{version.url}|{version.version}")
    data.setdefault("meta", {})
    data["meta"] = {**data["meta"], **meta("Questionnaire", version.loaded_at)}
    return data


def questionnaire_response(response: Response) -> JSON:
    from alongside.measures.fhir import export_response

    data = export_response(response)
    # Our published extension instead of the measures room's internal ones; the scores are
    # Observations of their own (derivedFrom this response).
    data["extension"] = [{"url": TOGETHER_WITH_STAFF, "valueBoolean": response.together_with_staff}]
    data["subject"] = ids.ref("Patient", response.person.fhir_id)
    data["meta"] = meta("QuestionnaireResponse", response.authored_at, 1)
    return data


def _score_id(response: Response, code: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in code)
    return f"{response.uuid}-{safe}"[:64]


def observations(response: Response) -> list[JSON]:
    """One Observation per score of a response: LOINC where the scale has a code, ours too."""
    scoring = response.version.scoring if isinstance(response.version.scoring, dict) else {}
    scales = {s.get("code"): s for s in scoring.get("scales", []) if isinstance(s, dict)}
    out = []
    for code, score in sorted(response.scores.items()):
        value = score.get("value") if isinstance(score, dict) else None
        if value is None:
            continue
        coding = [{"system": SCORE_SYSTEM, "code": f"{response.instrument.code}.{code}"}]
        loinc = str(scales.get(code, {}).get("loinc") or "")
        if loinc:
            coding.insert(0, {"system": LOINC, "code": loinc})
        out.append(
            {
                "resourceType": "Observation",
                "id": _score_id(response, code),
                "meta": meta("Observation", response.authored_at, 1),
                "status": "final",
                "category": [{"coding": [{"system": OBS_CATEGORY, "code": "survey"}]}],
                "code": {"coding": coding, "text": f"{response.instrument.name_en}: {code}"},
                "subject": ids.ref("Patient", response.person.fhir_id),
                "effectiveDateTime": instant(response.authored_at),
                "valueQuantity": {"value": value},
                "derivedFrom": [ids.ref("QuestionnaireResponse", response.uuid)],
            }
        )
    return out


def _role_concept(role: str) -> JSON:
    if role in dict(NETWORK_ROLE_CHOICES):
        return {"coding": [role_coding(role)]}
    return {"coding": [{"system": ROLE_SYSTEM, "code": role}]}


def provenance(item: Goal) -> JSON:
    """Who wrote this goal: the author, in the role they wrote it in."""
    who = (
        ids.ref("Patient", item.person.fhir_id)
        if item.author_role == "person"
        else ids.ref("Practitioner", item.author.fhir_id)
    )
    return {
        "resourceType": "Provenance",
        "id": f"goal-{item.fhir_id}",
        "meta": meta("Provenance", item.updated_at),
        "target": [{"reference": f"Goal/{item.fhir_id}/_history/{item.version}"}],
        "recorded": instant(item.updated_at),
        "agent": [
            {
                "type": {"coding": [{"system": PROVENANCE_ROLE, "code": "author"}]},
                "role": [_role_concept(item.author_role)],
                "who": who,
            }
        ],
    }


AUDIT_ACTION = {
    AuditAction.CREATE: "C",
    AuditAction.READ: "R",
    AuditAction.LIST: "R",
    AuditAction.BREAK_GLASS: "R",
    AuditAction.UPDATE: "U",
    AuditAction.END: "U",
}


def audit_event(event: AuditEvent, person: Person) -> JSON:
    """One line of the person's access log: who did what, when, and why."""
    action = AUDIT_ACTION.get(event.action, "E")  # type: ignore[call-overload]
    return {
        "resourceType": "AuditEvent",
        "id": ids.derived("audit", event.pk),
        "meta": meta("AuditEvent", event.at),
        "type": {"system": AUDIT_TYPE, "code": "110110", "display": "Patient Record"},
        "action": action,
        "recorded": instant(event.at),
        "agent": [
            {
                "type": {"text": event.role or "system"},
                "who": {"display": event.actor_name or "Alongside"},
                "requestor": True,
            }
        ],
        "source": {"observer": {"display": "Alongside"}},
        "entity": [
            {
                "what": ids.ref("Patient", person.fhir_id),
                "description": (event.why or event.action)[:500],
            }
        ],
    }
