"""Shared fixtures: the personas world and logged-in clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from alongside.discharge.defaults import sync_default_items
from alongside.frameworks.loader import sync_catalogue
from alongside.frameworks.models import Concept
from alongside.measures.definitions import sync_instruments
from alongside.plans.deck_loader import sync_default_deck
from alongside.plans.models import DeckCard
from alongside.safety.restrictive import sync_default_measure_types
from tests.personas import Persona, World, build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def frameworks_loaded(transactional_db: None) -> None:
    """Transactional tests empty every table when they end, reference data included (the data
    migrations do not run again): tests that come after them load it again with this. Loads the
    frameworks, the default card deck, the default restrictive measure types, the shipped
    questionnaires and the default discharge checklist."""
    sync_catalogue(Concept)
    sync_default_deck(DeckCard)
    sync_default_measure_types()
    sync_instruments()
    sync_default_items()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_as(world: World) -> Callable[[Persona], Client]:
    def make(persona: Persona) -> Client:
        client = Client()
        user = world.user(persona)
        if user is not None:
            client.force_login(user)
        return client

    return make
