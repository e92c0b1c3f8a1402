"""A notification: a short message to one user, with where to look."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A message code and its parameters (see messages.py), rendered in the reader's language.
    code = models.CharField(max_length=80, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Only for notifications written before messages had codes: a frozen sentence.
    text = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.shown_text

    @property
    def shown_text(self) -> str:
        """The message in the active language (the reader's, when a page or mail shows it)."""
        if not self.code:
            return self.text
        from alongside.notifications.messages import render

        return render(self.code, self.params)


class NotificationPreference(models.Model):
    """How a user wants to be told. Without a row, both are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    in_app = models.BooleanField(_("Show notifications on my page"), default=True)
    email = models.BooleanField(_("Send reminders to my email"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"
