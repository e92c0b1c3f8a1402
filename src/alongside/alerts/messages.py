"""Notification messages of the alerts room (stable codes; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

RISK_ITEM = message(
    "alerts.risk_item",
    _(
        "%(name)s gave an answer on %(date)s that needs a response from the care team today. "
        "Open what to do now."
    ),
)
NOT_ON_TRACK = message(
    "alerts.not_on_track",
    _(
        "%(name)s's answers on %(date)s are worse than last time by %(points)s points or more. "
        "Open what to do now."
    ),
)
OWN_TOLD = message(
    "alerts.own_told",
    _(
        "Your answers of %(date)s have been shared with your care team, who will be in touch. "
        "Your crisis plan is on your page: what to do now."
    ),
)
ESCALATED = message(
    "alerts.escalated",
    _(
        "Nobody acknowledged an alert about %(name)s by its deadline (%(date)s). Please make "
        "sure someone on the unit responds."
    ),
)
