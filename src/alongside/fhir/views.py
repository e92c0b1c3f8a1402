"""The FHIR R4 REST API at ``/fhir/R4/``: capability, read, search, create, update.

Thin HTTP: who is asking (``auth.grant_for``), what they may see (``search`` through the access
layer), the answer as FHIR JSON. Every read is audited like a page read (one ``read`` event for a
read, one ``list`` event per person shown for a search). No access, or no such resource, answers
404 with an OperationOutcome; errors and unknown parameters answer with an OperationOutcome too.
Writes go through the rooms' services (``plans.services``, ``measures.fhir``).
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError as PydanticError

from alongside import access
from alongside.fhir import bulk, capability, ids, search
from alongside.fhir import resources as fhir
from alongside.fhir.auth import Grant, grant_for
from alongside.fhir.extensions import GOAL_ORIGIN, TOGETHER_WITH_STAFF, structure_definition
from alongside.fhir.models import ExportJob, ExportStatus
from alongside.measures.fhir import TOGETHER, import_response
from alongside.measures.models import Response
from alongside.network.scopes import Section
from alongside.organisations.models import Organisation
from alongside.people.models import Person
from alongside.plans import services as plans
from alongside.plans.models import Goal, GoalStance, Origin

JSON = dict[str, Any]
FHIR_JSON = "application/fhir+json; charset=utf-8"
API_ROLE = "api"


def respond(data: JSON, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=FHIR_JSON,
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def outcome(
    status: int, code: str, text: str, headers: dict[str, str] | None = None
) -> HttpResponse:
    return respond(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}],
        },
        status,
        headers,
    )


def not_found(what: str) -> HttpResponse:
    return outcome(404, "not-found", f"{what} is not known here.")


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4/")


def _grant(request: HttpRequest) -> Grant | None:
    grant = grant_for(request)
    if grant is not None:
        request.user = grant.user
    return grant


def unauthorised() -> HttpResponse:
    return outcome(401, "login", "Sign in first.", {"WWW-Authenticate": 'Bearer realm="fhir"'})


def _params(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.GET.getlist(key) for key in request.GET}


# ----- capability -----------------------------------------------------------------------


def metadata(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return outcome(405, "not-supported", "Only GET.")
    return respond(capability.capability_statement(base_url(request)))


def smart_configuration(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(capability.smart_configuration(request)), content_type="application/json"
    )
    return response


# ----- search and read ------------------------------------------------------------------


def _section_of(kind: search.Kind, resource: JSON, person: Person, grant: Grant) -> Section | None:
    if kind.name == "Patient":
        found = access.resolve_access(grant.user, person.pk)
        if found is None:
            return None
        return next(s for s in Section if found.allows(s))
    if kind.self_only:
        return Section.PLAN  # the person's own record: every section is theirs
    if kind.sections:
        return Section.CRISIS_PLAN if resource["id"].startswith("crisis-") else Section.PLAN
    return kind.section


def _paging(params: dict[str, list[str]]) -> tuple[int, int]:
    count = min(int((params.get("_count") or [str(search.DEFAULT_COUNT)])[0]), search.MAX_COUNT)
    offset = int((params.get("_offset") or ["0"])[0])
    return offset, count


def _bundle(
    request: HttpRequest,
    kind: search.Kind,
    query: search.Query,
    result: search.Result,
) -> JSON:
    params = query.params
    offset, count = _paging(params)
    base = base_url(request)

    def link(new_offset: int) -> str:
        pairs = [(k, v) for k, values in params.items() if k != "_offset" for v in values]
        if new_offset:
            pairs.append(("_offset", str(new_offset)))
        return f"{base}{kind.name}" + (f"?{urlencode(pairs)}" if pairs else "")

    bundle: JSON = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": fhir.instant(fhir_now())},
        "type": "searchset",
        "total": result.total,
        "link": [{"relation": "self", "url": link(offset)}],
    }
    if params.get("_summary") == ["count"]:
        return bundle
    page = result.found
    if offset + count < result.total:
        bundle["link"].append({"relation": "next", "url": link(offset + count)})
    entries = [
        {"fullUrl": f"{base}{kind.name}/{r['id']}", "resource": r, "search": {"mode": "match"}}
        for r, _p in page
    ]
    shown = [p for _r, p in page if p is not None]
    if params.get("_include") == ["CarePlan:goal"]:
        included = search.included_goals(query, page)
        entries += [
            {"fullUrl": f"{base}Goal/{r['id']}", "resource": r, "search": {"mode": "include"}}
            for r, _p in included
        ]
        shown += [p for _r, p in included if p is not None]
    if entries:
        bundle["entry"] = entries
    unique = list({p.pk: p for p in shown}.values())
    access.audit_list(
        request, API_ROLE, unique, why=f"FHIR {kind.name} search [{query.grant.client}]"
    )
    return bundle


def fhir_now() -> Any:
    from django.utils import timezone

    return timezone.now()


@csrf_exempt
def type_level(request: HttpRequest, kind_name: str) -> HttpResponse:
    if kind_name == "StructureDefinition":
        return _structure_definitions(request)
    kind = search.KINDS.get(kind_name)
    if kind is None:
        return outcome(404, "not-supported", f"The resource type {kind_name!r} is not served here.")
    grant = _grant(request)
    if grant is None:
        return unauthorised()
    if request.method == "POST":
        return _create(request, grant, kind)
    if request.method != "GET":
        return outcome(405, "not-supported", f"{request.method} is not supported on {kind_name}.")
    query = search.Query(grant=grant, params=_params(request), base=base_url(request))
    try:
        search.check_params(kind, query.params)
        offset, count = _paging(query.params)
        if query.params.get("_summary") == ["count"]:
            count = 0
        result = search.run(kind, query, offset=offset, count=count)
        bundle = _bundle(request, kind, query, result)
    except search.SearchError as error:
        return outcome(400, error.code, str(error))
    return respond(bundle)


def _read(request: HttpRequest, grant: Grant, kind: search.Kind, logical_id: str) -> HttpResponse:
    query = search.Query(grant=grant, params={"_id": [logical_id]}, base=base_url(request))
    result = search.run(kind, query, count=2)
    if result.total != 1 or len(result.found) != 1:
        return not_found(f"{kind.name}/{logical_id}")
    resource, person = result.found[0]
    if person is not None:
        section = _section_of(kind, resource, person, grant)
        if section is None:
            return not_found(f"{kind.name}/{logical_id}")
        try:
            access.open_person(
                request, person.pk, section, why=f"FHIR read {kind.name} [{grant.client}]"
            )
        except Http404:
            return not_found(f"{kind.name}/{logical_id}")
    headers = {}
    version = (resource.get("meta") or {}).get("versionId")
    if version:
        headers["ETag"] = f'W/"{version}"'
    return respond(resource, headers=headers)


@csrf_exempt
def instance_level(request: HttpRequest, kind_name: str, logical_id: str) -> HttpResponse:
    if kind_name == "StructureDefinition":
        found = structure_definition(logical_id)
        return respond(found) if found else not_found(f"StructureDefinition/{logical_id}")
    kind = search.KINDS.get(kind_name)
    if kind is None:
        return outcome(404, "not-supported", f"The resource type {kind_name!r} is not served here.")
    grant = _grant(request)
    if grant is None:
        return unauthorised()
    if request.method == "PUT" and kind.name == "Goal":
        return _update_goal(request, grant, logical_id)
    if request.method != "GET":
        return outcome(405, "not-supported", f"{request.method} is not supported here.")
    return _read(request, grant, kind, logical_id)


def _structure_definitions(request: HttpRequest) -> HttpResponse:
    from alongside.fhir.extensions import structure_definitions

    definitions = structure_definitions()
    base = base_url(request)
    return respond(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(definitions),
            "entry": [
                {
                    "fullUrl": f"{base}StructureDefinition/{sd['id']}",
                    "resource": sd,
                    "search": {"mode": "match"},
                }
                for sd in definitions
            ],
        }
    )


# ----- writes ---------------------------------------------------------------------------


def _body(request: HttpRequest, kind: str) -> JSON:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError("The body is not JSON.") from None
    if not isinstance(data, dict) or data.get("resourceType") != kind:
        raise ValidationError(f"The body must be a {kind}.")
    try:
        get_fhir_model_class(kind).model_validate(data)
    except PydanticError as error:
        raise ValidationError(
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        ) from None
    return data


def _subject(grant: Grant, data: JSON, key: str, section: Section) -> access.PersonAccess | None:
    reference = str((data.get(key) or {}).get("reference", ""))
    logical = reference.removeprefix("Patient/")
    if not reference.startswith("Patient/") or not ids.is_uuid(logical):
        return None
    person = Person.objects.filter(fhir_id=logical).first()
    if person is None:
        return None
    if grant.patient_only and (grant.patient is None or grant.patient.pk != person.pk):
        return None
    found = access.resolve_access(grant.user, person.pk)
    return found if found is not None and found.allows(section) else None


def _messages(error: ValidationError) -> str:
    return "; ".join(str(m) for m in error.messages)


def _create(request: HttpRequest, grant: Grant, kind: search.Kind) -> HttpResponse:
    if kind.name not in ("Goal", "QuestionnaireResponse"):
        return outcome(405, "not-supported", f"{kind.name} cannot be created here.")
    if grant.client == "session":
        return unauthorised()  # writes need a token: no cross-site form can make one
    if not grant.writes(kind.name):
        return outcome(403, "forbidden", f"This token may not write {kind.name}.")
    try:
        data = _body(request, kind.name)
    except ValidationError as error:
        return outcome(400, "structure", _messages(error))
    base = base_url(request)
    if kind.name == "Goal":
        found = _subject(grant, data, "subject", Section.PLAN)
        if found is None:
            return not_found("The subject")
        origin = next(
            (e.get("valueCode") for e in data.get("extension", []) if e.get("url") == GOAL_ORIGIN),
            Origin.PERSON if found.is_self else Origin.CLINICAL,
        )
        if origin not in Origin.values:
            return outcome(422, "code-invalid", f"Unknown goal origin {origin!r}.")
        try:
            goal = plans.add_goal(
                found.actor,
                found.person,
                text=str((data.get("description") or {}).get("text", "")),
                origin=Origin(origin),
            )
        except ValidationError as error:
            return outcome(422, "processing", _messages(error))
        resource = fhir.goal(goal)
        return respond(
            resource,
            201,
            {
                "Location": f"{base}Goal/{goal.fhir_id}/_history/{goal.version}",
                "ETag": f'W/"{goal.version}"',
            },
        )
    found = _subject(grant, data, "subject", Section.MEASURES)
    if found is None:
        return not_found("The subject")
    if not ids.is_uuid(str(data.get("id", ""))):
        data["id"] = str(uuid.uuid4())
    for extension in data.get("extension", []):
        if extension.get("url") == TOGETHER_WITH_STAFF:
            extension["url"] = TOGETHER
    if Response.objects.filter(uuid=data["id"]).exists():
        return outcome(409, "duplicate", "A response with this id exists already.")
    try:
        response = import_response(found.actor, data, found.person)
    except ValidationError as error:
        return outcome(422, "processing", _messages(error))
    resource = fhir.questionnaire_response(
        Response.objects.select_related("person", "version__instrument").get(pk=response.pk)
    )
    return respond(
        resource,
        201,
        {"Location": f"{base}QuestionnaireResponse/{response.uuid}/_history/1", "ETag": 'W/"1"'},
    )


def _update_goal(request: HttpRequest, grant: Grant, logical_id: str) -> HttpResponse:
    if grant.client == "session":
        return unauthorised()
    if not grant.writes("Goal"):
        return outcome(403, "forbidden", "This token may not write Goal.")
    goal = (
        Goal.objects.filter(fhir_id=logical_id).select_related("person", "author").first()
        if ids.is_uuid(logical_id)
        else None
    )
    if goal is None:
        return not_found(f"Goal/{logical_id}")
    if grant.patient_only and (grant.patient is None or grant.patient.pk != goal.person_id):
        return not_found(f"Goal/{logical_id}")
    found = access.resolve_access(grant.user, goal.person_id)
    if found is None or not found.allows(Section.PLAN):
        return not_found(f"Goal/{logical_id}")
    try:
        data = _body(request, "Goal")
    except ValidationError as error:
        return outcome(400, "structure", _messages(error))
    if data.get("id") != logical_id:
        return outcome(400, "invalid", "The id in the body must match the URL.")
    expected = goal.version
    match = request.META.get("HTTP_IF_MATCH", "")
    if match:
        digits = match.removeprefix("W/").strip('"')
        if not digits.isdigit():
            return outcome(400, "invalid", 'If-Match must be a version like W/"2".')
        expected = int(digits)
    text = str((data.get("description") or {}).get("text", ""))
    try:
        if text != goal.text or expected != goal.version:
            goal = plans.edit_goal_text(found.actor, goal, expected_version=expected, text=text)
    except plans.ConcurrentEdit as stale:
        return outcome(
            412,
            "conflict",
            f"The goal changed since version {expected}; it is at version {stale.version} now.",
        )
    except PermissionDenied:
        return outcome(403, "forbidden", "Only the goal's author changes its words.")
    except ValidationError as error:
        return outcome(422, "processing", _messages(error))
    goal.refresh_from_db()
    stance = GoalStance.objects.filter(goal=goal).order_by("-recorded_at", "-id").first()
    resource = fhir.goal(goal, stance)
    return respond(resource, 200, {"ETag": f'W/"{goal.version}"'})


# ----- Bulk Data $export ----------------------------------------------------------------


def _analyst(request: HttpRequest) -> Grant | HttpResponse:
    grant = _grant(request)
    if grant is None:
        return unauthorised()
    if not bulk.is_analyst(grant.user):
        return not_found("Bulk export")
    return grant


def _kick_off(request: HttpRequest, group_id: str | None) -> HttpResponse:
    grant = _analyst(request)
    if isinstance(grant, HttpResponse):
        return grant
    if request.method != "GET":
        return outcome(405, "not-supported", "Kick off an export with GET.")
    if "respond-async" not in request.META.get("HTTP_PREFER", ""):
        return outcome(400, "invalid", "Send Prefer: respond-async.")
    types = [t for t in request.GET.get("_type", ",".join(bulk.TYPES)).split(",") if t]
    unknown = sorted(set(types) - set(bulk.TYPES)) + sorted(
        set(request.GET) - {"_type", "_outputFormat"}
    )
    if unknown:
        return outcome(400, "not-supported", f"Not supported here: {', '.join(unknown)}.")
    if request.GET.get("_outputFormat", "application/fhir+ndjson") not in (
        "application/fhir+ndjson",
        "application/ndjson",
        "ndjson",
    ):
        return outcome(400, "not-supported", "Only NDJSON output.")
    group = None
    if group_id is not None:
        group = (
            Organisation.objects.filter(fhir_id=group_id).first() if ids.is_uuid(group_id) else None
        )
        if group is None:
            return not_found(f"Group/{group_id}")
    job = bulk.request_export(
        grant.user, group=group, types=types, url=request.build_absolute_uri()
    )
    response = HttpResponse(status=202)
    response["Content-Location"] = f"{base_url(request)}$export-status/{job.fhir_id}"
    return response


def export_system(request: HttpRequest) -> HttpResponse:
    return _kick_off(request, None)


def export_group(request: HttpRequest, group_id: str) -> HttpResponse:
    return _kick_off(request, group_id)


def _job(request: HttpRequest, job_id: str) -> ExportJob | HttpResponse:
    grant = _analyst(request)
    if isinstance(grant, HttpResponse):
        return grant
    job = (
        ExportJob.objects.filter(fhir_id=job_id, requested_by=grant.user).first()
        if ids.is_uuid(job_id)
        else None
    )
    return job if job is not None else not_found("This export")


def export_status(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    if job.status == ExportStatus.FAILED:
        return outcome(500, "exception", "The export failed; kick off a new one.")
    if job.status != ExportStatus.DONE or job.finished_at is None:
        response = HttpResponse(status=202)
        response["X-Progress"] = f"{job.status}: {job.progress}" if job.progress else job.status
        response["Retry-After"] = "10"
        return response
    base = base_url(request)
    manifest = {
        "transactionTime": fhir.instant(job.started_at or job.finished_at),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": kind, "url": f"{base}$export-file/{job.fhir_id}/{kind}"}
            for kind in job.types
            if kind in job.output
        ],
        "error": [],
    }
    return HttpResponse(json.dumps(manifest), content_type="application/json")


def export_file(request: HttpRequest, job_id: str, kind_name: str) -> HttpResponse:
    job = _job(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    if kind_name not in job.output:
        return not_found(f"{kind_name} output")
    return HttpResponse(job.output[kind_name], content_type="application/fhir+ndjson")
