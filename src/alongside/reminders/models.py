"""A reminder: one message to one user about one thing that is due.

``(kind, subject, due_on, recipient)`` is unique, so the producers may scan as often as they like:
a reminder for the same review date, action or debrief is created once. A worker claims a reminder
for a while (``claimed_by`` and the lease ``claimed_until``), then sends it and sets ``sent_at`` in
the same transaction as the in-app notification (see ``worker``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.people.models import Person


class ReminderKind(models.TextChoices):
    REVIEW_DUE = "review_due", _("Plan review due")
    ACTION_DUE = "action_due", _("Action due")
    DEBRIEF_DUE = "debrief_due", _("Debrief due")
    MEASURE_DUE = "measure_due", _("Questionnaire waiting")
    ALERT_MISSED = "alert_missed", _("Alert not acknowledged")


class Reminder(models.Model):
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    # What it is about, as "<model>:<pk>" (e.g. "stay:12", "action:5", "episode:7").
    subject = models.CharField(max_length=64)
    due_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(help_text="When it should be sent.")
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set instead of sent_at when the thing stopped being due before it was sent (action done,
    # debrief held, review moved).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "due_on", "recipient"], name="one_reminder_per_subject"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} for {self.recipient_id} due {self.due_on}"

    @property
    def message_id(self) -> str:
        """The same Message-ID every time this reminder is emailed: a resend after a crash
        carries the same id, so mail systems and readers can spot the duplicate."""
        return f"<reminder-{self.pk}-{self.kind}-{self.due_on:%Y%m%d}@alongside.invalid>"
