"""Shared fixtures: the personas world and logged-in clients.

Test databases are built from the models, not by migrating (``tests/schema.py`` says why and how
that is checked). The personas world is built **once per test database** (the pytest-django
``django_db_setup`` pattern): the first test that asks for it builds it, committed, outside any
test transaction. Every test then runs inside its own transaction that is rolled back, and gets
its own deep copy of the world's objects (as Django's ``setUpTestData`` does), so nothing one test
changes reaches the next. Transactional tests (live server, worker subprocesses) start from the
reference data alone and rebuild what they flush: see ``_transactional_tests_start_clean``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from pytest_django import DjangoDbBlocker

from tests.personas import Persona, World, build_world
from tests.schema import finish_schema_built_from_models, load_reference_data

TRANSACTIONAL_FIXTURES = frozenset({"transactional_db", "live_server", "frameworks_loaded"})


@dataclass
class DatabaseState:
    """What this (worker's) test database holds outside the test transactions."""

    world: World | None = None  # the committed personas world, once built
    flushed: bool = False  # a transactional test emptied it; reference data must come back


_STATE = DatabaseState()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> None:
    """pytest-django made this worker's test database. Built from the models (``--no-migrations``,
    the default here: see ``tests/schema.py``), it gets what the migrations add beyond them."""
    if request.config.getoption("nomigrations"):
        with django_db_blocker.unblock():
            finish_schema_built_from_models(connection)


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and bool(marker.kwargs.get("transaction"))
    return marked or not TRANSACTIONAL_FIXTURES.isdisjoint(request.fixturenames)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for ``world`` uses the database, though ``world`` asks for ``db`` only
    once it has built the committed world: say so, so that pytest-django sets up the database
    and orders the test with the other database tests (before the transactional ones)."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or "world" not in names or item.get_closest_marker("django_db"):
            continue
        if "db" not in names and "transactional_db" not in names:
            names.append("db")


# Long tests that need no test database: run first, so that with pytest-xdist one worker starts on
# them while the other works through the short tests, rather than both waiting on them at the end.
RUN_FIRST = ("tests/test_migrations.py::",)


class RunFirst:
    """After pytest-django has ordered the tests (database tests, then transactional, then the
    rest), move ``RUN_FIRST`` to the front."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=lambda item: not item.nodeid.startswith(RUN_FIRST))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(RunFirst(), "alongside-run-first")
    scan_static_files_once()


def scan_static_files_once() -> None:
    """Every ``django.test.Client`` builds its own middleware chain, and WhiteNoise walks and
    stats every static file when it is made (``WHITENOISE_USE_FINDERS`` outside production):
    about 6 ms per client, a tenth of an access-matrix case. The static files do not change
    during a run, so each process keeps the first scan's result (by static URL prefix) and
    gives later instances the same table."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    scanned: dict[str, dict[str, object]] = {}

    def add_files_once(self: WhiteNoiseMiddleware) -> None:
        if self.static_prefix not in scanned:
            before = dict(self.files)
            scan(self)
            scanned[self.static_prefix] = {
                url: found for url, found in self.files.items() if before.get(url) is not found
            }
        self.files.update(scanned[self.static_prefix])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_once  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _transactional_tests_start_clean(
    request: pytest.FixtureRequest, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """Transactional tests commit what they write and start from the reference data alone, as on
    a fresh database: if this database holds the committed personas world, empty it first (once
    per database at most, since pytest-django runs transactional tests after the others). When
    such a test ends, pytest-django empties every table, reference data included; whatever test
    comes next loads the reference data again before it starts."""
    transactional = _is_transactional(request)
    with django_db_blocker.unblock():
        if transactional and _STATE.world is not None:
            call_command("flush", interactive=False, verbosity=0)
            _STATE.world, _STATE.flushed = None, True
        if _STATE.flushed and not connection.in_atomic_block:
            load_reference_data()
            _STATE.flushed = False
    yield
    if transactional:
        _STATE.flushed = True


@pytest.fixture
def frameworks_loaded(transactional_db: None) -> None:
    """A transactional test that needs the reference data asks for this (it is there already:
    see ``_transactional_tests_start_clean``); it makes the test transactional."""


@pytest.fixture
def world(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> World:
    """This test's own copy of the personas world.

    The first test on a database builds the world committed, before its own transaction starts;
    every later test gets a deep copy of the same objects, and its changes to the rows are rolled
    back with its transaction. A test already inside a transaction when it asks (it named ``db``
    before ``world``) or a transactional test builds its own world instead."""
    transactional = not TRANSACTIONAL_FIXTURES.isdisjoint(request.fixturenames)
    if not transactional and _STATE.world is None and not connection.in_atomic_block:
        with django_db_blocker.unblock():
            _STATE.world = build_world()
    request.getfixturevalue("transactional_db" if transactional else "db")
    if transactional or _STATE.world is None:
        return build_world()
    return copy.deepcopy(_STATE.world)


@pytest.fixture
def client_as(world: World) -> Callable[[Persona], Client]:
    def make(persona: Persona) -> Client:
        client = Client()
        user = world.user(persona)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def sessions_not_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Query-count tests: a session records "last seen" at most once a minute
    (``accounts.sessions.TOUCH_EVERY``), which adds a session write to whichever request comes
    first after a minute. Building a large world can take that long on a busy machine, so the
    counted request would pay for it; here it never comes due."""
    monkeypatch.setattr("alongside.accounts.sessions.TOUCH_EVERY", 10**9)
