"""Access declarations for the meetings URLs (see access_matrix.py).

Every meeting page needs the person's ``meetings`` section: P1 themself, their key worker (unit
role and network) and their municipal caseworker (network scope: plan and meetings). Family see
the crisis plan only, so they get 404, as do the expired member, staff of another unit, the
analyst and P2. The person and staff (the caseworker included) plan meetings and keep the record.
Only an action's owner marks it done: the caseworker owns the action in this world, so the key
worker and P1 get 404 for that. The task list is open to every logged-in user and shows only
their own actions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from alongside.audit.log import Actor
from alongside.meetings import services
from alongside.meetings.models import Action, NetworkMeeting
from alongside.organisations.models import Role
from tests.access_declarations import EVERY_LOGGED_IN, Declaration, P, only, p1
from tests.personas import Persona, World

WRITERS = [P.P1, P.KEY_WORKER, P.CASEWORKER]


def _meeting(world: World) -> NetworkMeeting:
    """A meeting with P1, the key worker and the caseworker, and an action the caseworker owns.
    Made when the URL is built (before the database fingerprint), once per world."""
    found = NetworkMeeting.objects.filter(person=world.p1).first()
    if found is not None:
        return found
    key_worker = world.users[Persona.KEY_WORKER]
    caseworker = world.users[Persona.CASEWORKER]
    meeting = services.plan_meeting(
        Actor(key_worker, Role.KEY_WORKER),
        world.p1,
        services.MeetingPlan(
            planned_for=timezone.now() + timedelta(days=1),
            place="Ward A, the garden room",
            participants=[key_worker, caseworker],
            goals=[world.own_goal],
        ),
    )
    services.add_action(
        Actor(key_worker, Role.KEY_WORKER),
        meeting,
        text="Ask the housing office about a flat",
        owner=caseworker,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return meeting


def meeting(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "meeting_id": _meeting(world).pk}


def tasks(world: World) -> dict[str, Any]:
    _meeting(world)
    return {}


def _action_id(world: World) -> str:
    return str(Action.objects.get(person=world.p1).pk)


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _post(form: str, **fields: str) -> dict[str, str]:
    return {"form": form, **{f"{form}-{name}": value for name, value in fields.items()}}


MEETINGS: dict[str, Declaration] = {
    "meetings:list": Declaration("get", only(WRITERS), kwargs=p1),
    "meetings:plan": Declaration("get", only(WRITERS), kwargs=p1),
    "meetings:meeting": Declaration("get", only(WRITERS), kwargs=meeting),
    "meetings_service:tasks": Declaration(
        "get", only(EVERY_LOGGED_IN), kwargs=tasks, notes="each sees only their own actions"
    ),
}

MEETINGS_ALSO: list[tuple[str, Declaration]] = [
    (
        "meetings:plan",
        Declaration(
            "post",
            only(WRITERS, ok=302),
            kwargs=p1,
            data=lambda w: {
                "planned_for": f"{_day(3)}T10:00",
                "place": "The library",
                "participants": [str(w.users[Persona.CASEWORKER].pk)],
                "person_points": "My sister's birthday",
            },
            writes=True,
        ),
    ),
    (
        "meetings:meeting",
        Declaration(
            "post",
            only(WRITERS, ok=302),
            kwargs=meeting,
            data=lambda w: _post(
                "record",
                version="1",
                planned_for=f"{_day(1)}T10:00",
                place="The garden room",
                status="held",
                person_summary="We talked about a flat and I felt heard",
            ),
            writes=True,
            notes="the meeting record (versioned)",
        ),
    ),
    (
        "meetings:meeting",
        Declaration(
            "post",
            only(WRITERS, ok=302),
            kwargs=meeting,
            data=lambda w: _post("agenda", text="Money for the bus", raised_by_person="on"),
            writes=True,
        ),
    ),
    (
        "meetings:meeting",
        Declaration(
            "post",
            only(WRITERS, ok=302),
            kwargs=meeting,
            data=lambda w: _post("decision", text="Look for a flat near the harbour"),
            writes=True,
        ),
    ),
    (
        "meetings:meeting",
        Declaration(
            "post",
            only(WRITERS, ok=302),
            kwargs=meeting,
            data=lambda w: _post(
                "action",
                text="Book the viewing",
                owner=str(w.users[Persona.KEY_WORKER].pk),
                due_on=_day(5),
            ),
            writes=True,
        ),
    ),
    (
        "meetings:meeting",
        Declaration(
            "post",
            only([P.CASEWORKER], ok=302),
            kwargs=meeting,
            data=lambda w: {"form": "done", "action": _action_id(w)},
            writes=True,
            notes="only the action's owner (the caseworker) marks it done",
        ),
    ),
    (
        "meetings_service:tasks",
        Declaration(
            "post",
            only([P.CASEWORKER], ok=302),
            kwargs=tasks,
            data=lambda w: {"action": _action_id(w)},
            writes=True,
            notes="an owner marks their own action done; anyone else's is 404",
        ),
    ),
]
