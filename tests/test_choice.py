"""Agreements with test results, and rights and advocacy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.notifications.models import Notification
from alongside.organisations.models import Role
from alongside.relationship.models import Note
from alongside.safety import choice
from alongside.safety.agreements import Agreement, Aim, RightsInfo, SupportRequest, TestResult
from tests.personas import Persona, World


def url(world: World, name: str) -> str:
    return reverse(name, kwargs={"person_id": world.p1.pk})


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def _agreement(world: World) -> Agreement:
    return choice.record_agreement(
        key_worker(world),
        world.p1,
        topic="Cannabis on leave",
        person_aim=Aim.REDUCE,
        person_words="I want to smoke less, not stop",
        service_requirement="No use on the ward",
        review_on=timezone.localdate() + timedelta(days=30),
    )


def test_an_agreement_keeps_both_sides_words(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    _agreement(world)
    page = client_as(Persona.P1).get(url(world, "safety:agreements")).content.decode()
    assert "I want to smoke less, not stop" in page
    assert "No use on the ward" in page
    assert "Reduce" in page


def test_review_date_in_the_past_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        choice.record_agreement(
            key_worker(world),
            world.p1,
            topic="Leave",
            person_aim=Aim.KEEP,
            service_requirement="Back by ten",
            review_on=timezone.localdate() - timedelta(days=1),
        )


def test_a_test_result_needs_the_conversation_about_it(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    agreement = _agreement(world)
    notes_before = Note.objects.count()
    taken = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client = client_as(Persona.KEY_WORKER)
    refused = client.post(
        url(world, "safety:agreements"),
        {
            "result_for": agreement.pk,
            "kind": "Urine test",
            "result": "THC positive",
            "taken_at": taken,
        },
    )
    assert refused.status_code == 200
    assert "only with the conversation" in refused.content.decode()
    assert not TestResult.objects.exists()
    assert Note.objects.count() == notes_before
    done = client.post(
        url(world, "safety:agreements"),
        {
            "result_for": agreement.pk,
            "kind": "Urine test",
            "result": "THC positive",
            "taken_at": taken,
            "talked_about": "The weekend; how leave went",
            "person_words": "It was a hard weekend",
        },
    )
    assert done.status_code == 302
    result = TestResult.objects.get()
    assert result.conversation.person_words == "It was a hard weekend"
    assert (
        "The weekend; how leave went"
        in client_as(Persona.P1).get(url(world, "relationship:notes")).content.decode()
    )


def test_rights_are_shown_in_the_persons_language(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    for language, text in (("en", "You may say no."), ("da", "Du må gerne sige nej.")):
        RightsInfo.objects.create(
            organisation=world.hospital,
            language=language,
            rights=text,
            complaints="Write to the patient office",
            advocacy="Ask for a bisidder",
        )
    user = world.users[Persona.P1]
    user.preferred_language = "da"
    user.save()
    client = client_as(Persona.P1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(url(world, "safety:rights")).content.decode()
    assert "Du må gerne sige nej." in page
    assert "You may say no." not in page
    # The rights follow the page's language, not the login's: read in English, they are English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url(world, "safety:rights")).content.decode()
    assert "You may say no." in page
    assert "Du må gerne sige nej." not in page
    # A staff member reading in Danish with the person sees the Danish text too.
    staff = client_as(Persona.KEY_WORKER)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    assert "Du må gerne sige nej." in staff.get(url(world, "safety:rights")).content.decode()


def test_the_person_asks_for_an_advocate_and_the_answer_comes_back(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.P1).post(
        url(world, "safety:rights"), {"kind": "advocate", "message": "For Friday's meeting"}
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert "key_worker" in told  # care staff of the ward where P1 stays
    staff_page = client_as(Persona.KEY_WORKER).get(url(world, "safety:rights")).content.decode()
    assert "Waiting for an answer" in staff_page
    client_as(Persona.KEY_WORKER).post(
        url(world, "safety:rights"), {"request": request.pk, "answer": "Mona will come on Friday"}
    )
    request.refresh_from_db()
    assert request.answered_at is not None
    page = client_as(Persona.P1).get(url(world, "safety:rights")).content.decode()
    assert "Mona will come on Friday" in page
    assert Notification.objects.filter(recipient=world.users[Persona.P1]).exists()


def test_staff_cannot_ask_on_the_persons_behalf(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.KEY_WORKER).post(url(world, "safety:rights"), {"kind": "peer"})
    assert response.status_code == 404
    assert not SupportRequest.objects.exists()
