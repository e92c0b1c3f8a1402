"""The typed JSON API (django-ninja), versioned under /api/v1/. OpenAPI at /api/v1/openapi.json.

Same access layer, same audit and the same 404-for-no-access rule as the pages. Authentication is
the browser session (CSRF-checked for writes); the interactive docs page is off because it needs
inline script and CDN assets, but the schema is served.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Path, Query, Schema
from ninja.security import django_auth

from alongside import access
from alongside.accounts.models import User
from alongside.core.params import MAX_ID
from alongside.core.roles import primary_role
from alongside.network.queries import active_members
from alongside.network.scopes import Section
from alongside.workspace import queries

api = NinjaAPI(
    title="Alongside API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    auth=django_auth,
)


class MeOut(Schema):
    username: str
    display_name: str
    language: str
    person_id: int | None


class NetworkMemberOut(Schema):
    name: str
    role: str
    organisation: str
    sections: list[str]
    since: datetime


class PersonOut(Schema):
    id: int
    name: str
    preferred_name: str
    pronouns: str
    languages: list[str]
    about_me: str
    network: list[NetworkMemberOut]


class CaseloadEntryOut(Schema):
    person_id: int
    name: str
    unit: str
    stay_days: int | None
    last_contact_at: datetime | None
    next_review_on: date | None


class ErrorOut(Schema):
    """401 (not logged in) and 404 (no such person, or no access: the same answer)."""

    detail: str


class ValidationErrorOut(Schema):
    """422: a parameter out of its range or of the wrong type; ``detail`` names which."""

    detail: list[dict[str, Any]]


# Every operation documents the answers it may give besides its own.
ANSWERS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
PersonId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The caseload is paged; no caseload is a million persons long.
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404()
    return request.user


@api.get("/me", response={200: MeOut, **ANSWERS}, url_name="me")
def me(request: HttpRequest) -> MeOut:
    user = _user(request)
    person = getattr(user, "person", None)
    return MeOut(
        username=user.username,
        display_name=user.shown_name,
        language=user.preferred_language,
        person_id=person.pk if person is not None else None,
    )


@api.get("/persons/{person_id}", response={200: PersonOut, **ANSWERS}, url_name="person")
def person(request: HttpRequest, person_id: PersonId) -> PersonOut:
    grant = access.open_person(request, person_id, Section.PLAN, why="api: person")
    p = grant.person
    return PersonOut(
        id=p.pk,
        name=p.name,
        preferred_name=p.preferred_name,
        pronouns=p.pronouns,
        languages=list(p.languages),
        about_me=p.about_me,
        network=[
            NetworkMemberOut(
                name=m.name,
                role=m.role_label,
                organisation=m.organisation,
                sections=[s.value for s in m.sections],
                since=m.since,
            )
            for m in active_members(p)
        ],
    )


@api.get("/caseload", response={200: list[CaseloadEntryOut], **ANSWERS}, url_name="caseload")
def caseload(
    request: HttpRequest, limit: Limit = 100, offset: Offset = 0
) -> list[CaseloadEntryOut]:
    user = _user(request)
    persons = list(queries.caseload(user)[offset : offset + limit])
    rows = queries.caseload_rows(persons)
    access.audit_list(
        request, primary_role(user), [row.person for row in rows], why="api: caseload"
    )
    return [
        CaseloadEntryOut(
            person_id=row.person.pk,
            name=row.person.shown_name,
            unit=row.unit_name,
            stay_days=row.stay_days,
            last_contact_at=row.last_contact_at,
            next_review_on=row.next_review_on,
        )
        for row in rows
    ]
