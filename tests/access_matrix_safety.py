"""Access declarations for the crisis plan and break-the-glass.

The crisis plan needs the ``crisis_plan`` section: P1, the key worker and the family member P1
invited with crisis-plan-only scope. The caseworker's scope does not include it. Break-the-glass
is for clinicians of the hospital where P1 stays who are outside P1's network (the nurse on the
other ward); the municipal caseworker, the analyst and everyone else get 404. Those who already
see the plan are sent straight to the emergency view.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from alongside.safety.restrictive import MeasureType
from tests.access_declarations import Declaration, P, only, p1, statuses
from tests.personas import World

READERS = [P.P1, P.KEY_WORKER, P.FAMILY]


def episode(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "episode_id": world.episode.pk}


def decision(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "decision_id": world.decision.pk}


def agreement(world: World) -> dict[str, Any]:
    """An agreement about P1 (the personas world has none), made when the URL is filled."""
    from alongside.safety.agreements import Agreement, Aim

    found = Agreement.objects.filter(person=world.p1).first()
    if found is None:
        found = Agreement.objects.create(
            person=world.p1,
            topic="Leave at weekends",
            person_aim=Aim.KEEP,
            service_requirement="Back by eight",
            review_on=timezone.localdate() + timedelta(days=30),
            recorded_by=world.users[P.KEY_WORKER],
            recorded_role="key_worker",
        )
    return {"person_id": world.p1.pk, "agreement_id": found.pk}


def _when(days_ago: float) -> str:
    return (timezone.localtime() - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M")


def version(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "number": world.crisis_version.number}


BREAK_GLASS = statuses(404, p1=302, key_worker=302, family=302, other_unit_staff=200, anonymous=302)

SAFETY: dict[str, Declaration] = {
    "safety:crisis_plan": Declaration("get", only(READERS), kwargs=p1),
    "safety:crisis_edit": Declaration("get", only([P.P1, P.KEY_WORKER]), kwargs=p1),
    "safety:crisis_confirm": Declaration("post", only([P.P1], ok=302), kwargs=version, writes=True),
    "safety:emergency": Declaration("get", only(READERS), kwargs=p1),
    "safety:card": Declaration("get", only(READERS), kwargs=p1),
    "safety:break_glass": Declaration("get", BREAK_GLASS, kwargs=p1),
    # Hospital clinicians with a care role: the key worker and the nurse on the other ward.
    "emergency:find": Declaration("get", only([P.KEY_WORKER, P.OTHER_UNIT_STAFF])),
    # Restrictive practice: the notes section to read; staff of the ward to record.
    "safety:episodes": Declaration("get", only([P.P1, P.KEY_WORKER]), kwargs=p1),
    # Agreements need the notes section; rights and advocacy the plan section.
    "safety:agreements": Declaration("get", only([P.P1, P.KEY_WORKER]), kwargs=p1),
    "safety:rights": Declaration("get", only([P.P1, P.KEY_WORKER, P.CASEWORKER]), kwargs=p1),
    # Shared decisions: the plan section to read; staff record, the person gives their view.
    "safety:decisions": Declaration("get", only([P.P1, P.KEY_WORKER, P.CASEWORKER]), kwargs=p1),
    "safety:decision": Declaration(
        "post",
        only([P.P1], ok=302),
        kwargs=lambda w: {"person_id": w.p1.pk, "decision_id": w.decision.pk},
        data=lambda w: {"option": str(w.decision.options.all()[1].pk)},
        writes=True,
    ),
    "safety:debrief": Declaration("get", only([P.KEY_WORKER]), kwargs=episode),
    # Her side of a record: only the person answers, writes her account, adds an option.
    "safety:episode_account": Declaration("get", only([P.P1]), kwargs=episode),
    "safety:agreement_answer": Declaration("get", only([P.P1]), kwargs=agreement),
    "safety:decision_option": Declaration("get", only([P.P1]), kwargs=decision),
    # Unit figures are for the unit's team leader or service manager; no persona is one.
    "emergency:unit_figures": Declaration("get", only([]), kwargs=lambda w: {"unit_id": w.ward.pk}),
}

SAFETY_ALSO: list[tuple[str, Declaration]] = [
    (
        "safety:episode_account",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=episode,
            data=lambda w: {"words": "I was frightened and nobody explained"},
            writes=True,
        ),
    ),
    (
        "safety:agreement_answer",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=agreement,
            data=lambda w: {"answer": "comment", "words": "Eight is early on Saturdays"},
            writes=True,
        ),
    ),
    (
        "safety:decision_option",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=decision,
            data=lambda w: {"name": "Try it for two weeks"},
            writes=True,
        ),
    ),
    (
        "safety:agreements",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {
                "topic": "Cannabis on leave",
                "person_aim": "reduce",
                "service_requirement": "No use on the ward",
                "review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            },
            writes=True,
        ),
    ),
    (
        # Only the person asks for an advocate; staff posting this have no request to answer.
        "safety:rights",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=p1,
            data=lambda w: {"kind": "advocate", "message": "For the meeting on Friday"},
            writes=True,
        ),
    ),
    (
        "safety:decisions",
        Declaration(
            "post",
            only([P.KEY_WORKER, P.CASEWORKER], ok=302),
            kwargs=p1,
            data=lambda w: {
                "question": "Which sleeping tablet, if any?",
                "option_1": "None",
                "option_2": "A low dose",
                "advocate_offered": "on",
            },
            writes=True,
        ),
    ),
    (
        "safety:episodes",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {
                "measure": str(MeasureType.objects.get(organisation=None, code="seclusion").pk),
                "started_at": _when(1.1),
                "ended_at": _when(1),
                "reason": "Frightened and hurting himself",
                "alternatives_tried": "Staying with him, a quiet room",
            },
            writes=True,
        ),
    ),
    (
        "safety:debrief",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=episode,
            data=lambda w: {"held_at": _when(0.5), "person_account": "I felt cornered"},
            writes=True,
        ),
    ),
    (
        "safety:crisis_edit",
        Declaration(
            "post",
            only([P.P1, P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {"early_signs": "I stop sleeping", "what_helps": "A walk"},
            writes=True,
        ),
    ),
    (
        "safety:break_glass",
        Declaration(
            "post",
            statuses(404, p1=302, key_worker=302, family=302, other_unit_staff=302, anonymous=302),
            kwargs=p1,
            data=lambda w: {"reason": "Brought in confused at night; need treatment wishes"},
            writes=True,
        ),
    ),
]
