"""FHIR R4 exchange of measures: QuestionnaireResponse export and import, Questionnaire export.

Export gives a QuestionnaireResponse whose ``id`` is the response's stable uuid, ``questionnaire``
is ``url|version``, ``item`` is exactly what was stored, and two extensions carry what FHIR has no
element for (completed together with staff; the scores, for the reader's convenience). Import
validates with ``fhir.resources.R4B`` and then goes through ``services.submit_response``, so every
check applies and scores are computed again; export(import(export(r))) equals export(r).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError as PydanticError

from alongside.audit.log import Actor
from alongside.measures.engine import answers_from_items
from alongside.measures.models import QuestionnaireVersion, Response, VersionStatus
from alongside.measures.services import submit_response
from alongside.people.models import Person

TOGETHER = "urn:alongside:measures:completed-together-with-staff"
SCORE = "urn:alongside:measures:score"

JSON = dict[str, Any]


def _validated(resource: type[Questionnaire] | type[QuestionnaireResponse], data: JSON) -> None:
    try:
        resource.model_validate(data)
    except PydanticError as error:
        raise ValidationError({"fhir": [str(e.get("msg", "")) for e in error.errors()]}) from None


def export_questionnaire(version: QuestionnaireVersion) -> JSON:
    data = dict(version.questionnaire)
    if version.status == VersionStatus.RETIRED:
        data["status"] = "retired"
    _validated(Questionnaire, data)
    return data


def _score_extensions(response: Response) -> list[JSON]:
    found = []
    for code, score in sorted(response.scores.items()):
        if score.get("value") is None:
            continue
        found.append(
            {
                "url": SCORE,
                "extension": [
                    {"url": "scale", "valueCode": code},
                    {"url": "value", "valueDecimal": score["value"]},
                ],
            }
        )
    return found


def export_response(response: Response) -> JSON:
    """The response as a FHIR R4 QuestionnaireResponse (validated)."""
    version = response.version
    data: JSON = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.uuid),
        "extension": [
            {"url": TOGETHER, "valueBoolean": response.together_with_staff},
            *_score_extensions(response),
        ],
        "questionnaire": f"{version.url}|{version.version}",
        "status": "completed",
        "subject": {"reference": f"Patient/{response.person_id}"},
        "authored": response.authored_at.astimezone(UTC).isoformat(),
        "item": response.items,
    }
    _validated(QuestionnaireResponse, data)
    return data


def _version_for(canonical: str) -> QuestionnaireVersion:
    url, _sep, version = canonical.partition("|")
    for candidate in QuestionnaireVersion.objects.filter(version=version).select_related(
        "instrument"
    ):
        if candidate.url == url:
            return candidate
    raise ValidationError(
        {"questionnaire": _("Unknown questionnaire %(canonical)s.") % {"canonical": canonical}}
    )


def import_response(actor: Actor, data: JSON, person: Person) -> Response:
    """Store a QuestionnaireResponse for ``person``; refused whole on any problem."""
    if data.get("resourceType") != "QuestionnaireResponse":
        raise ValidationError({"fhir": _("This is not a FHIR QuestionnaireResponse.")})
    _validated(QuestionnaireResponse, data)
    if data.get("status") != "completed":
        raise ValidationError({"status": _("Only completed responses can be imported.")})
    try:
        response_uuid = UUID(str(data.get("id")))
        authored = datetime.fromisoformat(str(data["authored"]))
    except (KeyError, ValueError):
        raise ValidationError(
            {"fhir": _("The response needs a uuid id and a full authored time.")}
        ) from None
    together = any(
        ext.get("url") == TOGETHER and ext.get("valueBoolean") is True
        for ext in data.get("extension", [])
    )
    return submit_response(
        actor,
        person,
        _version_for(str(data.get("questionnaire", ""))),
        answers_from_items(list(data.get("item", []))),
        together_with_staff=together,
        authored_at=authored,
        response_uuid=response_uuid,
    )
