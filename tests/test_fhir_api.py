"""The FHIR R4 API: capability, every resource type valid against the independent validator,
the personas access matrix over resource types with OAuth tokens, search parameters, paging,
_include, _summary, OperationOutcomes, creates and If-Match updates."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.measures import services as measures
from alongside.measures.models import Instrument
from alongside.measures.queries import current_version
from alongside.plans.models import Goal
from tests import fhir_validator
from tests.personas import Persona, World

P = Persona
BASE = "/fhir/R4/"
PERSON_TYPES = [
    "Patient",
    "Encounter",
    "CareTeam",
    "Consent",
    "CarePlan",
    "Goal",
    "Provenance",
    "QuestionnaireResponse",
    "Observation",
    "DocumentReference",
    "AuditEvent",
]
# Which personas' tokens see P1's resources of each type (the sections P1 shared, or the unit).
PLAN_READERS = {P.P1, P.KEY_WORKER, P.CASEWORKER}
SEES: dict[str, set[Persona]] = {
    "Patient": {P.P1, P.KEY_WORKER, P.CASEWORKER, P.FAMILY},
    "Encounter": PLAN_READERS,
    "CareTeam": PLAN_READERS,
    "Consent": PLAN_READERS,
    "Goal": PLAN_READERS,
    "Provenance": PLAN_READERS,
    "DocumentReference": {P.P1, P.KEY_WORKER, P.CASEWORKER, P.FAMILY},
    "QuestionnaireResponse": {P.P1, P.KEY_WORKER},
    "Observation": {P.P1, P.KEY_WORKER},
    "AuditEvent": {P.P1},
}


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """The test database, set up before the personas world is asked for."""


def token_for(user: User, scope: str, *, name: str = "test app") -> str:
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1/callback",
    )
    value = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=user,
        application=application,
        token=value,
        expires=timezone.now() + timedelta(hours=1),
        scope=scope,
    )
    return value


def call(token: str | None, method: str, path: str, body: Any = None, **headers: str) -> Any:
    client = Client()
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    url = path if path.startswith("/") else BASE + path
    if method == "get":
        return client.get(url, **extra)
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/fhir+json", **extra
    )


def answered(world: World) -> None:
    """P1 answers the PHQ-9 (LOINC total 44261-6) once."""
    phq = current_version(Instrument.objects.get(code="phq9"))
    assert phq is not None
    phq.wording_loaded = True
    phq.save()
    assert world.p1.user is not None
    measures.submit_response(
        Actor(world.p1.user, "person"), world.p1, phq, {f"q{n}": "1" for n in range(1, 10)}
    )


def entries(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    return [e["resource"] for e in response.json().get("entry", [])]


def test_capability_statement_and_smart_configuration(world: World) -> None:
    metadata = call(None, "get", "metadata").json()
    fhir_validator.assert_valid(metadata)
    assert metadata["fhirVersion"] == "4.0.1"
    types = {r["type"] for r in metadata["rest"][0]["resource"]}
    assert set(PERSON_TYPES) <= types
    assert {"Questionnaire", "Organization", "Practitioner", "PractitionerRole"} <= types
    security = metadata["rest"][0]["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    smart = call(None, "get", ".well-known/smart-configuration").json()
    assert smart["code_challenge_methods_supported"] == ["S256"]
    assert "private_key_jwt" in smart["token_endpoint_auth_methods_supported"]
    for sd in call(None, "get", "StructureDefinition").json()["entry"]:
        fhir_validator.assert_valid(sd["resource"])


def test_every_resource_type_validates(world: World) -> None:
    answered(world)
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    seen: set[str] = set()
    for kind in [
        *PERSON_TYPES,
        "Questionnaire",
        "Organization",
        "Practitioner",
        "PractitionerRole",
    ]:
        query = f"{kind}?_count=200" if kind != "AuditEvent" else kind
        bundle = call(token, "get", query).json()
        fhir_validator.assert_valid(bundle)
        for resource in entries(call(token, "get", query)):
            seen.add(resource["resourceType"])
            fhir_validator.assert_valid(resource)
    p1_token = token_for(world.users[P.P1], "patient/*.read")
    for resource in entries(call(p1_token, "get", "AuditEvent")):
        seen.add("AuditEvent")
        fhir_validator.assert_valid(resource)
    assert seen >= {*PERSON_TYPES, "Questionnaire", "Organization", "Practitioner"}


def test_scores_carry_loinc_codes(world: World) -> None:
    answered(world)
    token = token_for(world.users[P.P1], "patient/*.read")
    observations = entries(call(token, "get", "Observation?category=survey"))
    codes = {c["code"] for o in observations for c in o["code"]["coding"]}
    assert "44261-6" in codes
    total = next(o for o in observations if o["code"]["coding"][0]["code"] == "44261-6")
    assert total["valueQuantity"]["value"] == 9
    assert total["subject"] == {"reference": f"Patient/{world.p1.fhir_id}"}


@pytest.mark.parametrize("persona", [p for p in Persona if p is not P.ANONYMOUS])
def test_personas_by_resource_type(world: World, persona: Persona) -> None:
    """Each persona's token sees P1's resources of a type only where the access layer says so,
    and reading one of them by id answers 200 or 404 accordingly."""
    answered(world)
    own = token_for(world.users[P.P1], "patient/*.read")
    token = token_for(world.users[persona], "user/*.read patient/*.read")
    patient = f"patient={world.p1.fhir_id}"
    for kind, readers in SEES.items():
        query = f"{kind}?{patient}" if kind != "Patient" else f"Patient?_id={world.p1.fhir_id}"
        reference = entries(call(own, "get", query))
        assert reference, kind
        found = entries(call(token, "get", query))
        assert bool(found) is (persona in readers), (persona, kind, found)
        # Reading by id agrees with searching: 200 for what the search showed, else 404.
        shown = {r["id"] for r in found}
        for resource in reference[:3]:
            read = call(token, "get", f"{kind}/{resource['id']}")
            assert read.status_code == (200 if resource["id"] in shown else 404), (persona, kind)
            if read.status_code == 404:
                assert read.json()["resourceType"] == "OperationOutcome"
    # The crisis plan: the family member sees it, and it is the only CarePlan they see.
    plans = entries(call(token, "get", f"CarePlan?{patient}"))
    kinds = {c["code"] for p in plans for cat in p["category"] for c in cat["coding"]}
    expected = {
        P.P1: {"recovery", "crisis"},
        P.KEY_WORKER: {"recovery", "crisis"},
        P.CASEWORKER: {"recovery"},
        P.FAMILY: {"crisis"},
    }.get(persona, set())
    assert kinds == expected


def test_reads_and_searches_are_audited(world: World) -> None:
    token = token_for(world.users[P.CASEWORKER], "user/*.read", name="municipal app")
    before = AuditEvent.objects.count()
    call(token, "get", f"CarePlan?patient={world.p1.fhir_id}")
    listed = AuditEvent.objects.filter(pk__gt=0).order_by("-id")[
        : AuditEvent.objects.count() - before
    ]
    assert any(e.action == AuditAction.LIST and e.person_id == world.p1.pk for e in listed)
    call(token, "get", f"Goal/{world.own_goal.fhir_id}")
    read = AuditEvent.objects.order_by("-id").first()
    assert read is not None
    assert (read.action, read.person_id, read.actor_id) == (
        AuditAction.READ,
        world.p1.pk,
        world.users[P.CASEWORKER].pk,
    )
    assert "municipal app" in read.why


def test_a_patient_token_sees_only_its_patient(world: World) -> None:
    token = token_for(world.users[P.P2], "patient/*.read")
    assert entries(call(token, "get", f"Goal?patient={world.p1.fhir_id}")) == []
    assert call(token, "get", f"Goal/{world.own_goal.fhir_id}").status_code == 404
    patients = entries(call(token, "get", "Patient"))
    assert [p["id"] for p in patients] == [str(world.p2.fhir_id)]


def test_search_parameters_paging_include_and_summary(world: World) -> None:
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    goals = entries(call(token, "get", f"Goal?patient=Patient/{world.p1.fhir_id}"))
    assert {g["id"] for g in goals} == {
        str(world.own_goal.fhir_id),
        str(world.service_goal.fhir_id),
    }
    assert (
        entries(call(token, "get", f"Goal?_id={world.own_goal.fhir_id}"))[0]["description"]["text"]
        == "Cook for my sister again"
    )
    assert entries(call(token, "get", "Goal?status=completed")) == []
    assert len(entries(call(token, "get", "Goal?status=active"))) == 2
    assert len(entries(call(token, "get", "Goal?date=ge2000-01-01"))) == 2
    assert entries(call(token, "get", "Goal?date=lt2000-01-01")) == []
    assert entries(call(token, "get", "Goal?_lastUpdated=lt2000")) == []
    page = call(token, "get", "Goal?_count=1").json()
    assert page["total"] == 2
    assert len(page["entry"]) == 1
    following = next(link["url"] for link in page["link"] if link["relation"] == "next")
    second = call(token, "get", following.split("testserver")[1]).json()
    assert second["entry"][0]["resource"]["id"] != page["entry"][0]["resource"]["id"]
    assert not any(link["relation"] == "next" for link in second["link"])
    count = call(token, "get", "Goal?_summary=count").json()
    assert count["total"] == 2
    assert "entry" not in count
    included = call(token, "get", f"CarePlan?patient={world.p1.fhir_id}&_include=CarePlan:goal")
    modes = [(e["resource"]["resourceType"], e["search"]["mode"]) for e in included.json()["entry"]]
    assert ("Goal", "include") in modes
    assert ("CarePlan", "match") in modes
    crisis = entries(call(token, "get", "CarePlan?category=crisis"))
    assert [c["title"] for c in crisis] == ["Crisis plan"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("Goal?colour=blue", 400, "not-supported"),
        ("Goal?_count=lots", 400, "invalid"),
        ("Goal?_include=Goal:subject", 400, "not-supported"),
        ("Goal?date=yesterday", 400, "invalid"),
        ("Basic", 404, "not-supported"),
        ("Goal/not-a-goal", 404, "not-found"),
    ],
)
def test_errors_answer_with_an_operation_outcome(
    world: World, path: str, status: int, code: str
) -> None:
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    response = call(token, "get", path)
    assert response.status_code == status
    body = response.json()
    fhir_validator.assert_valid(body)
    assert body["issue"][0]["code"] == code


def test_no_token_is_401_and_an_expired_token_too(world: World) -> None:
    assert call(None, "get", "Goal").status_code == 401
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = call(token, "get", "Goal")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_person_creates_a_goal_and_updates_it_with_if_match(world: World) -> None:
    token = token_for(world.users[P.P1], "patient/*.read patient/Goal.write")
    body = {
        "resourceType": "Goal",
        "lifecycleStatus": "active",
        "description": {"text": "Walk to the harbour on Sundays"},
        "subject": {"reference": f"Patient/{world.p1.fhir_id}"},
    }
    created = call(token, "post", "Goal", body)
    assert created.status_code == 201, created.content
    resource = created.json()
    fhir_validator.assert_valid(resource)
    assert created["ETag"] == 'W/"1"'
    goal = Goal.objects.get(fhir_id=resource["id"])
    assert (goal.text, goal.origin, goal.author_id) == (
        "Walk to the harbour on Sundays",
        "person",
        world.users[P.P1].pk,
    )
    resource["description"]["text"] = "Walk to the harbour every Sunday"
    updated = call(token, "put", f"Goal/{goal.fhir_id}", resource, If_Match='W/"1"')
    assert updated.status_code == 200, updated.content
    assert updated["ETag"] == 'W/"2"'
    # The second writer with the old version is refused, and nothing is lost.
    resource["description"]["text"] = "Something else"
    stale = call(token, "put", f"Goal/{goal.fhir_id}", resource, If_Match='W/"1"')
    assert stale.status_code == 412
    assert stale.json()["resourceType"] == "OperationOutcome"
    goal.refresh_from_db()
    assert goal.text == "Walk to the harbour every Sunday"


def test_writes_need_the_write_scope_and_access(world: World) -> None:
    body = {
        "resourceType": "Goal",
        "lifecycleStatus": "active",
        "description": {"text": "Not mine to set"},
        "subject": {"reference": f"Patient/{world.p1.fhir_id}"},
    }
    before = Goal.objects.count()
    read_only = token_for(world.users[P.P1], "patient/*.read")
    assert call(read_only, "post", "Goal", body).status_code == 403
    stranger = token_for(world.users[P.P2], "patient/*.read patient/Goal.write")
    assert call(stranger, "post", "Goal", body).status_code == 404
    invalid = token_for(world.users[P.P1], "patient/Goal.write")
    assert call(invalid, "post", "Goal", {**body, "lifecycleStatus": 7}).status_code == 400
    assert Goal.objects.count() == before


def test_a_questionnaire_response_from_another_app_is_stored(world: World) -> None:
    phq = current_version(Instrument.objects.get(code="phq9"))
    assert phq is not None
    phq.wording_loaded = True
    phq.save()
    token = token_for(world.users[P.P1], "patient/*.read patient/QuestionnaireResponse.write")
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{phq.url}|{phq.version}",
        "status": "completed",
        "subject": {"reference": f"Patient/{world.p1.fhir_id}"},
        "authored": timezone.now().isoformat(),
        "item": [
            {"linkId": f"q{n}", "answer": [{"valueCoding": {"code": "2"}}]} for n in range(1, 10)
        ],
    }
    created = call(token, "post", "QuestionnaireResponse", body)
    assert created.status_code == 201, created.content
    fhir_validator.assert_valid(created.json())
    scores = entries(call(token, "get", "Observation?patient=" + str(world.p1.fhir_id)))
    assert any(o["valueQuantity"]["value"] == 18 for o in scores)
