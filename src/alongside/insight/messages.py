"""Notification messages of the insight room (codes are stable; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

ACTION_REVIEW_DUE = message(
    "insight.action_review_due",
    _("Time to review the improvement action you own (review date %(date)s): %(what)s"),
)
