"""Telling a story (/narratives/tell/) and seeing or withdrawing one's own (/narratives/mine/)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.narratives import reports, services
from alongside.narratives.models import NarrativeProject, Purpose, Source, SourceKind
from tests.narratives_world import NarrativesWorld, narratives_world
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]
TELL = "narratives:collect-tell"
MINE = "narratives:collect-mine"


@pytest.fixture
def nw(world: World) -> NarrativesWorld:
    return narratives_world(world)


def _story(project: NarrativeProject, **overrides: str) -> dict[str, str]:
    return {
        "project": str(project.pk),
        "text": "The garden walks helped me most.",
        "consent_improvement": "on",
        **overrides,
    }


def test_the_tell_page_lists_only_projects_that_collect_stories(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    services.create_project(
        Actor(world.users[Persona.ANALYST], "analyst"), name="Closed study", purpose="research"
    )
    page = client_as(Persona.FAMILY).get(reverse(TELL)).content.decode()
    assert "Stories from Ward A" in page
    assert "Closed study" not in page


@pytest.mark.parametrize("persona", [Persona.P2, Persona.KEY_WORKER, Persona.FAMILY])
def test_people_staff_and_family_tell_a_story(
    persona: Persona, world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    response = client_as(persona).post(reverse(TELL), _story(nw.project))
    assert response.status_code == 302
    assert response["Location"] == reverse(MINE)
    story = Source.objects.get(submitted_by=world.users[persona], kind=SourceKind.NARRATIVE)
    assert story.project == nw.project
    assert story.text == "The garden walks helped me most."
    assert story.consent_improvement
    assert not story.consent_research
    assert not story.anonymous_to_service


def test_consent_is_required(nw: NarrativesWorld, client_as: ClientAs) -> None:
    before = Source.objects.count()
    data = _story(nw.project)
    del data["consent_improvement"]
    response = client_as(Persona.P2).post(reverse(TELL), data)
    assert response.status_code == 200
    assert "Say what your story may be used for" in response.content.decode()
    assert Source.objects.count() == before


def test_a_project_that_does_not_collect_cannot_be_chosen(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    closed = services.create_project(
        Actor(world.users[Persona.ANALYST], "analyst"), name="Closed", purpose=Purpose.RESEARCH
    )
    before = Source.objects.count()
    response = client_as(Persona.P2).post(reverse(TELL), _story(closed))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Source.objects.count() == before


def test_an_anonymous_story_hides_its_writer_from_the_service_not_from_the_audit(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    client_as(Persona.P2).post(reverse(TELL), _story(nw.project, anonymous="on"))
    story = Source.objects.get(submitted_by=world.users[Persona.P2])
    assert story.anonymous_to_service
    assert story.shown_submitter_id is None
    event = AuditEvent.objects.filter(why__contains="anonymous to the service").get()
    assert event.actor_id == world.users[Persona.P2].pk
    # The writer still finds it, and it says so.
    page = client_as(Persona.P2).get(reverse(MINE)).content.decode()
    assert "The garden walks helped me most." in page
    assert "Your name is not shown to the readers" in page


def test_my_stories_are_mine_alone(world: World, nw: NarrativesWorld, client_as: ClientAs) -> None:
    mine = client_as(Persona.P1).get(reverse(MINE)).content.decode()
    assert "The night staff listened to me." in mine
    others = client_as(Persona.P2).get(reverse(MINE)).content.decode()
    assert "The night staff listened to me." not in others
    assert "Focus group 1" not in mine  # transcripts are not narratives


def test_withdrawing_takes_the_story_out_of_every_analysis(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = Actor(world.users[Persona.ANALYST], "analyst")
    services.code_span(lead, nw.narrative, 4, 20, "listened", [nw.code])
    assert nw.narrative in services.usable_sources(nw.project)
    assert reports.theme_table(nw.project)[0].sources_total == 2
    url = reverse("narratives:collect-withdraw", args=[nw.narrative.pk])
    response = client_as(Persona.P1).post(url, {"reason": "Too personal"})
    assert response.status_code == 302
    nw.narrative.refresh_from_db()
    assert nw.narrative.withdrawn_at is not None
    assert nw.narrative.withdrawn_by == world.users[Persona.P1]
    assert nw.narrative not in services.usable_sources(nw.project)
    assert reports.theme_table(nw.project)[0].sources_total == 1
    assert AuditEvent.objects.filter(why="narratives: consent withdrawn: Too personal").exists()
    page = client_as(Persona.P1).get(reverse(MINE)).content.decode()
    assert "Withdrawn on" in page
    assert "Withdraw my story" not in page


def test_nobody_withdraws_someone_elses_story(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    url = reverse("narratives:collect-withdraw", args=[nw.narrative.pk])
    for persona in (Persona.P2, Persona.KEY_WORKER, Persona.ANALYST, Persona.FAMILY):
        assert client_as(persona).post(url, {}).status_code == 404
    transcript = reverse("narratives:collect-withdraw", args=[nw.transcript.pk])
    assert client_as(Persona.ANALYST).post(transcript, {}).status_code == 404
    nw.narrative.refresh_from_db()
    assert nw.narrative.withdrawn_at is None


def test_a_too_long_reason_is_shown_not_saved(nw: NarrativesWorld, client_as: ClientAs) -> None:
    url = reverse("narratives:collect-withdraw", args=[nw.narrative.pk])
    response = client_as(Persona.P1).post(url, {"reason": "x" * 501})
    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters" in response.content.decode()
    nw.narrative.refresh_from_db()
    assert nw.narrative.withdrawn_at is None


def test_anonymous_visitors_are_sent_to_log_in(client_as: ClientAs) -> None:
    for name in (TELL, MINE):
        response = client_as(Persona.ANONYMOUS).get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
