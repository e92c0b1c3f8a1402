"""Notification messages of the safety room (codes are stable; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

BREAK_GLASS = message(
    "safety.break_glass",
    _("%(name)s opened the crisis plan in an emergency. Reason: %(reason)s"),
)
ASKS_FOR_ADVOCATE = message("safety.asks_for_advocate", _("%(name)s asks for an advocate."))
ASKS_FOR_PEER = message("safety.asks_for_peer", _("%(name)s asks for a peer supporter."))
REQUEST_ANSWERED = message("safety.request_answered", _("Your request has been answered."))
