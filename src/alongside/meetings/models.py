"""Network meetings in the Open Dialogue style: the person and their network, across organisations.

A meeting has an agenda that starts with what the person raised, the participants (the person and
active members of their network), the person's own summary in their words, the decisions taken
and the actions agreed. Every action has an owner, who may be anyone taking part (a municipal
caseworker as much as the key worker), and a due date; it shows on the owner's task list.

The meeting record (time, place, status, the person's summary) is edited with a ``version``
counter: a save that started from an older version is refused and nothing is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.network.models import NETWORK_ROLE_CHOICES
from alongside.people.models import Person
from alongside.plans.models import Goal

MAX_TEXT = 4000
MAX_SHORT_TEXT = 300


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class NetworkMeeting(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="network_meetings", verbose_name=_("person")
    )
    planned_for = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    person_summary = models.TextField(
        _("the person's own summary"), max_length=MAX_TEXT, blank=True
    )
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary_role = models.CharField(max_length=64, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-planned_for", "-pk"]
        indexes = [models.Index(fields=["person", "-planned_for"])]

    def __str__(self) -> str:
        return f"Network meeting with {self.person} on {self.planned_for:%Y-%m-%d}"


class AgendaItem(models.Model):
    """One point on the agenda. The person's own points come first, whatever order they came in."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="agenda")
    text = models.CharField(_("agenda item"), max_length=MAX_SHORT_TEXT)
    raised_by_person = models.BooleanField(_("raised by the person"), default=False)
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_role = models.CharField(max_length=64)

    class Meta:
        ordering = ["-raised_by_person", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Participant(models.Model):
    """Someone taking part. ``user`` is empty for a person without a login; name and organisation
    are kept as they were at the meeting, so the record reads right after people move on."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=64)
    is_person = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_person", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="one_participation_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        if self.is_person:
            return str(_("The person"))
        return str(dict(NETWORK_ROLE_CHOICES).get(self.role, _("Staff")))


class Decision(models.Model):
    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=MAX_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Action(models.Model):
    """Something someone agreed to do, by a date. ``person`` repeats the meeting's person so the
    access layer (and the task list) can find it without a join."""

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("what will be done"), max_length=MAX_SHORT_TEXT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        verbose_name=_("who does it"),
    )
    due_on = models.DateField(_("by when"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_on"]),
            models.Index(fields=["done_at", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
