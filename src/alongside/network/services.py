"""Writes to the care network: inviting members, setting what they see, ending memberships."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.network.models import CareNetworkMembership, SupporterRelation
from alongside.network.scopes import SECTION_FIELD, Section
from alongside.organisations.models import Organisation, StaffRole
from alongside.people.models import Person


def _sections_note(membership: CareNetworkMembership) -> str:
    return "sections: " + ",".join(s.value for s in membership.sections)


def _scope_fields(sections: Iterable[Section]) -> dict[str, bool]:
    chosen = set(sections)
    return {field: section in chosen for section, field in SECTION_FIELD.items()}


def add_member(
    actor: Actor,
    person: Person,
    member: User,
    *,
    role: str,
    sections: Iterable[Section],
    organisation: Organisation | None = None,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> CareNetworkMembership:
    """Add someone to the person's network with the sections they may see."""
    if member.pk == person.user_id:
        raise ValidationError(_("A person cannot be a member of their own network."))
    membership = validated(
        CareNetworkMembership(
            person=person,
            member=member,
            organisation=organisation,
            role=role,
            started_at=started_at or timezone.now(),
            ended_at=ended_at,
            invited_by=actor.user,
            **_scope_fields(sections),
        )
    )
    if not membership.sections:
        raise ValidationError(_("Choose at least one part of the plan this member may see."))
    membership.save()
    record(
        actor,
        AuditAction.CREATE,
        obj=membership,
        person_id=person.pk,
        why=_sections_note(membership),
    )
    return membership


WITH_PERSON_NOTE = "together with the person"


def _why(base: str, *, with_person: bool) -> str:
    return f"{base}; {WITH_PERSON_NOTE}" if with_person else base


def _require_sections(sections: Iterable[Section]) -> list[Section]:
    chosen = [Section(s) for s in sections]
    if not chosen:
        raise ValidationError(
            {"sections": _("Choose at least one part of the plan this member may see.")}
        )
    return chosen


def set_sections(
    actor: Actor,
    membership: CareNetworkMembership,
    sections: Iterable[Section],
    *,
    with_person: bool = False,
) -> CareNetworkMembership:
    """Change what a member may see; takes effect on their next request. ``with_person``: staff
    made the change together with the person, and the audit note says so."""
    fields = _scope_fields(_require_sections(sections))
    for field, value in fields.items():
        setattr(membership, field, value)
    membership.save(update_fields=list(fields))
    record(
        actor,
        AuditAction.UPDATE,
        obj=membership,
        person_id=membership.person_id,
        why=_why(_sections_note(membership), with_person=with_person),
    )
    return membership


def end_membership(
    actor: Actor,
    membership: CareNetworkMembership,
    *,
    at: datetime | None = None,
    with_person: bool = False,
) -> CareNetworkMembership:
    """End a membership. Access ends at ``at`` (default: now), checked on every request."""
    moment = at or timezone.now()
    if moment < membership.started_at:
        raise ValidationError(_("A membership cannot end before it started."))
    membership.ended_at = moment
    membership.save(update_fields=["ended_at"])
    record(
        actor,
        AuditAction.END,
        obj=membership,
        person_id=membership.person_id,
        why=_why("ended", with_person=with_person),
    )
    return membership


# --- The network page: the person (or staff together with the person) manages the network. ---
#
# These wrap the writes above with what the page needs: a refusal to add someone twice, and an
# audit note that says when staff made the change together with the person.

TEMPORARY_PASSWORD_BYTES = 9


def _refuse_second_membership(person: Person, member: User) -> None:
    if (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=person, member=member)
        .exists()
    ):
        message = _("%(name)s is already in the network. Change what they see below.")
        raise ValidationError({"member": message % {"name": member.shown_name}})


def _create(
    actor: Actor,
    person: Person,
    member: User,
    *,
    role: str,
    sections: list[Section],
    organisation: Organisation | None,
    with_person: bool,
) -> CareNetworkMembership:
    membership = validated(
        CareNetworkMembership(
            person=person,
            member=member,
            organisation=organisation,
            role=role,
            started_at=timezone.now(),
            invited_by=actor.user,
            **_scope_fields(sections),
        )
    )
    membership.save()
    record(
        actor,
        AuditAction.CREATE,
        obj=membership,
        person_id=person.pk,
        why=_why(_sections_note(membership), with_person=with_person),
    )
    return membership


def invite_staff(
    actor: Actor,
    person: Person,
    staff_role: StaffRole,
    sections: Iterable[Section],
    *,
    with_person: bool = False,
) -> CareNetworkMembership:
    """Invite a staff member of any organisation, in the role they hold there. Effective at once."""
    chosen = _require_sections(sections)
    if staff_role.ended_on is not None:
        raise ValidationError({"member": _("This staff member no longer holds that role.")})
    if staff_role.user_id == person.user_id:
        raise ValidationError({"member": _("A person cannot be a member of their own network.")})
    _refuse_second_membership(person, staff_role.user)
    return _create(
        actor,
        person,
        staff_role.user,
        role=staff_role.role,
        sections=chosen,
        organisation=staff_role.unit.organisation,
        with_person=with_person,
    )


def _supporter_username(name: str) -> str:
    base = slugify(name)[:20] or "supporter"
    for _attempt in range(20):
        candidate = f"{base}-{secrets.randbelow(10_000):04d}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    return f"{base}-{secrets.token_hex(4)}"


def invite_supporter(
    actor: Actor,
    person: Person,
    *,
    name: str,
    relation: str,
    sections: Iterable[Section],
    with_person: bool = False,
) -> tuple[CareNetworkMembership, str, str]:
    """Invite family or a friend: a new login with a temporary password, shown once.

    Returns the membership, the username and the temporary password. Only the hash of the
    password is stored; the person hands the two to their supporter, who changes the password
    on the Password page after logging in. Nothing is e-mailed: the service makes no calls out.
    """
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Write the name of the person you invite.")
    if relation not in SupporterRelation.values:
        errors["relation"] = _("Choose how they are related to you.")
    try:
        chosen = _require_sections(sections)
    except ValidationError as invalid:
        errors.update({"sections": invalid.messages[0]})
    if errors:
        raise ValidationError(errors)
    password = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    username = _supporter_username(name)
    with transaction.atomic():
        supporter = create_user(username, password, display_name=name[:150])
        record(
            actor,
            AuditAction.CREATE,
            obj=supporter,
            person_id=person.pk,
            why=_why("supporter login with a temporary password", with_person=with_person),
        )
        membership = _create(
            actor,
            person,
            supporter,
            role=relation,
            sections=chosen,
            organisation=None,
            with_person=with_person,
        )
    return membership, username, password
