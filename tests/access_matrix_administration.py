"""Access declarations for administration: the product's own pages for running a service.

Only the service administrator (the ``admin`` persona, administrator of the test hospital)
reaches them; every other persona gets 404 and anonymous visitors are sent to log in. The admin
persona holds no care role: every person URL elsewhere in the matrix answers it 404 (the
declarations there use ``only``), and tests/test_administration.py checks that this is so for
every person-scoped URL.

The public pages (accepting an invitation, activating a person's login) answer a bogus or
spent secret with 410 and a translated explanation, for everyone alike.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.access_declarations import Declaration, P, only, p1, statuses
from tests.personas import World

ADMIN = [P.ADMIN]


def ward(world: World) -> dict[str, Any]:
    return {"unit_id": world.ward.pk}


def key_worker(world: World) -> dict[str, Any]:
    return {"user_id": world.users[P.KEY_WORKER].pk}


def _invite(world: World) -> dict[str, Any]:
    return {
        "name": "Nadia Nurse",
        "email": "nadia@example.org",
        "days": "7",
        "r0-unit": str(world.ward.pk),
        "r0-role": "nurse",
        "r0-started_on": timezone.localdate().isoformat(),
    }


def a_pending_invitation(world: World) -> int:
    """A waiting invitation of the hospital, made before the request."""
    from alongside.administration import services
    from alongside.administration.models import Invitation
    from alongside.audit.log import Actor

    existing = Invitation.objects.filter(email="waiting@example.org").first()
    if existing is None:
        spec = services.RoleSpec(unit=world.ward, role="nurse", started_on=timezone.localdate())
        existing, _token = services.invite_staff(
            Actor.system(),
            world.hospital,
            name="Waiting",
            email="waiting@example.org",
            roles=[spec],
        )
    return existing.pk


def with_pending_invitation(world: World) -> dict[str, Any]:
    a_pending_invitation(world)
    return {}


ADMINISTRATION: dict[str, Declaration] = {
    "administration:home": Declaration("get", only(ADMIN)),
    "administration:units": Declaration("get", only(ADMIN)),
    "administration:unit": Declaration("get", only(ADMIN), kwargs=ward),
    "administration:staff": Declaration("get", only(ADMIN)),
    "administration:invite": Declaration("get", only(ADMIN)),
    "administration:member": Declaration("get", only(ADMIN), kwargs=key_worker),
    "administration:persons": Declaration("get", only(ADMIN)),
    "administration:register": Declaration("get", only(ADMIN)),
    "administration:person": Declaration(
        "get", only(ADMIN), kwargs=p1, notes="the registration only, never the plan"
    ),
    "administration:activation": Declaration("get", only(ADMIN), kwargs=p1),
    "administration:import": Declaration("get", only(ADMIN)),
    "administration:security": Declaration("get", only(ADMIN)),
    "administration:temporary_password": Declaration(
        "get", only(ADMIN), kwargs=key_worker, notes="explains; the password is made on POST"
    ),
    "administration_care:activation": Declaration(
        "get",
        only([P.KEY_WORKER]),
        kwargs=p1,
        notes="care staff of the person's unit; not the network, the person or the admin",
    ),
    "administration_public:accept": Declaration(
        "get", statuses(410), kwargs=lambda w: {"token": "not-a-real-token"}
    ),
    "administration_public:activate": Declaration("get", statuses(200)),
    "administration_public:activate_code": Declaration(
        "get", statuses(410), kwargs=lambda w: {"code": "AAAA-BBBB-CCCC"}
    ),
}

ADMINISTRATION_ALSO: list[tuple[str, Declaration]] = [
    (
        "administration:units",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            data=lambda w: {"code": "ward-c", "name": "Ward C", "kind": "ward"},
            writes=True,
        ),
    ),
    (
        "administration:unit",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            kwargs=ward,
            data=lambda w: {"name": "Ward A (east)", "kind": "ward"},
            writes=True,
        ),
    ),
    (
        "administration:staff",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            # Made in kwargs (called before the database snapshot), found again in data.
            kwargs=with_pending_invitation,
            data=lambda w: {"invitation_id": a_pending_invitation(w)},
            writes=True,
        ),
    ),
    (
        "administration:invite",
        Declaration("post", only(ADMIN), data=_invite, writes=True, notes="shows the link once"),
    ),
    (
        "administration:member",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            kwargs=key_worker,
            data=lambda w: {
                "action": "end",
                "role_id": w.users[P.KEY_WORKER].staff_roles.get().pk,
            },
            writes=True,
        ),
    ),
    (
        "administration:security",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            data=lambda w: {"mfa_required": "on"},
            writes=True,
        ),
    ),
    (
        "administration:temporary_password",
        Declaration(
            "post",
            only(ADMIN),
            kwargs=key_worker,
            data=lambda w: {},
            writes=True,
            notes="shows the new password once, to this administrator only",
        ),
    ),
    (
        "administration:register",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            data=lambda w: {"name": "Rasmus Holm", "local_number": "H-1001"},
            writes=True,
        ),
    ),
    (
        "administration:person",
        Declaration(
            "post",
            only(ADMIN, ok=302),
            kwargs=p1,
            data=lambda w: {"action": "edit", "edit-name": "Pia Ejby", "edit-pronouns": "she/her"},
            writes=True,
        ),
    ),
    (
        "administration:activation",
        Declaration(
            "post", only(ADMIN), kwargs=p1, data=lambda w: {}, writes=True, notes="the code sheet"
        ),
    ),
    (
        "administration_care:activation",
        Declaration("post", only([P.KEY_WORKER]), kwargs=p1, data=lambda w: {}, writes=True),
    ),
    (
        "administration_public:activate",
        Declaration("post", statuses(200), data=lambda w: {"code": "AAAA-BBBB-CCCC"}),
    ),
]
