"""Staff of one organisation invited to another: the invitation goes out without telling the
inviting administrator that an account exists; its owner accepts by logging in to that account
(password and two-step verification unchanged), never by choosing a new password; nobody else
can spend the link, and it works once."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.administration import services
from alongside.administration.models import Invitation
from alongside.administration.queries import ADMIN_ROLE
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.organisations.models import Role, StaffRole
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db

EMAIL = "kasper.key@example.org"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def municipal_admin(world: World) -> Actor:
    user = create_user("municipal-admin", "a-long-admin-passphrase")
    services.make_administrator(Actor.system(), user, world.municipality)
    return Actor(user, ADMIN_ROLE)


def invite_key_worker(world: World) -> tuple[User, str]:
    """The municipality invites the hospital's key worker (by the email on her account)."""
    key_worker = world.users[Persona.KEY_WORKER]
    key_worker.email = EMAIL
    key_worker.save(update_fields=["email"])
    spec = services.RoleSpec(
        unit=world.casework, role=Role.CASEWORKER, started_on=timezone.localdate()
    )
    _invitation, token = services.invite_staff(
        municipal_admin(world), world.municipality, name="Kasper", email=EMAIL.upper(), roles=[spec]
    )
    return key_worker, token


def test_staff_of_another_organisation_accepts_by_logging_in(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    key_worker, token = invite_key_worker(world)
    link = reverse("administration_public:accept", kwargs={"token": token})
    hospital_roles = set(StaffRole.objects.filter(user=key_worker).values_list("pk", flat=True))
    password_before = key_worker.password

    # Logged out: asked to log in, no password form; a posted password changes nothing.
    anonymous = Client()
    page = anonymous.get(link).content.decode()
    assert "Log in to accept" in page
    assert 'name="password"' not in page
    posted = anonymous.post(
        link, {"password": "x-new-pass-123", "password_again": "x-new-pass-123"}
    )
    assert posted.status_code == 200
    key_worker.refresh_from_db()
    assert key_worker.password == password_before
    with pytest.raises(ValidationError):
        services.accept_invitation(
            token, password="x-new-pass-123", password_again="x-new-pass-123"
        )

    # Another logged-in user cannot spend it.
    other = client_as(Persona.OTHER_UNIT_STAFF)
    refused = other.post(link)
    assert refused.status_code == 400
    assert "This invitation is for another account" in refused.content.decode()
    assert not StaffRole.objects.filter(
        unit=world.casework, user=world.users[Persona.OTHER_UNIT_STAFF]
    ).exists()

    # Her own login: one button, the role is added to her account, her hospital roles stay.
    mine = client_as(Persona.KEY_WORKER)
    assert "Accept the invitation" in mine.get(link).content.decode()
    accepted = mine.post(link)
    assert accepted.status_code == 302
    roles = StaffRole.objects.filter(user=key_worker)
    assert roles.filter(unit=world.casework, role=Role.CASEWORKER).count() == 1
    assert hospital_roles <= set(roles.values_list("pk", flat=True))
    assert User.objects.filter(email__iexact=EMAIL).count() == 1
    invitation = Invitation.objects.get(user=key_worker)
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(
        actor_id=key_worker.pk, why="invitation accepted", object_id=str(invitation.pk)
    ).exists()

    # The second time: the link is spent.
    again = mine.post(link)
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    assert roles.filter(unit=world.casework).count() == 1


def test_the_inviting_administrator_is_not_told_that_an_account_exists(world: World) -> None:
    """Inviting an address that has an account elsewhere looks the same as a new address; only
    staff of one's own organisation are pointed to their staff page instead."""
    key_worker, _token = invite_key_worker(world)
    assert Invitation.objects.filter(email=EMAIL, user__isnull=True).count() == 1
    hospital_admin = Actor(world.users[Persona.ADMIN], ADMIN_ROLE)
    spec = services.RoleSpec(unit=world.ward, role=Role.NURSE, started_on=timezone.localdate())
    with pytest.raises(ValidationError, match="exists already"):
        services.invite_staff(
            hospital_admin, world.hospital, name="Kasper", email=EMAIL, roles=[spec]
        )
    assert key_worker.staff_roles.filter(unit__organisation=world.municipality).count() == 0
