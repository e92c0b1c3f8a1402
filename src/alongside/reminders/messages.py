"""Notification messages of the reminder worker (stable codes; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

REVIEW_DUE = message("reminders.review_due", _("The plan review with %(name)s is due on %(date)s."))
OWN_REVIEW_DUE = message(
    "reminders.own_review_due",
    _("Your plan review is due on %(date)s."),
)
ACTION_DUE = message(
    "reminders.action_due",
    _("Your action from the meeting with %(name)s is due on %(date)s: %(text)s"),
)
MEASURE_DUE = message(
    "reminders.measure_due", _("A questionnaire is waiting for you: %(instrument)s.")
)
DEBRIEF_DUE = message(
    "reminders.debrief_due",
    _("A debrief with %(name)s after a restrictive measure is due by %(date)s."),
)
