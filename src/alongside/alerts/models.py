"""An alert: a saved measure response that needs a response from the person's care team.

Two kinds, each a stable code with parameters (never a sentence): ``not_on_track`` (a score
worse than the previous one by at least the scale's threshold, see ``measures.reliable``) and
``risk_item`` (an answer reaching a risk item's threshold in the instrument's scoring data).
``(response, kind, subject)`` is unique, so the same answer never raises the same alert twice.
An alert is acknowledged by care staff; one not acknowledged by ``acknowledge_by`` is escalated to
the team leaders of ``unit`` by the reminder worker (``reminders.producers``), exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.measures.models import Response
from alongside.organisations.models import Unit
from alongside.people.models import Person


class AlertKind(models.TextChoices):
    NOT_ON_TRACK = "not_on_track", _("Not on track")
    RISK_ITEM = "risk_item", _("Risk answer")


class Alert(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    # The scale code (not_on_track) or the risk code (risk_item): what in the response raised it.
    subject = models.CharField(max_length=64)
    # Numbers and codes only: instrument, scale or item, values, threshold, basis.
    params = models.JSONField(default=dict)
    # The unit of her active stay when it was raised, whose team leaders hear of a missed alert.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField()
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_role = models.CharField(max_length=64, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "kind", "subject"], name="one_alert_per_answer"
            )
        ]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(acknowledged_at__isnull=True), name="alert_open"
            ),
            models.Index(
                fields=["acknowledge_by"],
                condition=Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
                name="alert_awaiting_escalation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} for {self.person_id} at {self.raised_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
