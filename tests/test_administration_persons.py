"""Registering persons, their stays, and their own login with an activation code."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside import access
from alongside.accounts.services import create_user
from alongside.administration import activation, persons, services
from alongside.administration.identifiers import (
    KIND_CPR,
    KIND_LOCAL,
    check_identifier,
    cpr_birth_date,
)
from alongside.administration.models import ActivationCode, Registration
from alongside.administration.queries import ADMIN_ROLE
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.network.models import CareNetworkMembership
from alongside.notifications.models import Notification
from alongside.organisations.models import Role, StaffRole
from alongside.people import services as people
from alongside.people.models import Person, PersonIdentifier, Stay, StayStatus
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are read in English here (a Danish request earlier must not leak)."""
    with translation.override("en"):
        yield


NEW_PASSWORD = "a-long-new-passphrase"


def admin(world: World) -> Actor:
    return Actor(world.users[Persona.ADMIN], ADMIN_ROLE)


def register(world: World, **values: object) -> Person:
    fields: dict[str, object] = {"name": "Rasmus Holm", "identifiers": [(KIND_CPR, "120389-1234")]}
    fields.update(values)
    return persons.register(admin(world), world.hospital, **fields)  # type: ignore[arg-type]


# --- Identifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0101901234", date(1990, 1, 1)),
        ("120389-1234", date(1989, 3, 12)),
        ("010105-4000", date(2005, 1, 1)),  # 4: 2000s up to 36
        ("010140-4000", date(1940, 1, 1)),  # 4: 1900s from 37
        ("010110-5000", date(2010, 1, 1)),  # 5-8: 2000s up to 57
        ("010160-5000", date(1860, 1, 1)),  # 5-8: 1800s from 58
        ("010136-9000", date(2036, 1, 1)),  # 9: 2000s up to 36
        ("010170-9000", date(1970, 1, 1)),  # 9: 1900s from 37
        ("290200-4000", date(2000, 2, 29)),  # a leap day that exists
    ],
)
def test_cpr_birth_date_follows_the_century_rule(cpr: str, born: date) -> None:
    assert cpr_birth_date(cpr.replace("-", "")) == born


@pytest.mark.parametrize(
    "bad", ["12345", "310290-1234", "290201-4000", "0113901234", "12038912345", "12O389-1234", ""]
)
def test_bad_cpr_is_refused(bad: str, world: World) -> None:
    with pytest.raises(ValidationError):
        check_identifier(KIND_CPR, bad, world.hospital)


def test_a_bad_cpr_changes_nothing_and_says_why(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    before = (Person.objects.count(), PersonIdentifier.objects.count(), AuditEvent.objects.count())
    response = client_as(Persona.ADMIN).post(
        reverse("administration:register"), {"name": "Rasmus Holm", "cpr": "310290-1234"}
    )
    assert response.status_code == 200
    assert "real date of birth" in response.content.decode()
    assert (Person.objects.count(), PersonIdentifier.objects.count()) == before[:2]
    danish = Client(headers={"accept-language": "da"})
    danish.force_login(world.users[Persona.ADMIN])
    answer = danish.post(reverse("administration:register"), {"name": "R", "cpr": "12"}).content
    assert "CPR-nummer" in answer.decode()


def test_local_numbers_are_per_organisation(world: World) -> None:
    here = check_identifier(KIND_LOCAL, "H-1", world.hospital)
    there = check_identifier(KIND_LOCAL, "H-1", world.municipality)
    assert here.value == there.value
    assert here.system != there.system


# --- Registering -------------------------------------------------------------------------------


def test_register_with_identifiers(world: World) -> None:
    person = register(
        world,
        preferred_name="Ras",
        pronouns="he/him",
        languages=["da", "en"],
        identifiers=[(KIND_CPR, "120389-1234"), (KIND_LOCAL, "H-77")],
    )
    assert person.date_of_birth == date(1989, 3, 12)  # from the CPR number
    assert set(person.identifiers.values_list("value", flat=True)) == {"1203891234", "H-77"}
    assert Registration.objects.filter(person=person, organisation=world.hospital).exists()
    assert AuditEvent.objects.filter(person_id=person.pk, action="create").count() >= 4


def test_a_date_of_birth_that_contradicts_the_cpr_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        register(world, date_of_birth=date(1989, 3, 13))
    assert not Person.objects.filter(name="Rasmus Holm").exists()


def test_a_duplicate_identifier_points_to_the_record_for_those_allowed(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    first = register(world)
    with pytest.raises(persons.DuplicateIdentifier) as refused:
        register(world, name="Someone Else")
    assert refused.value.person == first
    page = client_as(Persona.ADMIN).post(
        reverse("administration:register"), {"name": "Someone Else", "cpr": "1203891234"}
    )
    assert reverse("administration:person", kwargs={"person_id": first.pk}) in page.content.decode()
    assert Person.objects.filter(name="Someone Else").count() == 0

    # The municipality's administrator is refused too, but is not told who it is.
    other = create_user("municipal-admin", PASSWORD)
    services.make_administrator(Actor.system(), other, world.municipality)
    with pytest.raises(persons.DuplicateIdentifier) as hidden:
        persons.register(
            Actor(other, ADMIN_ROLE),
            world.municipality,
            name="Someone Else",
            identifiers=[(KIND_CPR, "120389-1234")],
        )
    assert hidden.value.person is None
    client = Client()
    client.force_login(other)
    text = client.post(
        reverse("administration:register"), {"name": "Someone Else", "cpr": "1203891234"}
    ).content.decode()
    assert "Rasmus" not in text
    assert "another organisation" in text


def test_a_similar_name_born_the_same_day_warns_before_creating(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    register(world, identifiers=[], date_of_birth=date(1989, 3, 12))
    with pytest.raises(persons.SimilarPersons) as warned:
        register(world, name="Rasmus Holm Jensen", identifiers=[], date_of_birth=date(1989, 3, 12))
    assert [p.name for p in warned.value.persons] == ["Rasmus Holm"]
    client = client_as(Persona.ADMIN)
    data = {"name": "rasmus  hólm", "date_of_birth": "1989-03-12"}
    page = client.post(reverse("administration:register"), data)
    assert page.status_code == 200
    assert "checked" in page.content.decode()
    assert Person.objects.filter(date_of_birth=date(1989, 3, 12)).count() == 1
    confirmed = client.post(reverse("administration:register"), {**data, "confirm_similar": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.filter(date_of_birth=date(1989, 3, 12)).count() == 2
    # A different name on the same day is no warning.
    register(world, name="Karen Blix", identifiers=[], date_of_birth=date(1989, 3, 12))


# --- Stays ---------------------------------------------------------------------------------------


def test_admit_transfer_moves_access_in_one_step(world: World) -> None:
    person = register(world)
    today = timezone.localdate()
    persons.admit(
        admin(world), world.hospital, person, world.ward, kind="inpatient", started_on=today
    )
    sender = world.users[Persona.KEY_WORKER]  # a care role on the ward (not in this network)
    receiver = world.users[Persona.OTHER_UNIT_STAFF]  # a nurse on the other ward
    assert access.resolve_access(sender, person.pk) is not None
    assert access.resolve_access(receiver, person.pk) is None
    with pytest.raises(ValidationError):
        persons.admit(
            admin(world),
            world.hospital,
            person,
            world.other_ward,
            kind="inpatient",
            started_on=today,
        )

    stay = Stay.objects.get(person=person, status=StayStatus.ACTIVE)
    moved = persons.transfer(admin(world), world.hospital, stay, world.other_ward, on=today)
    assert access.resolve_access(sender, person.pk) is None
    grant = access.resolve_access(receiver, person.pk)
    assert grant is not None
    assert grant.basis is access.Basis.UNIT
    assert moved.unit == world.other_ward
    assert Stay.objects.filter(person=person, status=StayStatus.ACTIVE).count() == 1


def test_a_failed_transfer_leaves_the_old_stay(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = register(world)
    today = timezone.localdate()
    stay = persons.admit(
        admin(world), world.hospital, person, world.ward, kind="inpatient", started_on=today
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValidationError("the receiving unit is full")

    monkeypatch.setattr(people, "start_stay", refuse)
    with pytest.raises(ValidationError):
        persons.transfer(admin(world), world.hospital, stay, world.other_ward, on=today)
    stay.refresh_from_db()
    assert stay.status == StayStatus.ACTIVE
    assert stay.ended_on is None
    assert access.resolve_access(world.users[Persona.KEY_WORKER], person.pk) is not None


def test_assign_the_key_worker(world: World) -> None:
    person = register(world)
    stay = persons.admit(
        admin(world),
        world.hospital,
        person,
        world.ward,
        kind="inpatient",
        started_on=timezone.localdate(),
    )
    role = StaffRole.objects.get(user=world.users[Persona.KEY_WORKER], unit=world.ward)
    membership = persons.assign_key_worker(admin(world), world.hospital, stay, role)
    assert membership.role == Role.KEY_WORKER
    assert membership.member == role.user
    with pytest.raises(ValidationError):
        persons.assign_key_worker(admin(world), world.hospital, stay, role)
    other = StaffRole.objects.get(user=world.users[Persona.OTHER_UNIT_STAFF])
    with pytest.raises(ValidationError):  # not in the unit of the stay
        persons.assign_key_worker(admin(world), world.hospital, stay, other)
    assert CareNetworkMembership.objects.filter(person=person, ended_at__isnull=True).count() == 1


def test_end_a_stay_through_the_discharge_rules(world: World) -> None:
    person = register(world)
    stay = persons.admit(
        admin(world),
        world.hospital,
        person,
        world.ward,
        kind="inpatient",
        started_on=timezone.localdate() - timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="cannot end yet"):
        persons.end_stay(admin(world), world.hospital, stay, ended_on=timezone.localdate())
    stay.refresh_from_db()
    assert stay.status == StayStatus.ACTIVE
    persons.end_stay(
        admin(world),
        world.hospital,
        stay,
        ended_on=timezone.localdate(),
        override_reason="Moved away",
        override_code="transferred",
    )
    stay.refresh_from_db()
    assert stay.status == StayStatus.ENDED


def test_another_organisations_admin_cannot_touch_the_stay(world: World) -> None:
    other = create_user("municipal-admin", PASSWORD)
    services.make_administrator(Actor.system(), other, world.municipality)
    stay = Stay.objects.get(person=world.p1, status=StayStatus.ACTIVE)
    with pytest.raises(PermissionDenied):
        persons.transfer(
            Actor(other, ADMIN_ROLE),
            world.municipality,
            stay,
            world.casework,
            on=timezone.localdate(),
        )


# --- The person's own login --------------------------------------------------------------------


def test_activation_code_round_trip(world: World) -> None:
    person = register(world)
    issued, code = activation.issue(admin(world), world.hospital, person)
    assert issued.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    person.refresh_from_db()
    assert person.user is not None
    assert not person.user.has_usable_password()
    client = Client()
    url = reverse("administration_public:activate_code", kwargs={"code": code.lower()})
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == reverse("portal:me")
    assert Client().login(username=person.user.username, password=NEW_PASSWORD)
    # A second use is refused and changes nothing.
    again = Client().post(
        url, {"password": "x-other-passphrase", "password_again": "x-other-passphrase"}
    )
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    assert Client().login(username=person.user.username, password=NEW_PASSWORD)
    assert (
        AuditEvent.objects.filter(
            object_type="administration.ActivationCode", action="update"
        ).count()
        == 1
    )


def test_an_expired_code_is_refused(world: World) -> None:
    person = register(world)
    issued, code = activation.issue(admin(world), world.hospital, person)
    ActivationCode.objects.filter(pk=issued.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        activation.activate(code, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    person.refresh_from_db()
    assert person.user is not None
    assert not person.user.has_usable_password()
    typed = Client().post(reverse("administration_public:activate"), {"code": code})
    assert "expired" in typed.content.decode()


def test_reissuing_kills_the_old_code_and_tells_the_person(world: World) -> None:
    person = register(world)
    _first, old = activation.issue(admin(world), world.hospital, person)
    activation.activate(old, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    _second, new = activation.issue(admin(world), world.hospital, person)
    _third, newest = activation.issue(admin(world), world.hospital, person)
    with pytest.raises(ValidationError):
        activation.activate(new, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    person.refresh_from_db()
    assert person.user is not None
    assert (
        Notification.objects.filter(
            recipient=person.user, code="administration.access_reissued"
        ).count()
        == 2
    )
    activation.activate(
        newest, password="the-newest-passphrase", password_again="the-newest-passphrase"
    )
    assert Client().login(username=person.user.username, password="the-newest-passphrase")


def test_the_code_sheet_has_an_inline_qr_code(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    person = register(world)
    response = client_as(Persona.ADMIN).post(
        reverse("administration:activation", kwargs={"person_id": person.pk}), {}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in text
    assert "/activate/" in text
    assert response["Cache-Control"] == "private, no-store"
    code = text.split('data-testid="activation-code">', 1)[1].split("<", 1)[0]
    assert (
        ActivationCode.objects.get(person=person).code_hash
        == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    )


def test_an_email_link_instead_of_a_code(world: World) -> None:
    from django.core import mail

    person = register(world)
    _issued, code = activation.issue(
        admin(world), world.hospital, person, email="rasmus@example.org"
    )
    assert len(mail.outbox) == 1
    assert code in mail.outbox[0].body
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.email == "rasmus@example.org"


def test_care_staff_of_the_unit_give_the_code_too(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    url = reverse("administration_care:activation", kwargs={"person_id": world.p2.pk})
    nurse = client_as(Persona.OTHER_UNIT_STAFF)  # a nurse on P2's ward
    response = nurse.post(url, {})
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert ActivationCode.objects.filter(person=world.p2).count() == 1
    assert Notification.objects.filter(
        recipient=world.users[Persona.P2], code="administration.access_reissued"
    ).exists()
    # Not the key worker of another ward, nor the person themself.
    assert client_as(Persona.KEY_WORKER).post(url, {}).status_code == 404
    assert client_as(Persona.P2).post(url, {}).status_code == 404
    with pytest.raises(PermissionDenied):
        activation.issue_by_care_staff(
            Actor(world.users[Persona.CASEWORKER], "caseworker"), world.p1
        )
