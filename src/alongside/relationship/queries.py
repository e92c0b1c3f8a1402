"""Reading notes and time together. Callers hold access to the person's notes section."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from alongside.access import PersonAccess
from alongside.organisations.models import StaffRole
from alongside.relationship.models import Contact, ContactKind, Note, NoteComment


def writes_as_staff(grant: PersonAccess) -> bool:
    """Whether this grant may write notes and log time together: staff of the unit, or a
    professional in the network, who holds a current staff role. Never the person, family or
    friends, and not someone whose staff role has ended."""
    if grant.is_self or not grant.acts_as_staff:
        return False
    return StaffRole.objects.current().filter(user=grant.user).exists()


def notes_for(grant: PersonAccess) -> QuerySet[Note]:
    """Notes about the person, newest first, with authors and comments: two queries in all.

    A note with a restriction reason is never shown to the person themself.
    """
    notes = (
        Note.objects.filter(person_id=grant.person.pk)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=NoteComment.objects.select_related("author").order_by("written_at", "pk"),
            )
        )
        .order_by("-written_at", "-pk")
    )
    # The same test as ``Note.is_restricted``: a reason that is only blanks restricts nothing.
    return notes.exclude(restricted_reason__regex=r"\S") if grant.is_self else notes


def note_for(grant: PersonAccess, note_id: int) -> Note:
    """One note as the notes page shows it, with its author and comments."""
    return notes_for(grant).get(pk=note_id)


def time_together(person_id: int, *, limit: int = 20) -> list[Contact]:
    """The most recent time spent together, newest first, with who was there."""
    return list(
        Contact.objects.filter(person_id=person_id, kind=ContactKind.ACTIVITY)
        .select_related("staff")
        .order_by("-occurred_at", "-pk")[:limit]
    )
