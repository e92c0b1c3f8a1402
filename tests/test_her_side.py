"""Her side of every record: the time-together log, her answer to an agreement, her own account of
a restrictive measure, and an option she adds to a decision. Kept beside the staff record; the
staff who work with her are told."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.notifications.models import Notification
from alongside.organisations.models import Role
from alongside.relationship import services as relationship
from alongside.safety import choice, her_side, register
from alongside.safety.agreements import Agreement, AgreementAnswer, Aim, Answer
from alongside.safety.restrictive import EpisodeAccount
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def her(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def agreement(world: World) -> Agreement:
    return choice.record_agreement(
        key_worker(world),
        world.p1,
        topic="Leave at weekends",
        person_aim=Aim.KEEP,
        service_requirement="Back on the ward by eight",
        review_on=timezone.localdate() + timedelta(days=30),
    )


def told(world: World, persona: Persona) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=world.users[persona]).values_list("code", flat=True)
    )


# Time together ----------------------------------------------------------------------------------


def test_she_reads_her_time_together_log_without_the_form(
    world: World, client_as: ClientAs
) -> None:
    page_url = reverse("relationship:together", args=[world.p1.pk])
    empty = client_as(Persona.P1).get(page_url).content.decode()
    assert "Nothing written down yet." in empty
    relationship.log_time_together(
        key_worker(world),
        world.p1,
        activity="A walk to the harbour",
        occurred_at=timezone.now() - timedelta(hours=2),
        duration_minutes=45,
    )
    page = client_as(Persona.P1).get(page_url).content.decode()
    assert "A walk to the harbour" in page
    assert "Our time together" in page
    assert '<form method="post" class="stack"' not in page
    assert client_as(Persona.P1).post(page_url, {"activity": "x"}).status_code == 404
    staff_page = client_as(Persona.KEY_WORKER).get(page_url).content.decode()
    assert "Log time together" in staff_page


# Agreements -------------------------------------------------------------------------------------


def test_she_answers_an_agreement_in_her_words_and_both_answers_are_kept(
    world: World, client_as: ClientAs
) -> None:
    found = agreement(world)
    answer_url = reverse("safety:agreement_answer", args=[world.p1.pk, found.pk])
    client = client_as(Persona.P1)
    form = client.get(answer_url).content.decode()
    assert not re.search(r'name="answer"[^>]*checked', form)  # nothing pre-selected
    refused = client.post(answer_url, {"words": "Hm"})
    assert "Choose your answer." in refused.content.decode()
    refused = client.post(answer_url, {"answer": "comment", "words": "  "})
    assert "Write what you want to say about it." in refused.content.decode()
    assert not AgreementAnswer.objects.exists()
    assert client.post(answer_url, {"answer": "decline", "words": "Eight is too early"})[
        "Location"
    ] == reverse("safety:agreements", args=[world.p1.pk])
    assert client.post(answer_url, {"answer": "agree"}).status_code == 302  # the second time
    assert list(AgreementAnswer.objects.values_list("answer", flat=True)) == ["agree", "decline"]
    assert told(world, Persona.KEY_WORKER) == ["safety.agreement_answered"] * 2
    staff_page = client_as(Persona.KEY_WORKER).get(reverse("safety:agreements", args=[world.p1.pk]))
    text = staff_page.content.decode()
    assert "The person's answer" in text
    assert "Eight is too early" in text
    assert "I do not agree to it" in text


def test_only_she_answers_and_an_unanswered_agreement_says_so(
    world: World, client_as: ClientAs
) -> None:
    found = agreement(world)
    with pytest.raises(PermissionDenied):
        her_side.answer_agreement(key_worker(world), found, answer=Answer.AGREE)
    page = client_as(Persona.KEY_WORKER).get(reverse("safety:agreements", args=[world.p1.pk]))
    assert "has not answered this agreement yet" in page.content.decode()


# Her own account of a restrictive measure -------------------------------------------------


def test_she_writes_her_own_account_of_a_measure(world: World, client_as: ClientAs) -> None:
    account_url = reverse("safety:episode_account", args=[world.p1.pk, world.episode.pk])
    client = client_as(Persona.P1)
    form = client.get(account_url).content.decode()
    assert "debrief_is_right" not in form  # no debrief yet: nothing to confirm
    assert "Write what happened" in client.post(account_url, {"words": ""}).content.decode()
    client.post(account_url, {"words": "Nobody told me why. I was scared."})
    (account,) = EpisodeAccount.objects.all()
    assert (account.words, account.debrief_is_right) == ("Nobody told me why. I was scared.", None)
    assert account.author == world.users[Persona.P1]
    assert told(world, Persona.KEY_WORKER) == ["safety.episode_account"]
    staff = client_as(Persona.KEY_WORKER).get(reverse("safety:episodes", args=[world.p1.pk]))
    assert "The person's own account, written by them" in staff.content.decode()
    assert "Nobody told me why. I was scared." in staff.content.decode()


def test_she_says_whether_the_debrief_account_is_right(world: World) -> None:
    with pytest.raises(ValidationError):
        her_side.write_episode_account(her(world), world.episode, words="", debrief_is_right=True)
    register.record_debrief(
        key_worker(world),
        world.episode,
        held_at=timezone.now(),
        person_account="She felt cornered",
    )
    world.episode.refresh_from_db()
    her_side.write_episode_account(her(world), world.episode, words="", debrief_is_right=True)
    with pytest.raises(ValidationError) as refused:
        her_side.write_episode_account(her(world), world.episode, words="", debrief_is_right=False)
    assert "not right" in str(refused.value)
    her_side.write_episode_account(
        her(world), world.episode, words="I was not cornered, I was ignored", debrief_is_right=False
    )
    assert list(EpisodeAccount.objects.values_list("debrief_is_right", flat=True)) == [False, True]
    with pytest.raises(PermissionDenied):
        her_side.write_episode_account(
            key_worker(world), world.episode, words="Typed for her", debrief_is_right=None
        )


# An option of her own ---------------------------------------------------------------------------


def test_she_adds_an_option_to_a_decision(world: World, client_as: ClientAs) -> None:
    option_url = reverse("safety:decision_option", args=[world.p1.pk, world.decision.pk])
    client = client_as(Persona.P1)
    assert "Name the option." in client.post(option_url, {"name": " "}).content.decode()
    assert "already there" in client.post(option_url, {"name": "lower dose"}).content.decode()
    client.post(option_url, {"name": "Take it at noon", "pros": "Mornings are mine"})
    client.post(option_url, {"name": "Stop for a month"})  # the second time
    names = list(world.decision.options.values_list("name", "position", "added_by"))
    p1 = world.users[Persona.P1].pk
    assert names[-2:] == [("Take it at noon", 2, p1), ("Stop for a month", 3, p1)]
    assert told(world, Persona.KEY_WORKER) == ["safety.option_added"] * 2
    staff = client_as(Persona.KEY_WORKER).get(reverse("safety:decisions", args=[world.p1.pk]))
    assert staff.content.decode().count("Added by the person") == 2
    mine = client.get(reverse("safety:decisions", args=[world.p1.pk])).content.decode()
    assert "Add an option of your own" in mine
