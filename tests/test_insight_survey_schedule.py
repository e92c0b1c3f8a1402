"""The recovery-orientation survey runs through the measures schedules: a unit's team leader asks
its persons and staff each quarter (``measures.UnitSchedule``), the navigation links the survey for
whoever is asked and has not answered this quarter, and nobody else is asked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.insight import services, survey
from alongside.insight.models import SurveyResponse
from alongside.measures import services as measures
from alongside.measures.models import Instrument, UnitSchedule
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import StayKind
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]
LINK = "Survey: how recovery-oriented are we?"


def leader(world: World) -> User:
    user = create_user("ward-a-leader", "correct-horse-battery", display_name="Lene Leder")
    organisations.assign_role(
        Actor.system(), user, world.ward, Role.TEAM_LEADER, started_on=date(2025, 1, 1)
    )
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule_page(world: World, user: User, **asked: str) -> int:
    url = reverse("insight:survey-schedule", kwargs={"pk": world.ward.pk})
    return logged_in(user).post(url, asked).status_code


def nav_links_survey(client: Client) -> bool:
    return LINK in client.get(reverse("meetings_service:tasks")).content.decode()


def test_nobody_is_asked_until_the_unit_schedules_it(world: World, client_as: ClientAs) -> None:
    p1 = client_as(Persona.P1)
    assert not nav_links_survey(p1)
    assert p1.get(reverse("insight:survey")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.answer_survey(
            Actor(world.users[Persona.P1], "person"), "person", {"relationship.hope": "4"}
        )
    assert not SurveyResponse.objects.exists()


def test_the_team_leader_asks_through_the_measures_schedules_and_the_nav_links_it(
    world: World, client_as: ClientAs
) -> None:
    lead = leader(world)
    assert schedule_page(world, lead, ask_person="on", ask_staff="on") == 302
    rows = UnitSchedule.objects.filter(unit=world.ward, active=True)
    assert sorted(rows.values_list("audience", "instrument__code")) == [
        ("person", "recovery_orientation_person"),
        ("staff", "recovery_orientation_staff"),
    ]
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, actor_id=lead.pk, object_type="measures.UnitSchedule"
        ).count()
        == 2
    )
    # Saving again with the same choices adds nothing.
    assert schedule_page(world, lead, ask_person="on", ask_staff="on") == 302
    assert rows.count() == 2
    # Asked: P1 (a stay on Ward A) and the key worker (a care role there).
    assert nav_links_survey(client_as(Persona.P1))
    assert nav_links_survey(client_as(Persona.KEY_WORKER))
    # Not asked: P2 and a nurse of another ward, family, the caseworker.
    for persona in (Persona.P2, Persona.OTHER_UNIT_STAFF, Persona.FAMILY, Persona.CASEWORKER):
        client = client_as(persona)
        assert not nav_links_survey(client), persona
        assert client.get(reverse("insight:survey")).status_code == 404, persona


def test_asked_once_a_quarter_and_the_other_user_is_still_asked(
    world: World, client_as: ClientAs
) -> None:
    schedule_page(world, leader(world), ask_person="on")
    p1 = client_as(Persona.P1)
    url = reverse("insight:survey")
    assert p1.post(url, {"relationship.hope": "4"}).status_code == 302
    assert SurveyResponse.objects.filter(unit=world.ward).count() == 1
    # The repeat: the link is gone, the page thanks her, a second answer keeps nothing.
    assert not nav_links_survey(p1)
    assert "You have answered this quarter" in p1.get(url).content.decode()
    p1.post(url, {"relationship.hope": "1"})
    assert SurveyResponse.objects.filter(unit=world.ward).count() == 1
    # The second person on the ward is still asked.
    other = create_user("ward-a-person", "correct-horse-battery")
    person = people.register_person(Actor.system(), name="Ida Holm", user=other)
    people.start_stay(
        Actor.system(), person, world.ward, kind=StayKind.INPATIENT, started_on=date(2026, 1, 2)
    )
    assert nav_links_survey(logged_in(other))
    # Staff were not asked this time, so the key worker sees no link.
    assert not nav_links_survey(client_as(Persona.KEY_WORKER))
    # Next quarter P1 is asked again.
    next_quarter = date(2100, 1, 1)
    assert services.survey_due(world.users[Persona.P1], today=next_quarter)


def test_stopping_removes_the_link(world: World, client_as: ClientAs) -> None:
    lead = leader(world)
    schedule_page(world, lead, ask_person="on", ask_staff="on")
    assert schedule_page(world, lead, ask_staff="on") == 302
    assert not nav_links_survey(client_as(Persona.P1))
    assert nav_links_survey(client_as(Persona.KEY_WORKER))
    assert UnitSchedule.objects.filter(unit=world.ward, audience="person", active=False).exists()


def test_only_the_unit_lead_decides(world: World) -> None:
    for persona in (Persona.KEY_WORKER, Persona.ANALYST, Persona.OTHER_UNIT_STAFF, Persona.P1):
        user = world.users[persona]
        assert schedule_page(world, user, ask_person="on", ask_staff="on") == 404, persona
    assert not UnitSchedule.objects.exists()


def test_a_questionnaire_that_cannot_be_answered_is_never_scheduled(world: World) -> None:
    rsa = Instrument.objects.get(code="rsa_provider")  # licensed: no wording loaded
    with pytest.raises(ValidationError):
        measures.schedule_for_unit(Actor(leader(world), Role.TEAM_LEADER), world.ward, rsa, "staff")
    assert not UnitSchedule.objects.exists()


def test_the_survey_instruments_are_measures_instruments() -> None:
    for side in survey.SIDES:
        assert Instrument.objects.filter(code=survey.instrument_code(side)).exists()


pytestmark = pytest.mark.django_db
