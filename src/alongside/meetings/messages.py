"""Notification messages of network meetings (stable codes; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

MEETING_PLANNED = message(
    "meetings.planned",
    _("You are invited to a network meeting with %(name)s on %(date)s."),
)
OWN_MEETING_PLANNED = message(
    "meetings.own_planned",
    _("A network meeting about your plan is planned for %(date)s. Your points come first."),
)
ACTION_GIVEN = message(
    "meetings.action_given",
    _("An action from the meeting with %(name)s is yours, due on %(date)s: %(text)s"),
)
OWN_ACTION_GIVEN = message(
    "meetings.own_action_given",
    _("An action from your meeting is yours, due on %(date)s: %(text)s"),
)
ACTION_ADDED = message(
    "meetings.action_added",
    _("A new action was agreed in your meeting, due on %(date)s: %(text)s"),
)
