"""Reading notes and time together. Callers hold access to the person's notes section."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from alongside.access import PersonAccess
from alongside.relationship.models import Contact, ContactKind, Note, NoteComment


def notes_for(grant: PersonAccess) -> QuerySet[Note]:
    """Notes about the person, newest first, with authors and comments: three queries in all.

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
    return notes.filter(restricted_reason="") if grant.is_self else notes


def time_together(person_id: int, *, limit: int = 20) -> list[Contact]:
    return list(
        Contact.objects.filter(person_id=person_id, kind=ContactKind.ACTIVITY)
        .select_related("staff")
        .order_by("-occurred_at", "-pk")[:limit]
    )
