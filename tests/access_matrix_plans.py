"""Access declarations for the recovery-plan URLs.

Reading the plan needs the ``plan`` section: P1 themself, the key worker (unit role and network)
and the caseworker (network, plan scope). Writing needs more: the card sort, story and strengths
are the person's alone; goals from others come from staff; a goal's words change only by its
author; only the person records a stance.
"""

from __future__ import annotations

from typing import Any

from alongside.plans.models import DeckCard
from tests.access_declarations import Declaration, P, only, p1
from tests.personas import World

READERS = [P.P1, P.KEY_WORKER, P.CASEWORKER]


def goal(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "goal_id": world.own_goal.pk}


def service_goal(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "goal_id": world.service_goal.pk}


def step(world: World) -> dict[str, Any]:
    return {**goal(world), "step_id": world.step.pk}


def story_entry(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "entry_id": world.story_entry.pk}


def first_card(world: World) -> dict[str, Any]:
    card = DeckCard.objects.order_by("pk").first()
    assert card is not None, "the default deck is loaded by a migration"
    return {f"card-{card.pk}": "a_lot"}


def writes(allowed: list[P], data: Any, kwargs: Any = p1) -> Declaration:
    return Declaration("post", only(allowed, ok=302), kwargs=kwargs, data=data, writes=True)


PLANS: dict[str, Declaration] = {
    "plans:plan": Declaration("get", only(READERS), kwargs=p1),
    "plans:side_by_side": Declaration("get", only(READERS), kwargs=p1),
    "plans:pdf": Declaration("get", only(READERS), kwargs=p1),
    "plans:cards": Declaration("get", only([P.P1]), kwargs=p1),
    "plans:story_new": Declaration("get", only([P.P1]), kwargs=p1),
    "plans:story_edit": Declaration("get", only([P.P1]), kwargs=story_entry),
    "plans:goal_new": Declaration("get", only(READERS), kwargs=p1),
    "plans:goal": Declaration("get", only(READERS), kwargs=goal),
    "plans:goal_edit": Declaration("get", only([P.P1]), kwargs=goal),
    "plans:strength_new": writes([P.P1], lambda w: {"kind": "personal", "text": "Patient"}),
    "plans:step_new": writes(READERS, lambda w: {"text": "Call my sister"}, goal),
    "plans:step_done": writes(READERS, lambda w: {"done": "1"}, step),
    "plans:check_in": writes(READERS, lambda w: {"score": "6"}, goal),
    "plans:stance": writes(
        [P.P1], lambda w: {"stance": "disagree", "words": "Not like this"}, service_goal
    ),
    "plans:goal_status": writes([P.P1], lambda w: {"status": "achieved"}, goal),
    "plans:goal_links": writes(
        [P.KEY_WORKER, P.CASEWORKER], lambda w: {"serves": str(w.own_goal.pk)}, service_goal
    ),
}

# URLs that answer GET (declared above) and also accept POST: one more declaration each.
PLANS_ALSO: list[tuple[str, Declaration]] = [
    ("plans:cards", writes([P.P1], first_card)),
    ("plans:story_new", writes([P.P1], lambda w: {"kind": "good_time", "title": "A walk"})),
    (
        "plans:story_edit",
        writes(
            [P.P1],
            lambda w: {"kind": "good_time", "title": "Summers", "version": w.story_entry.version},
            story_entry,
        ),
    ),
    ("plans:goal_new", writes(READERS, lambda w: {"text": "Sleep well", "origin": "service"})),
    (
        "plans:goal_edit",
        writes(
            [P.P1], lambda w: {"text": "Cook twice a week", "version": w.own_goal.version}, goal
        ),
    ),
]
