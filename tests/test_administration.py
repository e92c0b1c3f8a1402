"""Administration: the service administrator, units, staff invitations, roles and accounts.

The administrator is not a care role: the first tests prove it opens no person's data anywhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside import access
from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.administration import services
from alongside.administration.models import Invitation, ServiceAdministrator
from alongside.administration.queries import ADMIN_ROLE
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.network.scopes import Section
from alongside.organisations import services as organisations
from alongside.organisations.models import Role, StaffRole, Unit
from tests.access_matrix import MATRIX
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are read in English here (a Danish request earlier must not leak)."""
    with translation.override("en"):
        yield


NEW_PASSWORD = "a-long-new-passphrase"


def admin_actor(world: World) -> Actor:
    return Actor(world.users[Persona.ADMIN], ADMIN_ROLE)


def other_admin(world: World) -> User:
    """The municipality's administrator: another organisation."""
    user = create_user("municipal-admin", PASSWORD)
    services.make_administrator(Actor.system(), user, world.municipality)
    return user


def invite_nurse(
    world: World, *, unit: Unit | None = None, **role: object
) -> tuple[Invitation, str]:
    spec = services.RoleSpec(
        unit=unit or world.ward,
        role=str(role.get("role", Role.NURSE)),
        started_on=role.get("started_on", timezone.localdate()),  # type: ignore[arg-type]
        ended_on=role.get("ended_on"),  # type: ignore[arg-type]
    )
    return services.invite_staff(
        admin_actor(world),
        world.hospital,
        name="Nadia Nurse",
        email="Nadia@Example.org",
        roles=[spec],
    )


# --- Not a care role ---------------------------------------------------------------------------


def test_admin_gets_404_on_every_person_url(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.ADMIN)
    checked = 0
    for name, declaration in MATRIX.items():
        kwargs = declaration.kwargs(world)
        if "person_id" not in kwargs or name.startswith("administration"):
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (404, 405), f"{name}: {response.status_code}"
        checked += 1
    assert checked > 40
    admin = world.users[Persona.ADMIN]
    assert access.resolve_access(admin, world.p1.pk) is None
    assert access.resolve_access(admin, world.p2.pk) is None
    for section in Section:
        assert not access.visible_persons(admin, section).exists()


def test_admin_sees_the_registration_but_not_the_plan(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.ADMIN)
    page = client.get(reverse("administration:person", kwargs={"person_id": world.p1.pk}))
    assert page.status_code == 200
    assert "Pia Ejby" in page.content.decode()
    assert "Cook for my sister again" not in page.content.decode()
    assert client.get(reverse("plans:plan", kwargs={"person_id": world.p1.pk})).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=world.users[Persona.ADMIN].pk, person_id=world.p1.pk, action="read"
    ).exists()


def test_home_sends_the_administrator_to_administration(
    client_as: Callable[[Persona], Client],
) -> None:
    response = client_as(Persona.ADMIN).get("/")
    assert response["Location"] == reverse("administration:home")


def test_administrator_of_another_organisation_gets_404(world: World) -> None:
    client = Client()
    client.force_login(other_admin(world))
    for name, kwargs in [
        ("administration:unit", {"unit_id": world.ward.pk}),
        ("administration:member", {"user_id": world.users[Persona.KEY_WORKER].pk}),
        ("administration:person", {"person_id": world.p1.pk}),
        ("administration:activation", {"person_id": world.p1.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    # Their own organisation's unit opens.
    assert (
        client.get(
            reverse("administration:unit", kwargs={"unit_id": world.casework.pk})
        ).status_code
        == 200
    )
    # The municipality registered nobody and nobody stays in its units: nobody is listed, though
    # its caseworker is in P1's network.
    mine = client.get(reverse("administration:persons")).content.decode()
    assert "Pia Ejby" not in mine


def test_service_refuses_another_organisations_unit(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.edit_unit(
            Actor(other_admin(world), ADMIN_ROLE),
            world.municipality,
            world.ward,
            name="X",
            kind="ward",
        )
    world.ward.refresh_from_db()
    assert world.ward.name == "Ward A"


def test_ended_administrator_role_gets_404(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    ServiceAdministrator.objects.filter(user=world.users[Persona.ADMIN]).update(
        ended_on=timezone.localdate()
    )
    assert client_as(Persona.ADMIN).get(reverse("administration:home")).status_code == 404


# --- Units -------------------------------------------------------------------------------------


def test_create_and_edit_a_unit(world: World, client_as: Callable[[Persona], Client]) -> None:
    client = client_as(Persona.ADMIN)
    response = client.post(
        reverse("administration:units"), {"code": "ward-c", "name": "Ward C", "kind": "ward"}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="ward-c")
    assert unit.organisation == world.hospital
    client.post(
        reverse("administration:unit", kwargs={"unit_id": unit.pk}),
        {"name": "Ward C east", "kind": "team"},
    )
    unit.refresh_from_db()
    assert (unit.name, unit.kind) == ("Ward C east", "team")
    assert (
        AuditEvent.objects.filter(object_type="organisations.Unit", object_id=str(unit.pk)).count()
        == 2
    )
    # The second time with the same code is refused, clearly.
    again = client.post(
        reverse("administration:units"), {"code": "ward-c", "name": "Other", "kind": "ward"}
    )
    assert again.status_code == 200
    assert Unit.objects.filter(code="ward-c").count() == 1


# --- Invitations -------------------------------------------------------------------------------


def test_invitation_is_single_use_and_stored_hashed(world: World) -> None:
    invitation, token = invite_nurse(world)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.email == "nadia@example.org"
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body

    nurse = services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert nurse.username == "nadia@example.org"
    assert nurse.check_password(NEW_PASSWORD)
    assert list(StaffRole.objects.current().filter(user=nurse).values_list("role", flat=True)) == [
        "nurse"
    ]
    assert access.resolve_access(nurse, world.p1.pk) is not None

    with pytest.raises(ValidationError, match="used already"):
        services.accept_invitation(
            token, password="another-passphrase-1", password_again="another-passphrase-1"
        )
    nurse.refresh_from_db()
    assert nurse.check_password(NEW_PASSWORD)
    assert User.objects.filter(username="nadia@example.org").count() == 1


def test_reused_invitation_page_says_so(world: World) -> None:
    _invitation, token = invite_nurse(world)
    client = Client()
    url = reverse("administration_public:accept", kwargs={"token": token})
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    second = Client().post(url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert second.status_code == 410
    assert "used already" in second.content.decode()
    danish = Client(headers={"accept-language": "da"}).get(url)
    assert "allerede" in danish.content.decode()


def test_expired_invitation_is_refused(world: World) -> None:
    invitation, token = invite_nurse(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert not User.objects.filter(username="nadia@example.org").exists()


def test_weak_password_is_refused_and_link_still_works(world: World) -> None:
    _invitation, token = invite_nurse(world)
    with pytest.raises(ValidationError):
        services.accept_invitation(token, password="short", password_again="short")
    assert not User.objects.filter(username="nadia@example.org").exists()
    services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)


def test_invite_page_shows_the_link_once(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.ADMIN).post(
        reverse("administration:invite"),
        {
            "name": "Nadia Nurse",
            "email": "nadia@example.org",
            "days": "3",
            "r0-unit": str(world.ward.pk),
            "r0-role": "nurse",
            "r0-started_on": timezone.localdate().isoformat(),
            "r1-unit": str(world.other_ward.pk),
            "r1-role": "psychologist",
            "r1-started_on": timezone.localdate().isoformat(),
            "r1-ended_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "/invitations/" in response.content.decode()
    invitation = Invitation.objects.get(email="nadia@example.org")
    assert sorted(invitation.roles.values_list("role", flat=True)) == ["nurse", "psychologist"]
    assert invitation.expires_at - timezone.now() < timedelta(days=3, minutes=1)


def test_inviting_into_another_organisations_unit_is_refused(world: World) -> None:
    with pytest.raises(PermissionDenied):
        invite_nurse(world, unit=world.casework)
    assert not Invitation.objects.exists()


# --- Roles and accounts ------------------------------------------------------------------------


def accepted_nurse(world: World, **role: object) -> User:
    _invitation, token = invite_nurse(world, **role)
    return services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)


def test_ending_a_role_removes_access_on_the_next_request(world: World) -> None:
    nurse = accepted_nurse(world)
    client = Client()
    client.force_login(nurse)
    overview = reverse("workspace:person", kwargs={"person_id": world.p1.pk})
    assert client.get(overview).status_code == 200
    role = StaffRole.objects.get(user=nurse)
    services.end_role(admin_actor(world), world.hospital, role)
    assert client.get(overview).status_code == 404
    assert not access.visible_persons(nurse, Section.PLAN).exists()


def test_changing_a_role_moves_access_to_the_new_unit(world: World) -> None:
    nurse = accepted_nurse(world)
    role = StaffRole.objects.get(user=nurse)
    services.change_role(
        admin_actor(world), world.hospital, role, role="psychologist", unit=world.other_ward
    )
    assert access.resolve_access(nurse, world.p1.pk) is None
    grant = access.resolve_access(nurse, world.p2.pk)
    assert grant is not None
    assert grant.role == "psychologist"
    assert StaffRole.objects.filter(user=nurse).count() == 2  # the history stays


def test_a_role_with_a_later_start_or_end(world: World) -> None:
    today = timezone.localdate()
    later = accepted_nurse(world, started_on=today + timedelta(days=3))
    assert access.resolve_access(later, world.p1.pk) is None
    assert not access.visible_persons(later, Section.PLAN).exists()
    other = create_user("temp-nurse", PASSWORD)
    organisations.assign_role(
        Actor.system(),
        other,
        world.ward,
        Role.NURSE,
        started_on=today,
        ended_on=today + timedelta(days=3),
    )
    assert access.resolve_access(other, world.p1.pk) is not None
    assert access.visible_persons(other, Section.PLAN).filter(pk=world.p1.pk).exists()


def test_closing_an_account_ends_its_sessions_at_once(world: World) -> None:
    nurse = accepted_nurse(world)
    client = Client()
    client.force_login(nurse)
    assert client.get(reverse("workspace:caseload")).status_code == 200
    admin = Client()
    admin.force_login(world.users[Persona.ADMIN])
    response = admin.post(
        reverse("administration:member", kwargs={"user_id": nurse.pk}), {"action": "deactivate"}
    )
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert not nurse.is_active
    assert not StaffRole.objects.current().filter(user=nurse).exists()
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(nurse.pk) for s in Session.objects.all()
    )
    assert client.get(reverse("workspace:caseload")).status_code == 302
    assert not Client().login(username=nurse.username, password=NEW_PASSWORD)


def test_someone_who_works_elsewhere_is_not_closed(world: World) -> None:
    worker = world.users[Persona.OTHER_UNIT_STAFF]
    organisations.assign_role(
        Actor.system(), worker, world.casework, Role.CASEWORKER, started_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="another organisation"):
        services.deactivate_account(admin_actor(world), world.hospital, worker)
    worker.refresh_from_db()
    assert worker.is_active


def test_first_organisation_from_nothing(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "create_organisation",
        "--code",
        "region-x",
        "--name",
        "Region X Psychiatry",
        "--kind",
        "hospital",
        "--admin-email",
        "Admin@Region-X.example",
        "--admin-name",
        "Sam Admin",
        stdout=out,
    )
    text = out.getvalue()
    assert "/invitations/" in text
    token = text.rsplit("/invitations/", 1)[1].strip().rstrip("/")
    user = services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert user.username == "admin@region-x.example"
    assert (
        ServiceAdministrator.objects.current()
        .filter(user=user, organisation__code="region-x")
        .exists()
    )
    assert not StaffRole.objects.filter(user=user).exists()


def test_a_waiting_invitation_does_not_reopen_a_closed_account(world: World) -> None:
    user = create_user("imported@example.org", None, email="imported@example.org")
    organisations.assign_role(
        Actor.system(), user, world.ward, Role.NURSE, started_on=timezone.localdate()
    )
    _invitation, token = services.invite_staff(
        admin_actor(world),
        world.hospital,
        name="Imported Nurse",
        email="imported@example.org",
        roles=[],
        user=user,
    )
    services.deactivate_account(admin_actor(world), world.hospital, user)
    with pytest.raises(ValidationError):
        services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    user.refresh_from_db()
    assert not user.is_active
    assert not user.has_usable_password()


def test_a_withdrawn_invitation_no_longer_works(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    invitation, token = invite_nurse(world)
    page = client_as(Persona.ADMIN).post(
        reverse("administration:staff"), {"invitation_id": invitation.pk}
    )
    assert page.status_code == 302
    with pytest.raises(ValidationError, match="not valid"):
        services.accept_invitation(token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert not User.objects.filter(username="nadia@example.org").exists()
