"""FHIR exchange: exported responses validate as R4 QuestionnaireResponse and round-trip exactly."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import current_version
from alongside.measures.fhir import export_questionnaire, export_response, import_response
from alongside.measures.models import Instrument, QuestionnaireVersion, Response
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db


def version(code: str) -> QuestionnaireVersion:
    found = current_version(Instrument.objects.get(code=code))
    assert found is not None
    return found


def actor(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], "key_worker")


def inspire_response(world: World) -> Response:
    inspire = version("inspire")
    inspire.wording_loaded = True
    inspire.save()
    answers: dict[str, object] = {f"s{n}.important": n <= 3 for n in range(1, 21)}
    answers |= {"s1": "4", "s2": "2", "s3": "3"}
    answers |= {f"r{n}": str(n % 5) for n in range(1, 8)}
    return services.submit_response(
        actor(world), world.p1, inspire, answers, together_with_staff=True
    )


def test_export_is_a_valid_r4_questionnaire_response(world: World) -> None:
    response = inspire_response(world)
    data = export_response(response)
    parsed = QuestionnaireResponse.model_validate(data)
    assert parsed.id == str(response.uuid)
    assert data["questionnaire"] == "urn:alongside:measures:inspire|1"
    assert data["extension"][0] == {
        "url": "urn:alongside:measures:completed-together-with-staff",
        "valueBoolean": True,
    }
    assert {
        "linkId": "s1",
        "answer": [
            {
                "valueCoding": {
                    "system": "urn:alongside:measures:response-position",
                    "code": "4",
                    "display": "4",
                }
            }
        ],
    } in data["item"]


@pytest.mark.parametrize("code", ["inspire", "chime"])
def test_export_import_export_round_trips_exactly(world: World, code: str) -> None:
    if code == "inspire":
        response = inspire_response(world)
    else:
        response = services.submit_response(
            actor(world),
            world.p1,
            version("chime_checkin"),
            {
                "connectedness": 6,
                "hope": 8,
                "identity": 5,
                "meaning": 7,
                "empowerment": 9,
                "help": "Ein Spaziergang, 散歩 «walk» \u00e6\u00f8",
            },
        )
    first = export_response(response)
    text = json.dumps(first)
    scores = response.scores
    response.delete()
    imported = import_response(actor(world), json.loads(text), world.p1)
    assert imported.scores == scores
    assert export_response(imported) == first


def test_import_refuses_a_response_already_there(world: World) -> None:
    response = inspire_response(world)
    with pytest.raises(ValidationError):
        import_response(actor(world), export_response(response), world.p1)
    assert Response.objects.count() == 1


def test_import_refuses_bad_answers_and_saves_nothing(world: World) -> None:
    data = export_response(inspire_response(world))
    Response.objects.all().delete()
    bad = copy.deepcopy(data)
    bad["item"].append(
        {"linkId": "s9", "answer": [{"valueCoding": {"code": "3"}}]}
    )  # s9 not important
    with pytest.raises(ValidationError) as caught:
        import_response(actor(world), bad, world.p1)
    assert "s9" in caught.value.message_dict
    invalid = copy.deepcopy(data)
    invalid["status"] = "bogus-status"
    invalid["authored"] = "yesterday"
    with pytest.raises(ValidationError):
        import_response(actor(world), invalid, world.p1)
    assert not Response.objects.exists()


def test_import_to_a_retired_version_is_refused(world: World) -> None:
    response = services.submit_response(
        actor(world),
        world.p1,
        version("working_relationship"),
        {"heard": 5, "hopeful": 5, "equal": 5},
    )
    data = export_response(response)
    response.delete()
    services.retire_version(actor(world), response.version)
    with pytest.raises(ValidationError) as caught:
        import_response(actor(world), data, world.p1)
    assert "retired" in caught.value.messages[0]


def test_questionnaire_export_validates_and_shows_retirement(world: World) -> None:
    chime = version("chime_checkin")
    assert export_questionnaire(chime)["status"] == "active"
    services.retire_version(actor(world), chime)
    assert export_questionnaire(chime)["status"] == "retired"
