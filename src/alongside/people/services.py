"""Writes to people: registering persons and their stays."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.organisations.models import Unit
from alongside.people.models import Person, Stay, StayKind, StayStatus


def register_person(
    actor: Actor,
    *,
    name: str,
    user: User | None = None,
    preferred_name: str = "",
    pronouns: str = "",
    languages: list[str] | None = None,
    date_of_birth: date | None = None,
    about_me: str = "",
) -> Person:
    person = validated(
        Person(
            user=user,
            name=name,
            preferred_name=preferred_name,
            pronouns=pronouns,
            languages=languages or [],
            date_of_birth=date_of_birth,
            about_me=about_me,
        )
    )
    person.save()
    record(actor, AuditAction.CREATE, obj=person, person_id=person.pk)
    return person


def start_stay(
    actor: Actor,
    person: Person,
    unit: Unit,
    *,
    kind: StayKind,
    started_on: date,
    next_review_on: date | None = None,
) -> Stay:
    stay = validated(
        Stay(
            person=person,
            unit=unit,
            kind=kind,
            status=StayStatus.ACTIVE,
            started_on=started_on,
            next_review_on=next_review_on,
        )
    )
    stay.save()
    record(actor, AuditAction.CREATE, obj=stay, person_id=person.pk)
    return stay


def end_stay(actor: Actor, stay: Stay, *, ended_on: date, transferred: bool = False) -> Stay:
    """End a stay: by discharge, or (``transferred``) by a move to another unit."""
    if ended_on < stay.started_on:
        raise ValidationError(_("A stay cannot end before it started."))
    stay.ended_on = ended_on
    stay.status = StayStatus.TRANSFERRED if transferred else StayStatus.ENDED
    stay.save(update_fields=["ended_on", "status"])
    record(actor, AuditAction.END, obj=stay, person_id=stay.person_id)
    return stay
