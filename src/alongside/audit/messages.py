"""Notification messages of the audit room (codes are stable; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

FLAGGED = message(
    "audit.flagged",
    _("%(person)s does not recognise an access to their record by %(name)s. Please answer."),
)
FLAG_ANSWERED = message(
    "audit.flag_answered",
    _("Your question about an access to your record by %(name)s has been answered."),
)
