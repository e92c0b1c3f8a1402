"""Plan content for a few demo persons, so the demo opens on lived-in plans. Fictional, ours."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.people.models import Person
from alongside.plans import services as plans
from alongside.plans.models import DeckCard, Origin, Pile, Stance
from alongside.relationship import services as relationship
from alongside.relationship.models import CommentKind


def _sort(person: Person, actor: Actor, piles: dict[str, list[str]], own: dict[str, str]) -> None:
    cards = {card.code: card.pk for card in DeckCard.objects.filter(organisation__isnull=True)}
    placements = [
        plans.Placement(Pile(pile), card_id=cards[code])
        for pile, codes in piles.items()
        for code in codes
        if code in cards
    ]
    placements += [plans.Placement(Pile(pile), own_label=label) for label, pile in own.items()]
    plans.sort_cards(actor, person, placements)


def add_demo_plans() -> None:
    today = timezone.localdate()
    kasper = Actor(User.objects.get(username="kasper"), "key_worker")
    mette = Actor(User.objects.get(username="mette"), "caseworker")

    maja = Person.objects.get(user__username="maja")
    me = Actor(maja.user, "person")
    _sort(
        maja,
        me,
        {"a_lot": ["family", "creativity"], "somewhat": ["work"], "not_now": ["love"]},
        {"Fixing bikes": "a_lot"},
    )
    _sort(
        maja,
        me,
        {
            "a_lot": ["family", "home", "creativity"],
            "somewhat": ["work", "nature"],
            "not_now": ["love", "money"],
        },
        {"Fixing bikes": "a_lot"},
    )
    flat = plans.add_goal(
        me,
        maja,
        text="A small flat of my own near the harbour",
        origin=Origin.PERSON,
        chime_codes=["chime.h", "chime.e"],
    )
    plans.add_step(
        me,
        flat,
        text="Look at flats online together",
        who_helps="Kasper",
        due_on=today + timedelta(days=5),
    )
    plans.add_step(
        me,
        flat,
        text="Ask about housing support",
        who_helps="Mette",
        due_on=today + timedelta(days=14),
    )
    plans.check_in(me, flat, score=3, comment="I have started to look")
    brother = plans.add_goal(
        me, maja, text="See Anders every week", origin=Origin.PERSON, chime_codes=["chime.c"]
    )
    plans.check_in(me, brother, score=6)
    plans.add_goal(
        me,
        maja,
        text="Show my drawings somewhere",
        origin=Origin.PERSON,
        chime_codes=["chime.i", "chime.m"],
    )
    meeting = plans.add_goal(
        kasper, maja, text="Take part in the ward's morning meeting", origin=Origin.CLINICAL
    )
    plans.record_stance(
        me,
        meeting,
        stance=Stance.DISAGREE,
        words="Mornings are my worst time. Afternoons could work.",
    )
    daily = plans.add_goal(
        mette, maja, text="Manage own money with weekly support", origin=Origin.SERVICE
    )
    plans.link_goal(mette, daily, [flat])
    plans.record_stance(me, daily, stance=Stance.AGREE, words="If it helps me get the flat.")
    plans.add_strength(me, maja, kind="personal", text="I can fix almost any bike")
    plans.add_strength(me, maja, kind="social", text="Anders always picks up the phone")
    plans.add_strength(me, maja, kind="environmental", text="The workshop on the ward")
    plans.add_story_entry(
        me,
        maja,
        kind="good_time",
        title="Summers at the boatyard",
        when="2010-2012",
        sort_year=2010,
        shared=True,
        text="I learned to sand and paint boats with my uncle.",
    )
    plans.add_story_entry(
        me, maja, kind="hard_time", title="The year I stopped drawing", when="2019", sort_year=2019
    )
    plans.add_story_entry(
        me,
        maja,
        kind="what_helped",
        title="Long walks with the dog next door",
        when="2021",
        sort_year=2021,
        shared=True,
    )
    note = relationship.write_note(
        kasper,
        maja,
        talked_about="Flats near the harbour; how mornings feel on the ward.",
        person_words="I want a window where I can see the boats.",
        agreed="Kasper looks at flats with Maja on Friday.",
    )
    relationship.comment_on_note(
        me, note, kind=CommentKind.CORRECTION, text="It was Thursday, not Friday."
    )
    relationship.mark_note_seen(me, note, confirmed=True)
    relationship.log_time_together(
        kasper,
        maja,
        activity="Fixed a bike in the workshop",
        occurred_at=timezone.now() - timedelta(days=2),
        duration_minutes=90,
    )

    tobi = Person.objects.get(user__username="tobias")
    plans.add_goal(kasper, tobi, text="Reduce cannabis use", origin=Origin.CLINICAL)
    relationship.write_note(kasper, tobi, talked_about="How the week went; football on Sunday.")

    hiroshi = Person.objects.get(user__username="hiroshi")
    sofie = Actor(User.objects.get(username="sofie"), "key_worker")
    own = Actor(hiroshi.user, "person")
    plans.add_goal(
        own,
        hiroshi,
        text="仲間のために週に一度料理をする",
        origin=Origin.PERSON,
        chime_codes=["chime.c", "chime.m"],
    )
    plans.add_strength(own, hiroshi, kind="personal", text="料理が得意")
    relationship.log_time_together(
        sofie,
        hiroshi,
        activity="Cooked lunch together",
        occurred_at=timezone.now() - timedelta(days=6),
        duration_minutes=75,
    )
