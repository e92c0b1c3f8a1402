"""The shape of an access declaration, and helpers to write the expected statuses briefly.

See access_matrix.py for what the declarations are for.

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
STAFF = [
    P.KEY_WORKER,
    P.CASEWORKER,
    P.OTHER_UNIT_STAFF,
    P.EXPIRED_MEMBER,
    P.ANALYST,
    P.RESEARCHER,
]


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
