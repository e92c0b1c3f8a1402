"""Contacts between a person and the staff who work alongside them.

The caseload's "last contact" comes from here. Time spent together (a walk, cooking, the workshop)
is a contact with an activity and a duration.
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

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.person} at {self.occurred_at:%Y-%m-%d}"
