"""Access declarations for what issue 16 added to the network room: the person's answer to a
proposal (only she, on her own login), confirming a proposal in person with her code (only the
care staff of her unit) and the supporters' activation page (anyone: it asks for a code)."""

from __future__ import annotations

from typing import Any

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AccessFlag, AuditEvent
from alongside.network import services as network
from alongside.network.models import CareNetworkMembership, ProposalKind
from alongside.network.scopes import Section
from alongside.organisations.models import Role
from tests.access_declarations import Declaration, P, only, statuses
from tests.personas import World


def proposal(world: World) -> dict[str, Any]:
    made = network.propose(
        Actor(world.users[P.KEY_WORKER], Role.KEY_WORKER),
        world.p1,
        ProposalKind.SECTIONS,
        [Section.PLAN, Section.NOTES],
        membership=world.caseworker_membership,
    )
    return {"person_id": world.p1.pk, "proposal_id": made.pk}


def expired(world: World) -> dict[str, Any]:
    member = CareNetworkMembership.objects.get(
        person=world.p1, member=world.users[P.EXPIRED_MEMBER]
    )
    return {"person_id": world.p1.pk, "membership_id": member.pk}


def former_friend(world: World) -> dict[str, Any]:
    friend = create_user("former-friend", None, display_name="Former Friend")
    membership = network.add_member(
        Actor.system(), world.p1, friend, role="friend", sections=[Section.CRISIS_PLAN]
    )
    network.end_membership(Actor.system(), membership)
    return {"person_id": world.p1.pk, "membership_id": membership.pk}


TRUTH: dict[str, Declaration] = {
    "network:undo_end": Declaration(
        "post",
        only([P.P1], ok=302),
        kwargs=expired,
        writes=True,
        notes="only the person takes back an ending",
    ),
    "network:reinvite": Declaration(
        "post",
        only([P.P1], ok=302),
        kwargs=former_friend,
        data=lambda w: {"sections": ["crisis_plan"]},
        writes=True,
        notes="only the person invites a former supporter again",
    ),
    "network:answer": Declaration(
        "post",
        only([P.P1], ok=302),
        kwargs=proposal,
        data=lambda w: {"answer": "decline"},
        writes=True,
        notes="only the person answers; staff cannot accept for her",
    ),
    "network:confirm_code": Declaration(
        "post",
        only([P.KEY_WORKER], ok=302),
        kwargs=proposal,
        data=lambda w: {"code": "000000x"},
        writes=True,
        notes="staff of her unit type her code; the person herself answers on her own page",
    ),
    "supporters:activate": Declaration("get", statuses(200)),
    "network:card": Declaration(
        "get",
        only([P.P1, P.KEY_WORKER]),
        kwargs=lambda w: {"person_id": w.p1.pk},
        notes="her card of codes: she, or the care staff of her unit with her in person",
    ),
}

TRUTH_ALSO: list[tuple[str, Declaration]] = [
    (
        "network:card",
        Declaration(
            "post",
            only([P.P1, P.KEY_WORKER]),
            kwargs=lambda w: {"person_id": w.p1.pk},
            data=lambda w: {"with_person": "on"},
            writes=True,
            notes="printing a new card (PDF); nobody else prints one for her",
        ),
    ),
    (
        "supporters:activate",
        Declaration(
            "post",
            statuses(200),
            data=lambda w: {"username": "nobody", "code": "1", "password": "x"},
            notes="a wrong code is refused on the page",
        ),
    ),
]


def key_worker_event(world: World) -> dict[str, Any]:
    event = (
        AuditEvent.objects.filter(person_id=world.p1.pk, actor_id=world.users[P.KEY_WORKER].pk)
        .order_by("pk")
        .first()
    )
    assert event is not None
    return {"event_id": event.pk}


def a_flag(world: World) -> dict[str, Any]:
    event = AuditEvent.objects.filter(person_id=world.p1.pk).order_by("pk").first()
    assert event is not None
    raised = AccessFlag.objects.create(event=event, person_id=world.p1.pk)
    return {"flag_id": raised.pk}


TRUTH.update(
    {
        "portal:record_log": Declaration("get", only([P.P1, P.P2])),
        "portal:record_log_pdf": Declaration("get", only([P.P1, P.P2])),
        "portal:flag": Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=key_worker_event,
            writes=True,
            notes="P2 gets 404: the entry is in P1's log, not theirs",
        ),
        "audit:flags": Declaration("get", only([]), notes="privacy contacts only; no persona is"),
        "audit:answer": Declaration(
            "post", only([]), kwargs=a_flag, data=lambda w: {"answer": "ok"}, writes=True
        ),
    }
)
