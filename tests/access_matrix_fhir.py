"""Access declarations for the FHIR R4 API and its OAuth 2.0 endpoints (see access_matrix.py).

The matrix walks every URL with the personas' browser sessions. The API reads a session like a
``user/*.read`` token: the capability statement and SMART configuration are public; a search
answers 200 to every logged-in user (with only what they may see: tests/test_fhir_api.py checks
the contents per persona and resource type, with OAuth tokens); a read by id answers 404 with an
OperationOutcome unless the access layer grants the section (P1's own goal: plan readers; P1's
crisis plan: crisis plan readers). Anonymous callers get 401. Writes need a token, so a session
POST is 401 for everyone. The OAuth endpoints: the consent page sends anonymous visitors to log
in and answers a request without a client 400 (DOT's error page); token and revoke are POST only.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import EVERY_LOGGED_IN, Declaration, P, only, statuses
from tests.personas import World

PLAN_READERS = [P.P1, P.KEY_WORKER, P.CASEWORKER]
CRISIS_READERS = [P.P1, P.KEY_WORKER, P.FAMILY]


def goal_search(world: World) -> dict[str, Any]:
    return {"kind_name": "Goal"}


def own_goal(world: World) -> dict[str, Any]:
    return {"kind_name": "Goal", "logical_id": str(world.own_goal.fhir_id)}


def crisis_plan(world: World) -> dict[str, Any]:
    return {"kind_name": "CarePlan", "logical_id": f"crisis-{world.p1.fhir_id}"}


def care_team(world: World) -> dict[str, Any]:
    return {"kind_name": "CareTeam", "logical_id": str(world.p1.fhir_id)}


def patient(world: World) -> dict[str, Any]:
    return {"kind_name": "Patient", "logical_id": str(world.p1.fhir_id)}


def hospital_group(world: World) -> dict[str, Any]:
    return {"group_id": str(world.hospital.fhir_id)}


def no_job(world: World) -> dict[str, Any]:
    return {"job_id": "00000000-0000-4000-8000-000000000000"}


def no_file(world: World) -> dict[str, Any]:
    return {"job_id": "00000000-0000-4000-8000-000000000000", "kind_name": "Patient"}


# $export without ``Prefer: respond-async`` is refused (400) for the analyst, the only persona
# who may export at all; everyone else gets 404. Unknown jobs are 404 for everyone.
EXPORT = only([P.ANALYST], ok=400, anonymous=401)

FHIR: dict[str, Declaration] = {
    "fhir:export": Declaration("get", EXPORT),
    "fhir:export_group": Declaration("get", EXPORT, kwargs=hospital_group),
    "fhir:export_status": Declaration("get", statuses(404, anonymous=401), kwargs=no_job),
    "fhir:export_file": Declaration("get", statuses(404, anonymous=401), kwargs=no_file),
    "fhir:metadata": Declaration("get", statuses(200)),
    "fhir:smart_configuration": Declaration("get", statuses(200)),
    "fhir:type": Declaration("get", only(EVERY_LOGGED_IN, anonymous=401), kwargs=goal_search),
    "fhir:instance": Declaration("get", only(PLAN_READERS, anonymous=401), kwargs=own_goal),
    "oauth:authorize": Declaration("get", statuses(400, anonymous=302)),
    "oauth:token": Declaration("get", statuses(405)),
    "oauth:revoke_token": Declaration("get", statuses(405)),
    "oauth:jwks": Declaration("get", statuses(200)),
}

FHIR_ALSO: list[tuple[str, Declaration]] = [
    ("fhir:instance", Declaration("get", only(CRISIS_READERS, anonymous=401), kwargs=crisis_plan)),
    ("fhir:instance", Declaration("get", only(PLAN_READERS, anonymous=401), kwargs=care_team)),
    (
        "fhir:instance",
        Declaration("get", only([*PLAN_READERS, P.FAMILY], anonymous=401), kwargs=patient),
    ),
    ("fhir:type", Declaration("post", statuses(401), kwargs=goal_search, writes=True)),
    ("oauth:token", Declaration("post", statuses(400))),
]
