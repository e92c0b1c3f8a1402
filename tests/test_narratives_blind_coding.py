"""Blind coding: until the lead closes the round, a coder sees only their own coding."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import services
from alongside.narratives.models import AnalystRole, CodeLevel, NarrativeProject
from tests.narratives_world import (
    NarrativesWorld,
    make_analysts,
    narratives_unit,
    narratives_world,
)
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Persona], Client]


@pytest.fixture
def nw(world: World) -> NarrativesWorld:
    return narratives_world(world)


def _coder(nw: NarrativesWorld, username: str = "yoko") -> tuple[User, Client]:
    user = create_user(username, PASSWORD, display_name="Yoko Second")
    make_analysts(user, unit=narratives_unit(nw))
    services.add_member(
        Actor(nw.project.created_by, "analyst"), nw.project, user, AnalystRole.CODER
    )
    client = Client()
    client.force_login(user)
    return user, client


def _lead(nw: NarrativesWorld) -> Actor:
    return Actor(nw.project.created_by, "analyst")


def _themes_csv(client: Client, project: NarrativeProject, **query: str) -> list[list[str]]:
    url = reverse("narratives:report-themes-csv", args=[project.pk])
    return list(csv.reader(io.StringIO(client.get(url, query).content.decode())))


def test_a_coder_sees_only_their_own_coding_until_the_round_closes(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    coder, client = _coder(nw)
    hidden = services.add_code(_lead(nw), nw.codebook, name="Only the lead", level=CodeLevel.CODE)
    services.code_span(_lead(nw), nw.transcript, 26, 40, "the lead's secret reading", [hidden])
    mine = services.code_span(
        Actor(coder, "analyst"), nw.transcript, 0, 10, "my own reading", [nw.code]
    )
    lead_guid = str(services.user_guid(nw.project.created_by_id))

    # The theme table, its CSV (even when asked for the lead's coding) and the source page.
    page = client.get(reverse("narratives:report-themes", args=[nw.project.pk])).content.decode()
    assert "my own reading" in page
    assert "secret reading" not in page
    assert "talk about ward" not in page  # the lead's unit in the personas world
    assert lead_guid not in page
    for query in ({}, {"coding": lead_guid}, {"coding": "consensus"}):
        rows = {row[2]: row for row in _themes_csv(client, nw.project, **query)[1:]}
        assert rows["Feeling unsafe"][4] == "1"  # my one passage, not the lead's
        assert rows["Only the lead"][4] == "0"
    source_url = reverse("narratives:source", args=[nw.project.pk, nw.transcript.pk])
    source_page = client.get(source_url, {"show": "all"}).content.decode()
    assert "secret reading" not in source_page
    assert "my own reading" in source_page

    # The agreement page shows nothing of anyone.
    agreement = reverse("narratives:agreement", args=[nw.project.pk])
    page = client.get(agreement, {"coder_a": lead_guid, "coder_b": str(mine.coder_guid)})
    assert "The coding round is open" in page.content.decode()
    assert "Kappa, weighted" not in page.content.decode()

    # The lead sees everyone's coding all along.
    lead = client_as(Persona.ANALYST)
    rows = {row[2]: row for row in _themes_csv(lead, nw.project, coding=str(mine.coder_guid))[1:]}
    assert rows["Feeling unsafe"][4] == "1"

    # Once the lead closes the round, the coder may compare.
    services.close_round(_lead(nw), nw.project)
    rows = {row[2]: row for row in _themes_csv(client, nw.project, coding=lead_guid)[1:]}
    assert rows["Only the lead"][4] == "1"
    page = client.get(agreement, {"coder_a": lead_guid, "coder_b": str(mine.coder_guid)})
    assert "Kappa, weighted" in page.content.decode()
    assert "secret reading" in client.get(source_url, {"show": "all"}).content.decode()

    # A new round is blind again.
    services.open_round(_lead(nw), nw.project)
    rows = {row[2]: row for row in _themes_csv(client, nw.project, coding=lead_guid)[1:]}
    assert rows["Only the lead"][4] == "0"


def test_only_the_lead_closes_and_opens_a_round(nw: NarrativesWorld) -> None:
    coder, client = _coder(nw)
    with pytest.raises(PermissionDenied):
        services.close_round(Actor(coder, "analyst"), nw.project)
    url = reverse("narratives:coding-round", args=[nw.project.pk])
    assert client.post(url, {"action": "close"}).status_code == 404
    assert services.round_is_open(nw.project)
    first = services.close_round(_lead(nw), nw.project)
    again = services.close_round(_lead(nw), nw.project)  # the second time changes nothing
    assert (first.pk, first.number) == (again.pk, 1)
    assert services.open_round(_lead(nw), nw.project).number == 2


def test_the_project_page_tells_a_coder_the_round_is_blind(nw: NarrativesWorld) -> None:
    _coder_user, client = _coder(nw)
    page = client.get(reverse("narratives:project", args=[nw.project.pk])).content.decode()
    assert "each coder sees only their own coding" in page
    assert "Close the round" not in page


def _pages(nw: NarrativesWorld) -> list[str]:
    """The three pages that list memos: the project, the codebook and the source."""
    return [
        reverse("narratives:project", args=[nw.project.pk]),
        reverse("narratives:codebook", args=[nw.project.pk, nw.codebook.pk]),
        reverse("narratives:source", args=[nw.project.pk, nw.transcript.pk]),
    ]


def _write_memos(actor: Actor, nw: NarrativesWorld, word: str) -> None:
    services.add_memo(actor, nw.project, f"{word} on the project")
    services.add_memo(actor, nw.project, f"{word} on the code", code=nw.code)
    services.add_memo(actor, nw.project, f"{word} on the text", source=nw.transcript)


def test_other_coders_memos_stay_hidden_until_the_round_closes(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    coder, client = _coder(nw)
    second, second_client = _coder(nw, "ole")
    _write_memos(_lead(nw), nw, "Lead thought")
    _write_memos(Actor(coder, "analyst"), nw, "Yoko thought")
    _write_memos(Actor(second, "analyst"), nw, "Ole thought")
    pages = _pages(nw)
    kinds = ("project", "code", "text")

    def seen(who: Client) -> set[str]:
        found: set[str] = set()
        for url in pages:
            page = who.get(url).content.decode()
            for name in ("Lead", "Yoko", "Ole"):
                found.update(
                    f"{name} {kind}" for kind in kinds if f"{name} thought on the {kind}" in page
                )
        return found

    def everyone(*names: str) -> set[str]:
        return {f"{name} {kind}" for name in names for kind in kinds}

    # Open round: each coder reads only their own memos; asking twice changes nothing.
    for _ in range(2):
        assert seen(client) == everyone("Yoko")
        assert seen(second_client) == everyone("Ole")
    # The lead reads everyone's all along.
    assert seen(client_as(Persona.ANALYST)) == everyone("Lead", "Yoko", "Ole")

    services.close_round(_lead(nw), nw.project)
    assert seen(client) == everyone("Lead", "Yoko", "Ole")
    assert seen(second_client) == everyone("Lead", "Yoko", "Ole")

    # The next round is blind again, for memos written in earlier rounds too.
    services.open_round(_lead(nw), nw.project)
    assert seen(second_client) == everyone("Ole")


def test_a_coder_without_memos_sees_none_of_the_others(nw: NarrativesWorld) -> None:
    _write_memos(_lead(nw), nw, "Lead thought")
    _coder_user, client = _coder(nw)
    for url in _pages(nw):
        page = client.get(url).content.decode()
        assert "Lead thought" not in page
        assert "No memos yet." in page
