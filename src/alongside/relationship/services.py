"""Writes to the working relationship: recording contacts and time together."""

from __future__ import annotations

from datetime import datetime

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.people.models import Person
from alongside.relationship.models import Contact, ContactKind


def record_contact(
    actor: Actor,
    person: Person,
    staff: User,
    *,
    kind: ContactKind,
    occurred_at: datetime,
    duration_minutes: int | None = None,
) -> Contact:
    contact = validated(
        Contact(
            person=person,
            staff=staff,
            kind=kind,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
        )
    )
    contact.save()
    record(actor, AuditAction.CREATE, obj=contact, person_id=person.pk)
    return contact
