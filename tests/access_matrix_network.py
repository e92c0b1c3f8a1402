"""Access declarations for the care network page (who sees what, inviting, changing, ending).

Only the person themself (P1) and staff who work with them in the unit where they stay (the key
worker) open or change the network. Everyone else gets 404: the caseworker and family are in the
network but see only the parts they were given, not who else is in it or what others see; the
former member, staff of another unit, the analyst and P2 have no relationship to P1's network.

Staff writes carry ``with_person``: they tick that the person is with them and agrees. The
person's own forms have no such box, so the same data serves both.
"""

from __future__ import annotations

from typing import Any

from alongside.organisations.models import StaffRole
from tests.access_declarations import Declaration, P, only, p1
from tests.personas import World

THE_PERSON_AND_THEIR_CARE_STAFF = [P.P1, P.KEY_WORKER]


def caseworker(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "membership_id": world.caseworker_membership.pk}


def family(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "membership_id": world.family_membership.pk}


def _more_for_caseworker(world: World) -> dict[str, Any]:
    prefix = f"m{world.caseworker_membership.pk}"
    return {
        f"{prefix}-sections": ["plan", "meetings", "measures"],
        f"{prefix}-with_person": "on",
    }


def _end_family(world: World) -> dict[str, Any]:
    return {f"endm{world.family_membership.pk}-with_person": "on", "confirmed": "yes"}


def _invite_other_unit_nurse(world: World) -> dict[str, Any]:
    role = StaffRole.objects.get(user=world.users[P.OTHER_UNIT_STAFF])
    return {"q": "other", "member": role.pk, "sections": ["plan"], "with_person": "on"}


NETWORK: dict[str, Declaration] = {
    "network:network": Declaration("get", only(THE_PERSON_AND_THEIR_CARE_STAFF), kwargs=p1),
    "network:invite_staff": Declaration("get", only(THE_PERSON_AND_THEIR_CARE_STAFF), kwargs=p1),
    "network:invite_supporter": Declaration(
        "get", only(THE_PERSON_AND_THEIR_CARE_STAFF), kwargs=p1
    ),
    "network:sections": Declaration(
        "post",
        only(THE_PERSON_AND_THEIR_CARE_STAFF, ok=302),
        kwargs=caseworker,
        data=_more_for_caseworker,
        writes=True,
        notes="the caseworker cannot widen their own scope",
    ),
    "network:end": Declaration(
        "post",
        only(THE_PERSON_AND_THEIR_CARE_STAFF, ok=302),
        kwargs=family,
        data=_end_family,
        writes=True,
        notes="family cannot end (or see) memberships",
    ),
}

NETWORK_ALSO: list[tuple[str, Declaration]] = [
    (
        "network:invite_staff",
        Declaration(
            "post",
            only(THE_PERSON_AND_THEIR_CARE_STAFF, ok=302),
            kwargs=p1,
            data=_invite_other_unit_nurse,
            writes=True,
            notes="staff of any organisation can be invited (staff only propose it)",
        ),
    ),
    (
        "network:invite_supporter",
        Declaration(
            "post",
            {**only(THE_PERSON_AND_THEIR_CARE_STAFF), P.KEY_WORKER: 302},
            kwargs=p1,
            data=lambda w: {
                "name": "Sam Friend",
                "relation": "friend",
                "sections": ["crisis_plan"],
                "with_person": "on",
            },
            writes=True,
            notes="the person sees the new login's code (200); staff only propose it (302)",
        ),
    ),
]
