"""The recovery plan: the person's own words, competing goals made visible, integrity rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.organisations.models import Role
from alongside.plans import services
from alongside.plans.models import (
    CardSort,
    DeckCard,
    Goal,
    GoalStance,
    GoalStatus,
    Origin,
    Pile,
    ProgressCheckIn,
    Stance,
    StoryEntry,
    TextRevision,
)
from tests.personas import Persona, World


def person(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def plan_url(world: World, name: str = "plans:plan", **kwargs: int) -> str:
    return reverse(name, kwargs={"person_id": world.p1.pk, **kwargs})


# Whose words -----------------------------------------------------------------------------------


def test_staff_cannot_write_a_goal_as_the_persons_own(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.add_goal(key_worker(world), world.p1, text="Get a job", origin=Origin.PERSON)
    assert "Only the person" in str(refused.value)


def test_staff_cannot_overwrite_the_persons_words(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    with pytest.raises(PermissionDenied):
        services.edit_goal_text(
            key_worker(world), world.own_goal, expected_version=1, text="Better wording"
        )
    response = client_as(Persona.KEY_WORKER).post(
        plan_url(world, "plans:goal_edit", goal_id=world.own_goal.pk),
        {"text": "Better wording", "version": "1"},
    )
    assert response.status_code == 404
    world.own_goal.refresh_from_db()
    assert world.own_goal.text == "Cook for my sister again"


def test_every_version_of_the_persons_words_is_kept_verbatim(world: World) -> None:
    goal = world.own_goal
    services.edit_goal_text(person(world), goal, expected_version=1, text="  cook for Mia  ")
    services.edit_goal_text(person(world), goal, expected_version=2, text="Cook for Mia, often")
    texts = list(
        TextRevision.objects.filter(object_type="plans.Goal", object_id=goal.pk).values_list(
            "text", flat=True
        )
    )
    assert texts == ["Cook for my sister again", "  cook for Mia  ", "Cook for Mia, often"]
    goal.refresh_from_db()
    assert goal.version == 3


def test_second_of_two_concurrent_saves_is_refused_and_both_versions_are_shown(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    url = plan_url(world, "plans:goal_edit", goal_id=world.own_goal.pk)
    phone, tablet = client_as(Persona.P1), client_as(Persona.P1)
    assert 'value="1"' in phone.get(url).content.decode()
    first = phone.post(url, {"text": "Cook on Sundays", "version": "1"})
    assert first.status_code == 302
    second = tablet.post(url, {"text": "Cook on Fridays", "version": "1"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else saved a change" in page
    assert "Cook on Sundays" in page  # theirs
    assert "Cook on Fridays" in page  # mine, still in the box
    world.own_goal.refresh_from_db()
    assert world.own_goal.text == "Cook on Sundays"
    # Saving again with the version the conflict page carries goes through.
    third = tablet.post(url, {"text": "Cook on Fridays", "version": "2"})
    assert third.status_code == 302
    world.own_goal.refresh_from_db()
    assert world.own_goal.text == "Cook on Fridays"


# Bad input gets a clear error, never a server error -------------------------------------------


def test_an_empty_goal_is_refused_with_a_clear_message(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    before = Goal.objects.count()
    response = client_as(Persona.P1).post(plan_url(world, "plans:goal_new"), {"text": "   "})
    assert response.status_code == 200
    assert "Please write something here." in response.content.decode()
    assert Goal.objects.count() == before


def test_the_empty_goal_message_is_translated(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    client.cookies["django_language"] = "da"
    response = client.post(plan_url(world, "plans:goal_new"), {"text": ""})
    assert response.status_code == 200
    assert '<html lang="da">' in response.content.decode()
    assert "Please write something here." not in response.content.decode()


def test_a_step_due_before_it_was_written_is_refused(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_as(Persona.P1).post(
        plan_url(world, "plans:step_new", goal_id=world.own_goal.pk),
        {"text": "Phone Mia", "due_on": yesterday},
    )
    assert response.status_code == 200
    assert "cannot be due before the day it is written" in response.content.decode()
    assert not world.own_goal.steps.filter(text="Phone Mia").exists()


@pytest.mark.parametrize("score", ["11", "-1", "", "ten"])
def test_progress_outside_0_to_10_is_refused(
    score: str, world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.P1).post(
        plan_url(world, "plans:check_in", goal_id=world.own_goal.pk), {"score": score}
    )
    assert response.status_code == 200
    assert ProgressCheckIn.objects.count() == 0


def test_oversized_text_is_refused(world: World, client_as: Callable[[Persona], Client]) -> None:
    response = client_as(Persona.P1).post(
        plan_url(world, "plans:story_new"),
        {"kind": "good_time", "title": "A long one", "text": "x" * 5000},
    )
    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert not StoryEntry.objects.filter(title="A long one").exists()


# Competing priorities made visible ---------------------------------------------------------------


def test_person_can_disagree_with_a_service_goal_and_earlier_views_are_kept(
    world: World,
) -> None:
    goal = world.service_goal
    services.record_stance(person(world), goal, stance=Stance.NOT_NOW, words="Maybe later")
    services.record_stance(person(world), goal, stance=Stance.DISAGREE, words="It makes me tired")
    stances = list(GoalStance.objects.filter(goal=goal).values_list("stance", "words"))
    assert stances == [("disagree", "It makes me tired"), ("not_now", "Maybe later")]


def test_only_the_person_records_a_stance(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.record_stance(key_worker(world), world.service_goal, stance=Stance.AGREE)


def test_side_by_side_shows_disagreement_and_goals_nobody_helps_with(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    services.record_stance(person(world), world.service_goal, stance=Stance.DISAGREE, words="No")
    lonely = services.add_goal(person(world), world.p1, text="Learn Spanish", origin=Origin.PERSON)
    page = client_as(Persona.KEY_WORKER).get(plan_url(world, "plans:side_by_side")).content.decode()
    assert "Take medication every day" in page
    assert "Pia has not agreed to this goal." in page
    assert lonely.text in page
    assert "No one is helping with this goal yet." in page


def test_a_linked_service_goal_counts_as_help(world: World) -> None:
    services.link_goal(key_worker(world), world.service_goal, [world.own_goal])
    assert list(world.own_goal.served_by.all()) == [world.service_goal]
    with pytest.raises(ValidationError):
        services.link_goal(key_worker(world), world.own_goal, [world.own_goal])


def test_achieved_goals_are_celebrated_not_deleted(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    services.set_goal_status(person(world), world.own_goal, GoalStatus.ACHIEVED)
    world.own_goal.refresh_from_db()
    assert world.own_goal.achieved_at is not None
    page = (
        client_as(Persona.P1)
        .get(plan_url(world, "plans:goal", goal_id=world.own_goal.pk))
        .content.decode()
    )
    assert "Achieved. Well done" in page


def test_only_the_person_decides_about_their_own_goal(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.set_goal_status(key_worker(world), world.own_goal, GoalStatus.LET_GO)


def test_goal_carries_chime_tags_the_person_chose(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.P1).post(
        plan_url(world, "plans:goal_new"), {"text": "See friends", "chime_tags": ["chime.c"]}
    )
    assert response.status_code == 302
    goal = Goal.objects.get(text="See friends")
    assert list(goal.chime_tags.values_list("code", flat=True)) == ["chime.c"]
    assert goal.origin == Origin.PERSON


# Story, strengths, cards ---------------------------------------------------------------------


def test_private_story_entries_are_the_persons_alone(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    services.add_story_entry(person(world), world.p1, kind="hard_time", title="The winter of 2019")
    mine = client_as(Persona.P1).get(plan_url(world)).content.decode()
    theirs = client_as(Persona.KEY_WORKER).get(plan_url(world)).content.decode()
    assert "The winter of 2019" in mine
    assert "The winter of 2019" not in theirs
    assert "Summers by the lake" in theirs


def test_card_sorts_are_kept_with_their_date(world: World) -> None:
    cards = list(DeckCard.objects.order_by("position")[:3])
    services.sort_cards(
        person(world),
        world.p1,
        [
            services.Placement(Pile.A_LOT, card_id=cards[0].pk),
            services.Placement(Pile.NOT_NOW, card_id=cards[1].pk),
            services.Placement(Pile.SOMEWHAT, own_label="My bike"),
        ],
    )
    services.sort_cards(
        person(world), world.p1, [services.Placement(Pile.A_LOT, card_id=cards[1].pk)]
    )
    sorts = list(CardSort.objects.filter(person=world.p1))
    assert len(sorts) == 2
    assert sorts[0].created_at >= sorts[1].created_at
    assert sorted(
        (p.card_id or 0, p.own_label, p.pile) for p in sorts[1].placements.all()
    ) == sorted(
        [(0, "My bike", "somewhat"), (cards[0].pk, "", "a_lot"), (cards[1].pk, "", "not_now")]
    )


def test_an_empty_card_sort_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.sort_cards(person(world), world.p1, [])


def test_card_sort_page_saves_and_shows_the_piles(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    card = DeckCard.objects.get(code="home")
    response = client.post(
        plan_url(world, "plans:cards"),
        {f"card-{card.pk}": "a_lot", "own-0": "Fishing", "own-0-pile": "somewhat"},
    )
    assert response.status_code == 302
    page = client.get(plan_url(world)).content.decode()
    assert "A home" in page
    assert "Fishing" in page


def test_every_plan_write_is_audited(world: World) -> None:
    before = AuditEvent.objects.filter(person_id=world.p1.pk, action="create").count()
    services.add_strength(person(world), world.p1, kind="personal", text="I keep going")
    services.check_in(person(world), world.own_goal, score=4)
    after = AuditEvent.objects.filter(person_id=world.p1.pk, action="create").count()
    assert after == before + 2


def test_change_between_card_sorts_is_shown(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    work = DeckCard.objects.get(code="work")
    home = DeckCard.objects.get(code="home")
    services.sort_cards(
        person(world),
        world.p1,
        [
            services.Placement(Pile.NOT_NOW, card_id=work.pk),
            services.Placement(Pile.A_LOT, card_id=home.pk),
        ],
    )
    services.sort_cards(
        person(world),
        world.p1,
        [
            services.Placement(Pile.A_LOT, card_id=work.pk),
            services.Placement(Pile.A_LOT, card_id=home.pk),
        ],
    )
    page = client_as(Persona.P1).get(plan_url(world)).content.decode()
    assert "1 change since the sort on" in page
    assert "<strong>Work</strong>: Not now" in page
    assert "Matters a lot" in page


def test_concurrent_story_edits_keep_both_versions(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    url = plan_url(world, "plans:story_edit", entry_id=world.story_entry.pk)
    form = {"kind": "good_time", "title": "Summers by the lake", "version": "1"}
    first, second = client_as(Persona.P1), client_as(Persona.P1)
    assert first.post(url, {**form, "text": "We swam every day"}).status_code == 302
    clash = second.post(url, {**form, "text": "We fished with grandad"})
    assert clash.status_code == 200
    page = clash.content.decode()
    assert "We swam every day" in page
    assert "We fished with grandad" in page
    world.story_entry.refresh_from_db()
    assert world.story_entry.text == "We swam every day"
    texts = set(
        TextRevision.objects.filter(
            object_type="plans.StoryEntry", object_id=world.story_entry.pk, field="text"
        ).values_list("text", flat=True)
    )
    assert texts == {"We swam every day"}


def test_staff_cannot_edit_the_persons_story(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    url = plan_url(world, "plans:story_edit", entry_id=world.story_entry.pk)
    response = client_as(Persona.KEY_WORKER).post(
        url, {"kind": "good_time", "title": "Rewritten", "version": "1"}
    )
    assert response.status_code == 404
    world.story_entry.refresh_from_db()
    assert world.story_entry.title == "Summers by the lake"


def test_an_organisation_configures_its_deck(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    from alongside import access
    from alongside.plans.queries import deck_for

    def codes() -> list[str]:
        grant = access.resolve_access(world.users[Persona.P1], world.p1.pk)
        assert grant is not None
        return [card.code for card in deck_for(grant)]

    assert "substances" in codes()
    out = StringIO()
    call_command("deck", "hide", "--organisation", "hospital", "--code", "substances", stdout=out)
    call_command(
        "deck",
        "add",
        "--organisation",
        "hospital",
        "--code",
        "fishing",
        "--icon",
        "nature",
        "--label-en",
        "Fishing",
        "--label-da",
        "Fiskeri",
        "--label-ja",
        "釣り",
        stdout=out,
    )
    assert "substances" not in codes()
    assert "fishing" in codes()
    # A person whose stay is with another organisation keeps the default deck.
    from alongside.network.scopes import ALL_SECTIONS
    from alongside.people import services as people
    from alongside.people.models import StayKind

    elsewhere = people.register_person(Actor.system(), name="Ea Holt")
    people.start_stay(
        Actor.system(),
        elsewhere,
        world.casework,
        kind=StayKind.COMMUNITY,
        started_on=timezone.localdate(),
    )
    grant = access.PersonAccess(
        world.users[Persona.P2], elsewhere, access.Basis.UNIT, "caseworker", ALL_SECTIONS
    )
    assert "substances" in [card.code for card in deck_for(grant)]
    call_command("deck", "show", "--organisation", "hospital", "--code", "substances", stdout=out)
    assert "substances" in codes()
