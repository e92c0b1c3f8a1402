"""Odd input is answered, never a server error: ids and numbers are read one way, with bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.core.params import MAX_ID, parse_date, parse_id, parse_ids, parse_int
from alongside.organisations.models import Role
from alongside.organisations.services import assign_role
from tests.access_declarations import Declaration
from tests.access_matrix import ALSO, MATRIX
from tests.personas import Persona, World

ODD = ["²", "١٢", "12²", str(2**63), "9" * 40, "-1", "0", " 7", "1e3", "0x10", ""]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-5", None),
        ("²", None),
        ("١٢", None),  # int() would read this as 12
        ("12a", None),
        ("", None),
        (None, None),
        ("9" * 400, None),
    ],
)
def test_parse_id(raw: object, expected: int | None) -> None:
    assert parse_id(raw) == expected


def test_parse_int_and_ids_and_dates_keep_to_their_bounds() -> None:
    assert parse_int("-3", low=-5, high=5) == -3
    assert parse_int("6", low=-5, high=5) is None
    assert parse_ids(["3", "²", "3", "x", "4"]) == {3, 4}
    assert parse_ids([]) == set()
    assert parse_date("2026-03-01") == date(2026, 3, 1)
    assert parse_date("0001-01-01") is None
    assert parse_date("9999-12-31") is None
    assert parse_date("2026-02-30") is None
    assert parse_date("\uff12\uff10\uff12\uff16-03-01") is None
    assert parse_date(None) is None


def _declared(name: str, method: str) -> Declaration:
    for url_name, declaration in [*MATRIX.items(), *ALSO]:
        if url_name == name and declaration.method == method:
            return declaration
    raise AssertionError(f"{name} {method} is not declared")


# (url name, method, persona, the parameter made odd, where it goes)
CASES = [
    ("measures:chime", "get", Persona.P1, "first", "query"),
    ("measures:chime", "get", Persona.P1, "second", "query"),
    ("measures:answer", "post", Persona.P1, "schedule", "form"),
    ("measures:answer", "post", Persona.P1, "version", "form"),
    ("plans:goal_links", "post", Persona.KEY_WORKER, "serves", "form"),
    ("meetings_service:tasks", "post", Persona.CASEWORKER, "action", "form"),
    ("narratives:suggestions", "get", Persona.ANALYST, "source", "query"),
    ("narratives:suggestions", "get", Persona.ANALYST, "page", "query"),
    ("narratives:memo", "post", Persona.ANALYST, "code", "form"),
    ("narratives:memo", "post", Persona.ANALYST, "source", "form"),
    ("narratives:consensus", "post", Persona.ANALYST, "source", "form"),
]


@pytest.mark.parametrize(("name", "method", "persona", "field", "where"), CASES)
def test_odd_ids_and_numbers_are_refused_or_ignored_never_a_server_error(
    world: World,
    db: None,
    client_as: Callable[[Persona], Client],
    name: str,
    method: str,
    persona: Persona,
    field: str,
    where: str,
) -> None:
    declaration = _declared(name, method)
    url = reverse(name, kwargs=declaration.kwargs(world))
    client = client_as(persona)
    for raw in ODD:
        if method == "get":
            response = client.get(url, {field: raw})
        else:
            data: dict[str, Any] = {**declaration.data(world), field: raw}
            response = client.post(url, data)
        assert response.status_code in {200, 302, 404}, (field, raw, response.status_code)


@pytest.mark.parametrize("offset", [str(2**63), str(2**31), "-1", "²", "1e9"])
def test_api_caseload_answers_422_to_an_offset_out_of_range(
    world: World, db: None, client_as: Callable[[Persona], Client], offset: str
) -> None:
    response = client_as(Persona.KEY_WORKER).get(reverse("api:caseload"), {"offset": offset})
    assert response.status_code == 422
    assert "offset" in response.content.decode()


def test_api_caseload_pages_within_range(
    world: World, db: None, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.KEY_WORKER)
    everyone = client.get(reverse("api:caseload")).json()
    assert everyone
    assert client.get(reverse("api:caseload"), {"offset": 1_000_000}).json() == []
    assert client.get(reverse("api:caseload"), {"limit": 1}).json() == everyone[:1]


def test_api_person_answers_422_or_404_to_odd_ids(
    world: World, db: None, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.KEY_WORKER)
    assert client.get(f"/api/v1/persons/{2**63}").status_code == 422
    assert client.get("/api/v1/persons/0").status_code == 422
    assert client.get(f"/api/v1/persons/{MAX_ID}").status_code == 404


@pytest.mark.parametrize(
    "period",
    [
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "0001-01-01"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "²", "to": "2026-03-01"},
        {"from": "2026-03-01", "to": "2026-03-01"},
    ],
)
def test_unit_figures_answer_odd_periods_with_the_default_period(
    world: World, db: None, client_as: Callable[[Persona], Client], period: dict[str, str]
) -> None:
    leader = world.user(Persona.OTHER_UNIT_STAFF)
    assert leader is not None
    assign_role(
        Actor(None, "system"), leader, world.ward, Role.TEAM_LEADER, started_on=timezone.localdate()
    )
    url = reverse("emergency:unit_figures", kwargs={"unit_id": world.ward.pk})
    response = client_as(Persona.OTHER_UNIT_STAFF).get(url, period)
    assert response.status_code == 200
