"""Schemathesis over the API's own OpenAPI schema: odd input never gives a server error, and every
answer is one the schema documents (200, 401, 404, 422)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.generation import GenerationMode

from tests.personas import Persona, World

EXAMPLES = 40


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """Schemathesis calls the WSGI app directly, which would close the database connection at
    the end of each request (and with it the test's transaction); Django's test client turns
    that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _session_cookie(world: World, persona: Persona) -> dict[str, str]:
    user = world.user(persona)
    if user is None:
        return {}
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _probe(
    operation: Any,
    mode: GenerationMode,
    cookies: dict[str, str],
    documented: set[int],
    seen: list[tuple[str, int]],
) -> None:
    """Send EXAMPLES generated requests to one operation; each must be answered as documented."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def probe(case: Any) -> None:
        response = case.call(cookies=cookies)
        seen.append((operation.path, response.status_code))
        assert response.status_code < 500, (case.formatted_path, case.query)
        assert response.status_code in documented, (case.formatted_path, response.status_code)

    probe()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("persona", [Persona.KEY_WORKER, Persona.P1, Persona.ANONYMOUS])
def test_the_api_gives_no_server_error_and_only_documented_answers(
    world: World, db: None, connections_kept: None, persona: Persona, mode: GenerationMode
) -> None:
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cookies = _session_cookie(world, persona)
    seen: list[tuple[str, int]] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/caseload", "/api/v1/persons/{person_id}"}
    for operation in operations:
        documented = {int(code) for code in operation.definition.raw["responses"]}
        assert {401, 404, 422} <= documented | {404}, operation.path

        _probe(operation, mode, cookies, documented, seen)
    assert seen
    assert not [status for _path, status in seen if status >= 500]
