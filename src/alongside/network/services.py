"""Writes to the care network: inviting members, setting what they see, ending memberships."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import SECTION_FIELD, Section
from alongside.organisations.models import Organisation
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


def set_sections(
    actor: Actor, membership: CareNetworkMembership, sections: Iterable[Section]
) -> CareNetworkMembership:
    """Change what a member may see; takes effect on their next request."""
    fields = _scope_fields(sections)
    if not any(fields.values()):
        raise ValidationError(_("Choose at least one part of the plan this member may see."))
    for field, value in fields.items():
        setattr(membership, field, value)
    membership.save(update_fields=list(fields))
    record(
        actor,
        AuditAction.UPDATE,
        obj=membership,
        person_id=membership.person_id,
        why=_sections_note(membership),
    )
    return membership


def end_membership(
    actor: Actor, membership: CareNetworkMembership, *, at: datetime | None = None
) -> CareNetworkMembership:
    """End a membership. Access ends at ``at`` (default: now), checked on every request."""
    moment = at or timezone.now()
    if moment < membership.started_at:
        raise ValidationError(_("A membership cannot end before it started."))
    membership.ended_at = moment
    membership.save(update_fields=["ended_at"])
    record(actor, AuditAction.END, obj=membership, person_id=membership.person_id)
    return membership
