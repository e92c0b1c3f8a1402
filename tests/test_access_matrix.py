"""Every URL pattern x every persona, against the declarations in ``access_matrix``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import path, reverse

from tests.access_declarations import Declaration
from tests.access_matrix import ALSO, MATRIX
from tests.personas import Persona, World
from tests.url_patterns import undeclared, url_names

# Tables that change on any request by design and hold no person data.
VOLATILE_TABLES = {"django_session", "accounts_loginattempt", "audit_auditevent"}


def test_every_url_pattern_is_declared() -> None:
    missing = undeclared(url_names(), set(MATRIX))
    assert missing == [], f"URL patterns without an access declaration: {missing}"


def test_no_declaration_is_stale() -> None:
    assert sorted(set(MATRIX) - set(url_names())) == []


def _empty_view() -> None:  # pragma: no cover - never called, only routed
    return None


urlpatterns = [path("secret/", _empty_view, name="undeclared-secret")]


def test_an_undeclared_url_is_caught() -> None:
    """The gate itself: a URL conf with one extra pattern is reported."""
    names = url_names("tests.test_access_matrix")
    assert undeclared(names, set(MATRIX)) == ["undeclared-secret"]


def database_fingerprint() -> str:
    """A hash of every row of every table (many-to-many tables included) except the volatile
    ones, read with plain SQL: this runs before and after every denied write."""
    digest = hashlib.sha256()
    quote = connection.ops.quote_name
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for model in sorted(models, key=lambda m: m._meta.db_table):
            table = model._meta.db_table
            if table in VOLATILE_TABLES:
                continue
            cursor.execute(
                f"SELECT * FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}"  # noqa: S608 - table names from the models
            )
            digest.update(table.encode())
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


DECLARATIONS: list[tuple[str, Declaration]] = [*sorted(MATRIX.items()), *ALSO]
CASES = [
    pytest.param(name, declaration, persona, id=f"{name}-{declaration.method}-{persona.value}")
    for name, declaration in DECLARATIONS
    for persona in Persona
]


def test_extra_declarations_name_declared_urls() -> None:
    assert sorted({name for name, _ in ALSO} - set(MATRIX)) == []


# Untraced by coverage (pytest-cov's marker): its 3,000 requests check who gets which status, and
# tracing them made the matrix about 1.7 times slower. Coverage counts the code that tests of
# behaviour reach.
@pytest.mark.no_cover
@pytest.mark.parametrize(("url_name", "declaration", "persona"), CASES)
def test_persona_gets_declared_status(
    url_name: str,
    declaration: Declaration,
    persona: Persona,
    world: World,
    client_as: Callable[[Persona], Client],
) -> None:
    url = reverse(url_name, kwargs=declaration.kwargs(world))
    client = client_as(persona)
    expected = declaration.expected[persona]
    before = database_fingerprint() if declaration.writes and expected == 404 else None
    if declaration.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, declaration.data(world))
    assert response.status_code == expected, (
        f"{persona.value} {declaration.method.upper()} {url}: "
        f"got {response.status_code}, declared {expected}"
    )
    if (
        expected == 302
        and persona is Persona.ANONYMOUS
        and url_name
        not in {
            "accounts:logout",
            "accounts:language",
            "account_logout",
        }
    ):
        assert response["Location"].startswith(reverse("accounts:login"))
    if before is not None:
        assert database_fingerprint() == before, "a denied write changed the database"


def test_fingerprint_notices_a_changed_person(world: World) -> None:
    before = database_fingerprint()
    world.p2.pronouns = "they/them"
    world.p2.save(update_fields=["pronouns"])
    assert database_fingerprint() != before
