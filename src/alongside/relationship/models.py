"""The working relationship: contacts, time spent together, and co-written notes.

The caseload's "last contact" comes from here. Time together (a walk, cooking, the workshop) is a
contact of kind ``activity`` with what was done and for how long. A note records what was talked
about, what the person said in their own words and what was agreed; the person reads it and may
add a comment or a correction, which never replaces the original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.people.models import Person


class ContactKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    PHONE = "phone", _("Phone call")
    ACTIVITY = "activity", _("Activity together")
    MEETING = "meeting", _("Meeting")


class Contact(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("person")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"), null=True, blank=True)
    activity = models.CharField(_("what we did"), max_length=150, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.person} at {self.occurred_at:%Y-%m-%d}"


class Note(models.Model):
    """A co-written note. The person may read it unless narrowly restricted with a reason."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    written_at = models.DateTimeField(auto_now_add=True)
    talked_about = models.TextField(_("what we talked about"), max_length=4000)
    person_words = models.TextField(_("what you said, in your words"), max_length=4000, blank=True)
    agreed = models.TextField(_("what we agreed"), max_length=4000, blank=True)
    restricted_reason = models.TextField(
        _("why the person may not read this note"),
        blank=True,
        help_text=_("Only in narrow cases. Leave empty and the person can read the note."),
    )
    seen_by_person_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_person_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["person", "-written_at"])]

    def __str__(self) -> str:
        return f"Note about {self.person} on {self.written_at:%Y-%m-%d}"

    @property
    def is_restricted(self) -> bool:
        return bool(self.restricted_reason.strip())


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    CORRECTION = "correction", _("Correction")


class NoteComment(models.Model):
    """The person's own view on a note. Added beside the note; the note itself stays as written."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=CommentKind.choices)
    text = models.TextField(_("your comment"), max_length=4000)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.note}"
