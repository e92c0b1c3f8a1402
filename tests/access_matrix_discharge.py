"""Access declarations for the discharge URLs (see access_matrix.py).

Every page needs the person's ``plan`` section: P1 themself, their key worker (unit role and
network) and their municipal caseworker (network scope: plan and meetings). Family see the crisis
plan only; the rest have no relationship to P1.

Who writes what: staff (the key worker, the caseworker) record the checklist and draft the
handover summary; only staff of the stay's own unit (the key worker) end the stay; only the
person comments on and approves the summary. The exports exist once the person has approved.

Some declarations need a summary to exist first. Their ``kwargs`` draft (and approve) one for
P1's stay before the request; that runs before the database fingerprint is taken, so a denied
write is still checked against an unchanged database.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from alongside.audit.log import Actor
from alongside.discharge import handover
from alongside.discharge.defaults import DEFAULT_ITEMS, sync_default_items
from alongside.discharge.models import HandoverSummary
from alongside.discharge.queries import focus_stay
from alongside.organisations.models import Role
from tests.access_declarations import Declaration, P, only, p1
from tests.personas import World

READERS = [P.P1, P.KEY_WORKER, P.CASEWORKER]


def _summary(world: World) -> HandoverSummary:
    sync_default_items()
    stay = focus_stay(world.p1)
    assert stay is not None
    existing = HandoverSummary.objects.filter(stay=stay).first()
    if existing is not None:
        return existing
    return handover.draft_summary(Actor(world.users[P.KEY_WORKER], Role.KEY_WORKER), stay)


def with_draft(world: World) -> dict[str, Any]:
    _summary(world)
    return p1(world)


def with_approved(world: World) -> dict[str, Any]:
    summary = _summary(world)
    if not summary.is_approved:
        handover.approve(Actor(world.users[P.P1], "person"), summary, version=summary.version)
    return p1(world)


def checklist_data(world: World) -> dict[str, Any]:
    return {
        **{f"{code}-status": "open" for code, *_ in DEFAULT_ITEMS},
        "version": "0",
        "offer_housing-status": "done",
        "offer_housing-details": "Supported flat from the housing team",
        "offer_housing-date": timezone.localdate().isoformat(),
    }


DISCHARGE: dict[str, Declaration] = {
    "discharge:checklist": Declaration("get", only(READERS), kwargs=p1),
    "discharge:end": Declaration(
        "get", only([P.KEY_WORKER]), kwargs=p1, notes="staff of the stay's unit only"
    ),
    "discharge:handover": Declaration("get", only(READERS), kwargs=p1),
    "discharge:handover_pdf": Declaration("get", only(READERS), kwargs=with_approved),
    "discharge:handover_fhir": Declaration("get", only(READERS), kwargs=with_approved),
    "discharge_service:items": Declaration(
        "get", only([]), notes="team leaders and service managers only; no persona is one"
    ),
}

DISCHARGE_ALSO: list[tuple[str, Declaration]] = [
    (
        "discharge_service:items",
        Declaration(
            "post",
            only([]),
            data=lambda w: {"action": "hide", "code": "offer_housing"},
            writes=True,
            notes="no persona leads a unit, so nobody changes the checklist",
        ),
    ),
    (
        "discharge:checklist",
        Declaration(
            "post",
            only([P.KEY_WORKER, P.CASEWORKER], ok=302),
            kwargs=p1,
            data=checklist_data,
            writes=True,
            notes="staff record the checklist; the caseworker records the municipal offers",
        ),
    ),
    (
        "discharge:end",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {
                "ended_on": timezone.localdate().isoformat(),
                "override_code": "own-wish",
                "override_reason": "Pia chose to leave today",
            },
            writes=True,
            notes="items are open, so it ends only with a reason",
        ),
    ),
    (
        "discharge:end",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=200),
            kwargs=p1,
            data=lambda w: {"ended_on": timezone.localdate().isoformat()},
            writes=True,
            notes="refused while required items are open: the page says which",
        ),
    ),
    (
        "discharge:handover",
        Declaration(
            "post",
            only([P.KEY_WORKER, P.CASEWORKER], ok=302),
            kwargs=p1,
            data=lambda w: {"action": "draft"},
            writes=True,
            notes="staff draft the summary; the person does not",
        ),
    ),
    (
        "discharge:handover",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=with_draft,
            data=lambda w: {"action": "comment", "comment": "Call me after ten", "version": "1"},
            writes=True,
            notes="only the person comments",
        ),
    ),
    (
        "discharge:handover",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=with_draft,
            data=lambda w: {"action": "approve", "comment": "", "version": "1"},
            writes=True,
            notes="only the person approves",
        ),
    ),
    (
        "discharge:handover",
        Declaration(
            "post",
            only([]),
            kwargs=with_draft,
            data=lambda w: {"action": "in_person", "person_present": "on", "version": "1"},
            writes=True,
            notes="P1 has a login: she approves on it, nobody records it in person for her",
        ),
    ),
]
