"""Writes to the working relationship: contacts, time together, co-written notes and the
person's comments on them. A note is never edited after it is written: the person's comments and
corrections sit beside it, and the original stays."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.notifications.recipients import key_workers, the_person
from alongside.notifications.services import notify
from alongside.people.models import Person
from alongside.relationship import messages
from alongside.relationship.models import CommentKind, Contact, ContactKind, Note, NoteComment


def record_contact(
    actor: Actor,
    person: Person,
    staff: User,
    *,
    kind: ContactKind,
    occurred_at: datetime,
    duration_minutes: int | None = None,
    activity: str = "",
) -> Contact:
    contact = validated(
        Contact(
            person=person,
            staff=staff,
            kind=kind,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            activity=activity,
        )
    )
    contact.save()
    record(actor, AuditAction.CREATE, obj=contact, person_id=person.pk)
    return contact


def log_time_together(
    actor: Actor,
    person: Person,
    *,
    activity: str,
    occurred_at: datetime,
    duration_minutes: int,
) -> Contact:
    """Something done together: a walk, the gym, cooking, the workshop, a phone call."""
    if actor.user is None:
        raise PermissionDenied("time together is logged by a person, not the system")
    errors: dict[str, str] = {}
    if not activity.strip():
        errors["activity"] = _("Say what you did together.")
    if not 1 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("Give the time in minutes, from 1 to 1440.")
    if occurred_at > timezone.now():
        errors["occurred_at"] = _("Time together can only be logged once it has happened.")
    if errors:
        raise ValidationError(errors)
    return record_contact(
        actor,
        person,
        actor.user,
        kind=ContactKind.ACTIVITY,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        activity=activity.strip(),
    )


def write_note(
    actor: Actor,
    person: Person,
    *,
    talked_about: str,
    person_words: str = "",
    agreed: str = "",
    restricted_reason: str = "",
) -> Note:
    if actor.user is None:
        raise PermissionDenied("notes have a human author")
    if not talked_about.strip():
        raise ValidationError({"talked_about": _("Please write what you talked about.")})
    note = Note(
        person=person,
        author=actor.user,
        author_role=actor.role,
        talked_about=talked_about,
        person_words=person_words,
        agreed=agreed,
        restricted_reason=restricted_reason,
    )
    note.full_clean()
    note.save()
    record(actor, AuditAction.CREATE, obj=note, person_id=person.pk)
    if not note.is_restricted:
        notify(
            the_person(person, unless=actor.user),
            messages.NOTE_WRITTEN,
            {"name": actor.user.shown_name},
            reverse("relationship:note", args=[person.pk, note.pk]),
        )
    return note


def _require_person(actor: Actor, note: Note) -> None:
    if actor.user is None or actor.user.pk != note.person.user_id:
        raise PermissionDenied("only the person this note is about")


def mark_note_seen(actor: Actor, note: Note, *, confirmed: bool = False) -> Note:
    """The person has read the note (and, if ``confirmed``, agrees it is right)."""
    _require_person(actor, note)
    now = timezone.now()
    fields = []
    if note.seen_by_person_at is None:
        note.seen_by_person_at = now
        fields.append("seen_by_person_at")
    if confirmed:
        note.confirmed_by_person_at = now
        fields.append("confirmed_by_person_at")
    if fields:
        note.save(update_fields=fields)
        record(actor, AuditAction.UPDATE, obj=note, person_id=note.person_id, why=",".join(fields))
    return note


def comment_on_note(actor: Actor, note: Note, *, kind: CommentKind, text: str) -> NoteComment:
    """The person's comment or correction, kept beside the note; the note itself is unchanged."""
    _require_person(actor, note)
    assert actor.user is not None
    if not text.strip():
        raise ValidationError({"text": _("Please write your comment.")})
    comment = NoteComment(
        note=note, author=actor.user, author_role=actor.role, kind=kind, text=text
    )
    comment.full_clean()
    comment.save()
    if note.seen_by_person_at is None:
        note.seen_by_person_at = comment.written_at
        note.save(update_fields=["seen_by_person_at"])
    record(actor, AuditAction.CREATE, obj=comment, person_id=note.person_id)
    notify(
        key_workers(note.person, besides=[note.author]),
        messages.NOTE_CORRECTED if kind == CommentKind.CORRECTION else messages.NOTE_COMMENTED,
        {
            "name": note.person.shown_name,
            "note_date": timezone.localdate(note.written_at).isoformat(),
        },
        reverse("relationship:note", args=[note.person_id, note.pk]),
    )
    return comment
