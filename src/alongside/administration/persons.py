"""Registering persons and their stays, done by an organisation's administrator.

Registration holds who the person is (names, pronouns, languages, date of birth, identifiers);
it never opens the person's plan, notes or other care data. A duplicate identifier is refused
and names the existing record only to someone who may see it; a similar name with the same date
of birth is a warning that needs an explicit confirmation.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.access import resolve_access
from alongside.accounts.models import User
from alongside.administration.identifiers import CheckedIdentifier, check_identifier
from alongside.administration.models import Registration
from alongside.administration.queries import administers, persons_of
from alongside.administration.services import _require_admin, _require_unit
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.discharge import services as discharge
from alongside.network import services as network
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.organisations.models import CARE_ROLES, Organisation, Role, StaffRole, Unit
from alongside.people import services as people
from alongside.people.models import Person, PersonIdentifier, Stay, StayKind, StayStatus


class DuplicateIdentifier(ValidationError):
    """An identifier is registered already. ``person`` is set only when the asking user may see
    that record (the page then links to it)."""

    def __init__(self, message: str, person: Person | None) -> None:
        super().__init__(message)
        self.person = person


class SimilarPersons(ValidationError):
    """Persons with a similar name and the same date of birth: confirm before registering."""

    def __init__(self, message: str, persons: list[Person], hidden: int) -> None:
        super().__init__(message)
        self.persons = persons
        self.hidden = hidden


def _require_person(actor: Actor, organisation: Organisation, person: Person) -> None:
    _require_admin(actor, organisation)
    if not persons_of(organisation).filter(pk=person.pk).exists():
        raise PermissionDenied("person not registered with this organisation")


def may_see_registration(
    user: User | None, organisation: Organisation | None, person: Person
) -> bool:
    """An administrator of an organisation that has the person, or someone with access."""
    if user is None:
        return False
    if (
        organisation is not None
        and administers(user.pk, organisation.pk)
        and persons_of(organisation).filter(pk=person.pk).exists()
    ):
        return True
    return resolve_access(user, person.pk) is not None


def check_identifiers(
    organisation: Organisation, identifiers: Sequence[tuple[str, str]]
) -> list[CheckedIdentifier]:
    """Validate each (kind, value); raise one ValidationError naming every bad one."""
    checked: list[CheckedIdentifier] = []
    messages: list[str] = []
    for kind, value in identifiers:
        if not value.strip():
            continue
        try:
            checked.append(check_identifier(kind, value, organisation))
        except ValidationError as error:
            messages.extend(error.messages)
    systems = [item.system for item in checked]
    if len(set(systems)) != len(systems):
        messages.append(_("Give each kind of identifier once."))
    if messages:
        raise ValidationError({"identifiers": messages})
    return checked


def duplicate_of(
    checked: Sequence[CheckedIdentifier], *, viewer: User | None, organisation: Organisation
) -> None:
    """Refuse identifiers that are registered already."""
    for item in checked:
        existing = (
            PersonIdentifier.objects.filter(system=item.system, value=item.value)
            .select_related("person")
            .first()
        )
        if existing is not None:
            visible = may_see_registration(viewer, organisation, existing.person)
            raise DuplicateIdentifier(
                _("This identifier (%(value)s) is registered already, to another record.")
                % {"value": item.value},
                existing.person if visible else None,
            )


def _normalised(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _similar(a: str, b: str) -> bool:
    left, right = _normalised(a), _normalised(b)
    if not left or not right:
        return False
    if left == right or difflib.SequenceMatcher(None, left, right).ratio() >= 0.8:
        return True
    # The same first and last name with a middle name added or left out, or one name within
    # the other (a surname added at marriage, say).
    lw, rw = left.split(), right.split()
    smaller, larger = sorted((set(lw), set(rw)), key=len)
    return (lw[0] == rw[0] and lw[-1] == rw[-1]) or (len(smaller) >= 2 and smaller <= larger)


def similar_persons(
    name: str, born: date, *, viewer: User | None, organisation: Organisation
) -> tuple[list[Person], int]:
    """Persons born the same day with a similar name: the ones this viewer may see, and how
    many others there are (named to nobody)."""
    candidates = [p for p in Person.objects.filter(date_of_birth=born) if _similar(p.name, name)]
    shown = [p for p in candidates if may_see_registration(viewer, organisation, p)]
    return shown, len(candidates) - len(shown)


def register(
    actor: Actor,
    organisation: Organisation,
    *,
    name: str,
    preferred_name: str = "",
    pronouns: str = "",
    languages: Sequence[str] = (),
    date_of_birth: date | None = None,
    identifiers: Sequence[tuple[str, str]] = (),
    confirm_similar: bool = False,
) -> Person:
    """Register a person with the organisation. Refuses bad or duplicate identifiers; warns
    (``SimilarPersons``) about a similar name born the same day unless confirmed."""
    _require_admin(actor, organisation)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Write the person's full name.")})
    checked = check_identifiers(organisation, identifiers)
    for item in checked:
        if item.birth_date is not None:
            if date_of_birth is None:
                date_of_birth = item.birth_date
            elif date_of_birth != item.birth_date:
                raise ValidationError(
                    {"date_of_birth": _("The date of birth does not match the CPR number.")}
                )
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": _("The date of birth cannot be in the future.")})
    duplicate_of(checked, viewer=actor.user, organisation=organisation)
    if date_of_birth is not None and not confirm_similar:
        shown, hidden = similar_persons(
            name, date_of_birth, viewer=actor.user, organisation=organisation
        )
        if shown or hidden:
            raise SimilarPersons(
                _(
                    "Someone with a similar name and the same date of birth is registered "
                    "already. Check that this is a different person, then confirm."
                ),
                shown,
                hidden,
            )
    with transaction.atomic():
        person = people.register_person(
            actor,
            name=name,
            preferred_name=preferred_name.strip(),
            pronouns=pronouns.strip(),
            languages=[code.strip() for code in languages if code.strip()],
            date_of_birth=date_of_birth,
        )
        add_identifiers(actor, organisation, person, checked)
        registration = Registration.objects.create(person=person, organisation=organisation)
        record(actor, AuditAction.CREATE, obj=registration, person_id=person.pk)
    return person


def add_identifiers(
    actor: Actor,
    organisation: Organisation,
    person: Person,
    checked: Sequence[CheckedIdentifier],
) -> None:
    for item in checked:
        identifier = PersonIdentifier.objects.create(
            person=person,
            system=item.system,
            value=item.value,
            assigner=None if item.birth_date is not None else organisation,
        )
        record(actor, AuditAction.CREATE, obj=identifier, person_id=person.pk, why=item.system)


def update_person(
    actor: Actor,
    organisation: Organisation,
    person: Person,
    *,
    name: str,
    preferred_name: str,
    pronouns: str,
    languages: Sequence[str],
) -> Person:
    _require_person(actor, organisation, person)
    person.name = name.strip()
    person.preferred_name = preferred_name.strip()
    person.pronouns = pronouns.strip()
    person.languages = [code.strip() for code in languages if code.strip()]
    person.full_clean(exclude=["user"])
    person.save(update_fields=["name", "preferred_name", "pronouns", "languages"])
    record(actor, AuditAction.UPDATE, obj=person, person_id=person.pk, why="registration")
    return person


# --- Stays ------------------------------------------------------------------------------------


def active_stay_in(organisation: Organisation, person: Person) -> Stay | None:
    return (
        Stay.objects.filter(
            person=person, status=StayStatus.ACTIVE, unit__organisation=organisation
        )
        .select_related("unit")
        .first()
    )


def admit(
    actor: Actor,
    organisation: Organisation,
    person: Person,
    unit: Unit,
    *,
    kind: str,
    started_on: date,
) -> Stay:
    """A stay on one of the organisation's units. One active stay per organisation: moving
    within it is a transfer."""
    _require_person(actor, organisation, person)
    _require_unit(actor, organisation, unit)
    if kind not in StayKind.values:
        raise ValidationError({"kind": _("Choose the kind of stay.")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("A stay cannot start in the future.")})
    if active_stay_in(organisation, person) is not None:
        raise ValidationError(
            _("%(name)s already has a stay here. Transfer them to move them to another unit.")
            % {"name": person.shown_name}
        )
    return people.start_stay(actor, person, unit, kind=StayKind(kind), started_on=started_on)


def transfer(
    actor: Actor, organisation: Organisation, stay: Stay, to_unit: Unit, *, on: date
) -> Stay:
    """Move a stay to another unit of the organisation. The old stay ends and the new one
    starts in one transaction: the receiving unit gains access at the same moment the sending
    unit loses it."""
    _require_person(actor, organisation, stay.person)
    _require_unit(actor, organisation, to_unit)
    _require_unit(actor, organisation, stay.unit)
    if stay.status != StayStatus.ACTIVE:
        raise ValidationError(_("This stay has already ended."))
    if to_unit.pk == stay.unit_id:
        raise ValidationError({"unit": _("Choose another unit to transfer to.")})
    if on < stay.started_on or on > timezone.localdate():
        raise ValidationError(
            {"on": _("The transfer date must be between the start of the stay and today.")}
        )
    with transaction.atomic():
        locked = Stay.objects.select_for_update().get(pk=stay.pk)
        if locked.status != StayStatus.ACTIVE:
            raise ValidationError(_("This stay has already ended."))
        people.end_stay(actor, locked, ended_on=on, transferred=True)
        moved = people.start_stay(
            actor,
            stay.person,
            to_unit,
            kind=StayKind(stay.kind),
            started_on=on,
            next_review_on=stay.next_review_on,
        )
        record(
            actor,
            AuditAction.UPDATE,
            obj=moved,
            person_id=stay.person_id,
            why=f"transfer from unit {stay.unit_id} to unit {to_unit.pk}",
        )
    return moved


def key_worker_candidates(organisation: Organisation, stay: Stay) -> list[StaffRole]:
    """Current care roles in the unit of the stay."""
    return list(
        StaffRole.objects.current()
        .filter(unit=stay.unit, role__in=CARE_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__display_name", "user__username", "pk")
    )


def current_key_worker(organisation: Organisation, person: Person) -> CareNetworkMembership | None:
    return (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=person, role=Role.KEY_WORKER, organisation=organisation)
        .select_related("member")
        .first()
    )


def assign_key_worker(
    actor: Actor, organisation: Organisation, stay: Stay, staff_role: StaffRole
) -> CareNetworkMembership:
    """Make a care worker of the stay's unit the person's key worker (in their network, all
    sections). A previous key worker from this organisation steps down in the same
    transaction."""
    _require_person(actor, organisation, stay.person)
    if stay.status != StayStatus.ACTIVE:
        raise ValidationError(_("This stay has already ended."))
    if staff_role.pk not in {r.pk for r in key_worker_candidates(organisation, stay)}:
        raise ValidationError(
            {"staff_role": _("Choose someone who works in the unit of the stay.")}
        )
    with transaction.atomic():
        previous = current_key_worker(organisation, stay.person)
        if previous is not None:
            if previous.member_id == staff_role.user_id:
                raise ValidationError(
                    {
                        "staff_role": _("%(name)s is the key worker already.")
                        % {"name": staff_role.user.shown_name}
                    }
                )
            network.end_membership(actor, previous)
        existing = (
            CareNetworkMembership.objects.active_at(timezone.now())
            .filter(person=stay.person, member=staff_role.user)
            .first()
        )
        if existing is not None:
            network.end_membership(actor, existing)
        return network.add_member(
            actor,
            stay.person,
            staff_role.user,
            role=Role.KEY_WORKER,
            organisation=organisation,
            sections=list(Section),
        )


def end_stay(
    actor: Actor,
    organisation: Organisation,
    stay: Stay,
    *,
    ended_on: date | None,
    override_reason: str = "",
    override_code: str = "",
) -> Stay:
    """End a stay through the discharge rules (open required checklist items refuse it unless
    a reason is chosen)."""
    _require_person(actor, organisation, stay.person)
    _require_unit(actor, organisation, stay.unit)
    return discharge.discharge(
        actor,
        stay,
        ended_on=ended_on,
        override_reason=override_reason,
        override_code=override_code,
    )
