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
CRISIS_VERSION_WAITS = message(
    "safety.crisis_version_waits",
    _("%(name)s wrote a new version of your crisis plan. Read it, and confirm it if it is right."),
)
MEASURE_RECORDED = message(
    "safety.measure_recorded",
    _(
        "A restrictive measure used with you on %(date)s has been recorded. You can read it "
        "and give your own account."
    ),
)
DECISION_RECORDED = message(
    "safety.decision_recorded",
    _("A decision made with you has been written down: %(question)s"),
)
DECISION_WITHOUT_AGREEMENT = message(
    "safety.decision_without_agreement",
    _("%(name)s says a decision was made without their agreement: %(question)s"),
)
AGREEMENT_ANSWERED = message(
    "safety.agreement_answered",
    _("%(name)s answered the agreement about %(topic)s: %(answer)s"),
)
EPISODE_ACCOUNT = message(
    "safety.episode_account",
    _("%(name)s wrote their own account of a restrictive measure on %(date)s."),
)
OPTION_ADDED = message(
    "safety.option_added",
    _("%(name)s added an option to the decision: %(question)s"),
)
