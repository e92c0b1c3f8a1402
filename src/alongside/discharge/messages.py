"""Notification messages of the discharge room (codes are stable; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

HANDOVER_READY = message(
    "discharge.handover_ready",
    _("A handover summary is ready for you to read. Only you can approve it."),
)
