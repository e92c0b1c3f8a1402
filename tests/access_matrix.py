"""Who may reach which URL: one declaration per URL pattern, checked for every persona.

Adding a URL without declaring it here fails ``test_every_url_pattern_is_declared``. A
declaration names the HTTP method, how to fill the URL's parameters from the personas world, and
the status each persona must get. No access is 404, never 403. Anonymous visitors to pages are sent
to the login page (302); the API answers them 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.personas import Persona, World

P = Persona
EVERY_LOGGED_IN = [p for p in Persona if p is not Persona.ANONYMOUS]
STAFF = [P.KEY_WORKER, P.CASEWORKER, P.OTHER_UNIT_STAFF, P.EXPIRED_MEMBER, P.ANALYST]


def statuses(default: int, **overrides: int) -> dict[Persona, int]:
    table = dict.fromkeys(Persona, default)
    for name, status in overrides.items():
        table[Persona(name)] = status
    return table


def only(allowed: list[Persona], *, ok: int = 200, anonymous: int = 302) -> dict[Persona, int]:
    """``ok`` for the allowed personas, 404 for every other logged-in one."""
    table = {persona: (ok if persona in allowed else 404) for persona in EVERY_LOGGED_IN}
    table[Persona.ANONYMOUS] = anonymous
    return table


@dataclass(frozen=True)
class Declaration:
    method: str
    expected: dict[Persona, int]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    # Person data this URL writes: denied personas must leave the database unchanged.
    writes: bool = False
    notes: str = field(default="")


def p1(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk}


MATRIX: dict[str, Declaration] = {
    "home": Declaration("get", statuses(302)),
    "healthz": Declaration("get", statuses(200)),
    "accounts:login": Declaration("get", statuses(302, anonymous=200)),
    "accounts:logout": Declaration("post", statuses(302)),
    "accounts:language": Declaration(
        "post", statuses(302), data=lambda world: {"language": "da", "next": "/"}
    ),
    "accounts:password": Declaration("get", only(EVERY_LOGGED_IN)),
    "workspace:caseload": Declaration("get", only(STAFF)),
    "workspace:person": Declaration("get", only([P.P1, P.KEY_WORKER, P.CASEWORKER]), kwargs=p1),
    "portal:me": Declaration("get", only([P.P1, P.P2])),
    "portal:supporting": Declaration("get", only([P.FAMILY])),
    "api:me": Declaration("get", only(EVERY_LOGGED_IN, anonymous=401)),
    "api:person": Declaration(
        "get", only([P.P1, P.KEY_WORKER, P.CASEWORKER], anonymous=401), kwargs=p1
    ),
    "api:caseload": Declaration("get", only(EVERY_LOGGED_IN, anonymous=401)),
    "api:openapi-json": Declaration("get", statuses(200)),
    # django-ninja's placeholder for the API root: it resolves but answers nothing.
    "api:api-root": Declaration("get", statuses(404)),
}
