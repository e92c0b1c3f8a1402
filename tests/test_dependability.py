"""Errors leave a trace, readiness asks the database, answers with person data are not cached."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from alongside.core.observability import JsonFormatter
from tests.personas import Persona, World
from tests.urls_failing import SECRET_WORDS


@override_settings(ROOT_URLCONF="tests.urls_failing", DEBUG=False)
def test_a_server_error_is_logged_with_its_traceback_and_request_id(
    world: World, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    user = world.user(Persona.KEY_WORKER)
    assert user is not None
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/fails/", headers={"X-Request-ID": "incident-20261129-0001"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "incident-20261129-0001"
    page = response.content.decode()
    assert "incident-20261129-0001" in page  # the person can quote it
    assert SECRET_WORDS not in page
    errors = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert len(errors) == 1
    line = JsonFormatter().format(errors[0])
    logged = json.loads(line)
    assert logged["request_id"] == "incident-20261129-0001"
    assert logged["status"] == 500
    assert logged["path"] == "/fails/"
    assert logged["user_id"] == user.pk
    assert logged["error"] == "RuntimeError"
    assert [frame["function"] for frame in logged["traceback"]][-1] == "fails"
    assert SECRET_WORDS not in line  # what a person wrote stays out of the log


def test_every_request_gets_its_own_id(client: Client) -> None:
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert first
    assert first != second
    # A header that is not a plain token is not trusted into the logs.
    odd = client.get(reverse("healthz"), headers={"X-Request-ID": "a b\nforged"})
    assert odd["X-Request-ID"] != "a b\nforged"


def test_readiness_answers_ok_when_the_database_answers(client: Client, db: None) -> None:
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_readiness_answers_503_when_the_database_does_not(client: Client, db: None) -> None:
    def down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError("connection refused")

    with connection.execute_wrapper(down):
        response = client.get(reverse("readyz"))
        liveness = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert liveness.status_code == 200  # the process itself is alive


@pytest.mark.parametrize(
    ("persona", "name", "with_person"),
    [
        (Persona.KEY_WORKER, "workspace:caseload", False),
        (Persona.KEY_WORKER, "workspace:person", True),
        (Persona.P1, "plans:plan", True),
        (Persona.P1, "safety:crisis_plan", True),
        (Persona.KEY_WORKER, "api:caseload", False),
        (Persona.KEY_WORKER, "api:person", True),
        (Persona.P1, "portal:me", False),
        (Persona.ANONYMOUS, "accounts:login", False),
    ],
)
def test_answers_are_never_stored_by_caches(
    world: World,
    db: None,
    client_as: Callable[[Persona], Client],
    persona: Persona,
    name: str,
    with_person: bool,
) -> None:
    kwargs = {"person_id": world.p1.pk} if with_person else {}
    response = client_as(persona).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_download_keeps_its_own_cache_rules_and_gains_no_store_once(
    world: World, db: None, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.P1).get(reverse("plans:pdf", kwargs={"person_id": world.p1.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
