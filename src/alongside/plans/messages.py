"""Notification messages of the plan (stable codes; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

GOAL_SET = message(
    "plans.goal_set",
    _("%(name)s suggested a goal for your plan: %(text)s. Tell them what you think of it."),
)
GOAL_DISAGREED = message("plans.goal_disagreed", _("%(name)s disagrees with the goal: %(text)s"))
