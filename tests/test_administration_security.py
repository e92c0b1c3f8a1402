"""Sign-in security on the administration pages: the organisation's two-step verification rule,
and a temporary password made at random and shown once to the administrator who made it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside.accounts.models import OrganisationSecurity, User
from alongside.accounts.services import create_user
from alongside.administration import security, services
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db

SECURITY = reverse("administration:security")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def temporary_url(user: User) -> str:
    return reverse("administration:temporary_password", kwargs={"user_id": user.pk})


def other_admin(world: World) -> Client:
    """The municipality's administrator, logged in: another organisation."""
    user = create_user("municipal-admin", PASSWORD)
    services.make_administrator(Actor.system(), user, world.municipality)
    client = Client()
    client.force_login(user)
    return client


def _login(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"login": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _password_in_page(content: str) -> str:
    marker = 'data-testid="temporary-password"'
    assert marker in content
    tag = content[: content.index(marker)]
    return tag[tag.rindex('value="') + len('value="') :].split('"', 1)[0]


# --- Two-step verification rule -----------------------------------------------------------------


def test_administrator_requires_two_step_verification_on_the_page(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    admin = client_as(Persona.ADMIN)
    page = admin.get(SECURITY).content.decode()
    assert "Now: two-step verification is optional for staff." in page
    assert 'name="mfa_required"' in page
    assert "checked" not in page

    response = admin.post(SECURITY, {"mfa_required": "on"})
    assert response["Location"] == SECURITY
    assert OrganisationSecurity.objects.get(organisation=world.hospital).mfa_required
    assert "Now: staff must use two-step verification." in admin.get(SECURITY).content.decode()
    # The hospital's key worker is now led to set it up before anything else.
    nurse = client_as(Persona.KEY_WORKER)
    assert nurse.get(reverse("workspace:caseload"))["Location"] == reverse("mfa_activate_totp")
    # The municipality's caseworker is not.
    assert client_as(Persona.CASEWORKER).get(reverse("workspace:caseload")).status_code == 200

    # Saving the same value again records nothing more; switching it off records once.
    admin.post(SECURITY, {"mfa_required": "on"})
    admin.post(SECURITY, {})
    assert not OrganisationSecurity.objects.get(organisation=world.hospital).mfa_required
    events = AuditEvent.objects.filter(object_type="accounts.OrganisationSecurity")
    assert [e.why for e in events.order_by("pk")] == [
        "two-step verification required",
        "two-step verification optional",
    ]
    assert {e.actor_id for e in events} == {world.users[Persona.ADMIN].pk}
    assert nurse.get(reverse("workspace:caseload")).status_code == 200


def test_another_organisations_administrator_changes_only_their_own(world: World) -> None:
    municipal = other_admin(world)
    municipal.post(SECURITY, {"mfa_required": "on"})
    assert OrganisationSecurity.objects.get(organisation=world.municipality).mfa_required
    assert not OrganisationSecurity.objects.filter(organisation=world.hospital).exists()


def test_the_rule_cannot_be_set_for_an_organisation_one_does_not_run(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        security.set_mfa_required(
            Actor(world.users[Persona.KEY_WORKER], "nurse"), world.hospital, True
        )
    assert not OrganisationSecurity.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [p for p in Persona if p not in (Persona.ADMIN, Persona.ANONYMOUS)],
)
def test_nobody_else_sets_security(
    world: World, client_as: Callable[[Persona], Client], persona: Persona
) -> None:
    client = client_as(persona)
    key_worker = world.users[Persona.KEY_WORKER]
    before = key_worker.password
    assert client.post(SECURITY, {"mfa_required": "on"}).status_code == 404
    assert client.post(temporary_url(key_worker)).status_code == 404
    assert not OrganisationSecurity.objects.exists()
    key_worker.refresh_from_db()
    assert key_worker.password == before
    assert not key_worker.must_change_password


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("da", ["Sikkert login", "Personalet skal bruge totrinsbekræftelse"]),
        ("ja", ["ログインの安全", "スタッフに2段階認証を求める"]),
    ],
)
def test_security_pages_in_danish_and_japanese(
    world: World, client_as: Callable[[Persona], Client], language: str, words: list[str]
) -> None:
    admin_user = world.users[Persona.ADMIN]
    admin_user.preferred_language = language
    admin_user.save(update_fields=["preferred_language"])
    admin = client_as(Persona.ADMIN)
    page = admin.get(SECURITY, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in words:
        assert text in page
    assert "Staff must use two-step verification" not in page
    worker = admin.get(
        temporary_url(world.users[Persona.KEY_WORKER]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert "Make a temporary password" not in worker


# --- Temporary password -------------------------------------------------------------------------


def test_temporary_password_is_shown_once_and_must_be_changed(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    key_worker = world.users[Persona.KEY_WORKER]
    their_laptop = _login("key_worker", PASSWORD)
    admin = client_as(Persona.ADMIN)
    explained = admin.get(temporary_url(key_worker)).content.decode()
    assert "Make a temporary password" in explained
    assert 'data-testid="temporary-password"' not in explained

    made = admin.post(temporary_url(key_worker))
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    password = _password_in_page(made.content.decode())
    assert len(password) == 19
    assert password.count("-") == 3

    key_worker.refresh_from_db()
    assert key_worker.must_change_password
    assert key_worker.check_password(password)
    assert not key_worker.check_password(PASSWORD)
    # Their session from before has ended.
    assert their_laptop.get(reverse("workspace:caseload")).status_code == 302
    # Audited, without the password anywhere in the log.
    event = AuditEvent.objects.get(object_type="accounts.User", object_id=str(key_worker.pk))
    assert event.action == AuditAction.UPDATE
    assert event.actor_id == world.users[Persona.ADMIN].pk
    assert not AuditEvent.objects.filter(why__contains=password).exists()
    # Opening the page again does not show it again.
    assert password not in admin.get(temporary_url(key_worker)).content.decode()

    # The staff member logs in with it and must choose their own first.
    client = _login("key_worker", password)
    assert client.get(reverse("workspace:caseload"))["Location"] == reverse("accounts:password")
    changed = client.post(
        reverse("accounts:password"),
        {
            "oldpassword": password,
            "password1": "my-own-new-words-9",
            "password2": "my-own-new-words-9",
        },
    )
    assert changed.status_code == 302
    key_worker.refresh_from_db()
    assert not key_worker.must_change_password
    assert client.get(reverse("workspace:caseload")).status_code == 200


def test_two_temporary_passwords_differ(world: World) -> None:
    actor = Actor(world.users[Persona.ADMIN], "service_admin")
    first = security.give_temporary_password(actor, world.hospital, world.users[Persona.KEY_WORKER])
    second = security.give_temporary_password(
        actor, world.hospital, world.users[Persona.KEY_WORKER]
    )
    assert first != second
    user = world.users[Persona.KEY_WORKER]
    user.refresh_from_db()
    assert user.check_password(second)
    assert not user.check_password(first)


def test_another_organisations_administrator_gets_404(world: World) -> None:
    municipal = other_admin(world)
    key_worker = world.users[Persona.KEY_WORKER]
    assert municipal.get(temporary_url(key_worker)).status_code == 404
    assert municipal.post(temporary_url(key_worker)).status_code == 404
    key_worker.refresh_from_db()
    assert key_worker.check_password(PASSWORD)
    assert not key_worker.must_change_password
    # Their own caseworker is theirs to help.
    caseworker = world.users[Persona.CASEWORKER]
    assert municipal.get(temporary_url(caseworker)).status_code == 200


def test_someone_who_also_works_elsewhere_is_refused(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    worker = world.users[Persona.OTHER_UNIT_STAFF]
    organisations.assign_role(
        Actor.system(), worker, world.casework, Role.CASEWORKER, started_on=timezone.localdate()
    )
    admin = client_as(Persona.ADMIN)
    page = admin.get(temporary_url(worker)).content.decode()
    assert "also uses this login elsewhere" in page
    assert "Make a temporary password</button>" not in page
    refused = admin.post(temporary_url(worker)).content.decode()
    assert "also uses this login elsewhere" in refused
    assert 'data-testid="temporary-password"' not in refused
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
    assert not worker.must_change_password


def test_a_closed_account_is_refused(world: World, client_as: Callable[[Persona], Client]) -> None:
    worker = world.users[Persona.OTHER_UNIT_STAFF]
    services.deactivate_account(
        Actor(world.users[Persona.ADMIN], "service_admin"), world.hospital, worker
    )
    response = client_as(Persona.ADMIN).post(temporary_url(worker))
    assert "This account is closed." in response.content.decode()
    worker.refresh_from_db()
    assert not worker.must_change_password


def test_no_sessions_of_others_end(world: World, client_as: Callable[[Persona], Client]) -> None:
    other = _login("other_unit_staff", PASSWORD)
    client_as(Persona.ADMIN).post(temporary_url(world.users[Persona.KEY_WORKER]))
    assert Session.objects.exists()
    assert other.get(reverse("workspace:caseload")).status_code == 200
